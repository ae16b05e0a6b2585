//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `kashev` binary, run in `dir`.
pub fn kashev(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("kashev").expect("the kashev binary is built");
    cmd.current_dir(dir)
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1");
    cmd
}

/// A fresh temporary directory.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// Writes `contents` to `name` inside `dir` and returns the path.
pub fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write a test file");
    path
}

/// Parses JSONL output into values, one per non-empty line.
pub fn jsonl(bytes: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(bytes)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {e}: {l}")))
        .collect()
}

/// `data` gzip-compressed.
pub fn gzip(data: impl AsRef<[u8]>) -> Vec<u8> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(data.as_ref())
        .expect("compress in memory");
    encoder.finish().expect("compress in memory")
}

/// The JSON object on the last line of `stderr` (as printed by `--summary-json`).
pub fn summary_json(stderr: &[u8]) -> serde_json::Value {
    let text = String::from_utf8_lossy(stderr);
    let last = text
        .lines()
        .last()
        .unwrap_or_else(|| panic!("no summary on stderr"));
    serde_json::from_str(last).unwrap_or_else(|e| panic!("summary is not JSON: {e}: {text}"))
}

/// A path inside the repository.
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Copies the directory tree `from` to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs `kashev index INPUT --index INDEX` plus `extra` in `dir` and asserts that it succeeded.
pub fn index(dir: &Path, input: &Path, index: &Path, extra: &[&std::ffi::OsStr]) {
    succeed(
        kashev(dir)
            .arg("index")
            .arg(input)
            .arg("--index")
            .arg(index)
            .args(extra),
    );
}

/// Runs `cmd`, asserting that it succeeded (its stderr in the message), and returns its output.
pub fn succeed(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().expect("the command runs");
    assert!(
        out.status.success(),
        "{:?} failed: {}",
        cmd.get_args().collect::<Vec<_>>(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
