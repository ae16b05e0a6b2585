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
