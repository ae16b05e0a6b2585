//! `kashev reindex` through the real binary: an index built with other lexicons is reported,
//! refuses new records, and is brought in line by a reindex that keeps every document.

use std::path::Path;

use crate::util::{copy_dir, index, kashev, repo, succeed, tempdir};

/// `kashev search --json` over every record: (total, stderr).
fn search_all(dir: &Path, idx: &Path) -> (u64, String) {
    let out = kashev(dir)
        .args(["search", "--json", "--limit", "1", "--index"])
        .arg(idx)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    (v["total"].as_u64().unwrap(), stderr)
}

#[test]
fn reindex_reclassifies_an_index_built_with_other_lexicons() {
    let dir = tempdir();
    let lex = dir.path().join("lex");
    copy_dir(&repo("lexicons"), &lex);
    let complaints = lex.join("en/complaint.txt");
    let mut text = std::fs::read_to_string(&complaints).unwrap();
    text.push_str("zorbly surcharge | complaint.billing | 0.9\n");
    std::fs::write(&complaints, text).unwrap();
    let sample = repo("fixtures/sample.jsonl");
    let idx = dir.path().join("idx");
    index(
        dir.path(),
        &sample,
        &idx,
        &["--lexicons".as_ref(), lex.as_os_str()],
    );

    // Read with the embedded lexicons: a warning, and no mixing on index.
    let (before, stderr) = search_all(dir.path(), &idx);
    assert!(before > 0);
    assert!(
        stderr.contains("warning") && stderr.contains("kashev reindex"),
        "{stderr}"
    );
    let out = kashev(dir.path())
        .arg("index")
        .arg(&sample)
        .arg("--index")
        .arg(&idx)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("refusing to mix"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = succeed(
        kashev(dir.path())
            .args(["reindex", "--json", "--index"])
            .arg(&idx),
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["documents"].as_u64(), Some(before));

    let (after, stderr) = search_all(dir.path(), &idx);
    assert_eq!(after, before, "reindex keeps every document");
    assert!(!stderr.contains("warning"), "{stderr}");
}
