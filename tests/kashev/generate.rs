//! `kashev generate`: a seeded corpus written as JSONL, to stdout or a file.

use std::io::Read as _;
use std::process::Stdio;

use crate::util::{jsonl, kashev, tempdir};

#[test]
fn the_same_flags_write_the_same_bytes() {
    let dir = tempdir();
    let args = ["generate", "--count", "300", "--seed", "11"];
    let first = kashev(dir.path())
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let second = kashev(dir.path())
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(first, second);
    assert!(!first.is_empty());
}

#[test]
fn a_different_seed_writes_a_different_corpus() {
    let dir = tempdir();
    let run = |seed: &str| {
        let cmd = kashev(dir.path())
            .args(["generate", "-n", "20", "--seed", seed])
            .assert();
        cmd.success().get_output().stdout.clone()
    };
    assert_ne!(run("1"), run("2"));
}

#[test]
fn the_count_is_honoured_and_every_line_is_a_record() {
    let dir = tempdir();
    let out = kashev(dir.path())
        .args(["generate", "--count", "57"])
        .assert()
        .success();
    let records = jsonl(&out.get_output().stdout);
    assert_eq!(records.len(), 57);
    for (n, record) in records.iter().enumerate() {
        assert_eq!(record["id"], format!("g1-{n}"));
        for field in [
            "text",
            "customer_id",
            "channel",
            "timestamp",
            "product",
            "segment",
        ] {
            assert!(record[field].is_string(), "{field} in {record}");
        }
        assert!(
            record.get("lang").is_none(),
            "lang is left to detection: {record}"
        );
    }
    let empty = kashev(dir.path())
        .args(["generate", "--count", "0"])
        .assert()
        .success();
    assert!(empty.get_output().stdout.is_empty());
}

#[test]
fn the_span_flags_place_the_timestamps() {
    let dir = tempdir();
    let out = kashev(dir.path())
        .args([
            "generate",
            "-n",
            "200",
            "--start",
            "2025-06-01",
            "--days",
            "10",
        ])
        .assert()
        .success();
    for record in jsonl(&out.get_output().stdout) {
        let ts = record["timestamp"].as_str().unwrap();
        assert!(("2025-06-01".."2025-06-11").contains(&ts), "{ts}");
    }
}

#[test]
fn the_language_and_size_flags_shape_the_corpus() {
    let dir = tempdir();
    let english = kashev(dir.path())
        .args([
            "generate",
            "-n",
            "200",
            "--hebrew-share",
            "0",
            "--mean-bytes",
            "300",
        ])
        .assert()
        .success();
    let records = jsonl(&english.get_output().stdout);
    let hebrew = |text: &str| text.chars().any(|c| ('א'..='ת').contains(&c));
    assert!(records.iter().all(|r| !hebrew(r["text"].as_str().unwrap())));
    let mean = records
        .iter()
        .map(|r| r["text"].as_str().unwrap().len())
        .sum::<usize>()
        / 200;
    assert!(
        (200..=400).contains(&mean),
        "mean {mean} for a target of 300"
    );

    let few = kashev(dir.path())
        .args(["generate", "-n", "100", "--customers", "3"])
        .assert()
        .success();
    let customers: std::collections::HashSet<String> = jsonl(&few.get_output().stdout)
        .iter()
        .map(|r| r["customer_id"].as_str().unwrap().to_string())
        .collect();
    assert!(customers.len() <= 3, "{customers:?}");
}

#[test]
fn output_goes_to_a_file_with_o() {
    let dir = tempdir();
    let out = kashev(dir.path())
        .args(["generate", "-n", "40", "--seed", "4", "-o", "corpus.jsonl"])
        .assert()
        .success();
    assert!(out.get_output().stdout.is_empty());
    let written = std::fs::read(dir.path().join("corpus.jsonl")).unwrap();
    let stdout = kashev(dir.path())
        .args(["generate", "-n", "40", "--seed", "4"])
        .assert();
    assert_eq!(written, stdout.success().get_output().stdout.clone());
    assert_eq!(jsonl(&written).len(), 40);

    let dash = kashev(dir.path())
        .args(["generate", "-n", "3", "-o", "-"])
        .assert()
        .success();
    assert_eq!(jsonl(&dash.get_output().stdout).len(), 3);
}

#[test]
fn bad_flags_are_usage_errors() {
    let dir = tempdir();
    let cases = [
        ("share above one", vec!["--hebrew-share", "1.5"]),
        ("no days", vec!["--days", "0"]),
        ("tiny texts", vec!["--mean-bytes", "5"]),
        ("bad date", vec!["--start", "2026-02-30"]),
        ("missing directory", vec!["-o", "no/such/dir/out.jsonl"]),
    ];
    for (name, extra) in cases {
        let out = kashev(dir.path())
            .args(["generate", "-n", "5"])
            .args(&extra)
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(!stderr.trim().is_empty(), "{name}: no message");
    }
    kashev(dir.path()).args(["generate"]).assert().code(2);
}

#[test]
fn a_closed_pipe_is_success() {
    let dir = tempdir();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("kashev"))
        .current_dir(dir.path())
        .args(["generate", "--count", "1000000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start kashev");
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 4096];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(status.success(), "{status}: {stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}
