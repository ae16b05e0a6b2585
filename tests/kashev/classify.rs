//! `kashev classify`, `explain` and `eval` through the real binary.

use crate::util::{copy_dir, jsonl, kashev, repo, tempdir, write};

#[test]
fn classify_tags_every_record_in_input_order_with_valid_evidence() {
    let dir = tempdir();
    let out = kashev(dir.path())
        .args(["classify", "--quiet"])
        .arg(repo("fixtures/sample.jsonl"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let input = jsonl(&std::fs::read(repo("fixtures/sample.jsonl")).unwrap());
    let output = jsonl(&out.stdout);
    assert_eq!(input.len(), output.len());
    let mut labelled = 0;
    for (i, o) in input.iter().zip(&output) {
        assert_eq!(i["id"], o["id"], "order is kept");
        assert_eq!(o["v"], 1);
        assert_eq!(i["text"], o["text"], "text passes through");
        assert_eq!(i["product"], o["product"], "other fields pass through");
        let score = o["sentiment"]["score"].as_f64().unwrap();
        assert!((-1.0..=1.0).contains(&score));
        assert!(
            ["positive", "negative", "neutral"]
                .contains(&o["sentiment"]["label"].as_str().unwrap())
        );
        let risk = o["churn_risk"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&risk));
        let text = o["text"].as_str().unwrap();
        for label in o["labels"].as_array().unwrap() {
            labelled += 1;
            let name = label["label"].as_str().unwrap();
            assert!(
                name.starts_with("complaint.") || name.starts_with("churn."),
                "{name}"
            );
            for e in label["evidence"].as_array().unwrap() {
                let (s, t) = (
                    e["start"].as_u64().unwrap() as usize,
                    e["end"].as_u64().unwrap() as usize,
                );
                assert_eq!(
                    &text[s..t],
                    e["text"].as_str().unwrap(),
                    "evidence offsets are byte offsets into the text"
                );
                assert!(e["entry"].as_str().unwrap().contains(".txt:"));
            }
        }
    }
    assert!(
        labelled > input.len() / 3,
        "the sample carries many signals: {labelled}"
    );
}

#[test]
fn classify_counts_rejects_and_keeps_going() {
    let dir = tempdir();
    let input = write(
        dir.path(),
        "in.jsonl",
        "{\"id\":\"a\",\"text\":\"אני רוצה לבטל את המנוי\"}\nnot json\n{\"id\":\"b\",\"text\":\"I want to cancel my account\"}\n",
    );
    let out = kashev(dir.path())
        .args(["classify", "--summary-json", "--rejects", "rejects.jsonl"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let records = jsonl(&out.stdout);
    assert_eq!(records.len(), 2);
    for r in &records {
        assert!(
            r["labels"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["label"] == "churn.cancel_intent"),
            "{r}"
        );
    }
    let summary: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stderr).lines().last().unwrap()).unwrap();
    assert_eq!(summary["read"], 3);
    assert_eq!(summary["accepted"], 2);
    assert_eq!(summary["rejected"], 1);
    assert_eq!(summary["labels"]["churn.cancel_intent"], 2);
    assert_eq!(
        jsonl(&std::fs::read(dir.path().join("rejects.jsonl")).unwrap()).len(),
        1
    );
}

#[test]
fn explain_shows_hits_with_their_lexicon_lines() {
    let dir = tempdir();
    let out = kashev(dir.path())
        .args(["explain", "לק' טוען לחיוב כפול ומבקש לבטל את המנוי"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("complaint.billing"), "{text}");
    assert!(text.contains("churn.cancel_intent"), "{text}");
    assert!(text.contains("he/complaint.txt:"), "{text}");
    let out = kashev(dir.path())
        .args(["explain", "--json", "I don't want to cancel my account"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hits = doc["explanation"]["hits"].as_array().unwrap();
    assert!(
        hits.iter().any(|h| h["group"] == "churn"
            && h["evidence"]["modifiers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m == "negated")),
        "{doc}"
    );
    assert!(
        doc["explanation"]["classification"]["labels"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

/// The quality floors CI holds the lexicons to, on the hand-labelled gold sets.
#[test]
fn gold_sets_stay_above_their_floors() {
    let dir = tempdir();
    let out = kashev(dir.path())
        .args(["eval", "--show", "0", "--floors"])
        .arg(repo("fixtures/gold/floors.txt"))
        .arg(repo("fixtures/gold/he.jsonl"))
        .arg(repo("fixtures/gold/en.jsonl"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn eval_exits_4_below_its_floors() {
    let dir = tempdir();
    let floors = write(
        dir.path(),
        "floors.txt",
        "[he.jsonl]\nsentiment_macro_f1 = 0.999\n",
    );
    let out = kashev(dir.path())
        .args(["eval", "--show", "0", "--floors"])
        .arg(&floors)
        .arg(repo("fixtures/gold/he.jsonl"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("below floor"));
}

#[test]
fn a_broken_lexicon_directory_is_a_usage_error_with_file_and_line() {
    let dir = tempdir();
    let lex = dir.path().join("lex");
    copy_dir(&repo("lexicons"), &lex);
    let churn = lex.join("he/churn.txt");
    let mut text = std::fs::read_to_string(&churn).unwrap();
    text.push_str("לעזוב מחר | churn.cancle_intent | 1\n");
    let line = text.lines().count();
    std::fs::write(&churn, text).unwrap();
    let out = kashev(dir.path())
        .args(["classify", "--lexicons"])
        .arg(&lex)
        .arg("-")
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("he/churn.txt:{line}")), "{stderr}");
}
