//! `kashev lexicon check` and `kashev lexicon stats`.

use std::path::Path;

use kashev::lexicon::FILES;

use crate::util::{kashev, tempdir};

const TAXONOMY: &str = "\
sentiment | sentiment | רגש | feeling
complaint.billing | complaint | חיוב | billing
churn.cancel_intent | churn | ביטול | cancel
";

/// Writes a complete lexicon directory: the given files, the rest empty (the taxonomy above unless
/// given).
fn lexicon_dir(dir: &Path, files: &[(&str, &str)]) {
    for name in FILES {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let default = if name == "taxonomy.txt" { TAXONOMY } else { "" };
        let text = files
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(default, |(_, t)| *t);
        std::fs::write(path, text).unwrap();
    }
}

#[test]
fn check_accepts_the_embedded_defaults() {
    let dir = tempdir();
    let out = kashev(dir.path())
        .args(["lexicon", "check"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "exit {:?}\n{stdout}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(summary.starts_with("embedded defaults: ok: "), "{summary}");
    assert!(summary.contains(" 0 errors"), "{summary}");
    // Any line before the summary is a warning, with its place.
    for line in stdout.lines().filter(|l| *l != summary) {
        assert!(
            line.starts_with("lexicons/") && line.contains(": warning: "),
            "{line}"
        );
    }
}

#[test]
fn check_reports_every_problem_with_its_place_and_exits_2() {
    let dir = tempdir();
    let lex = dir.path().join("lex");
    lexicon_dir(
        &lex,
        &[
            (
                "he/churn.txt",
                "# churn\nביטול | churn.cancle_intent | 1\nלבטל | churn.cancel_intent | 0.7\n",
            ),
            (
                "en/sentiment.txt",
                "good | sentiment | 9\ngood | sentiment | 9\n",
            ),
            (
                "en/churn.txt",
                "cancel account | churn.cancel_intent | 1 | gap=7\n",
            ),
            (
                "en/complaint.txt",
                "double charged | complaint.billing | 1\ndouble charge | complaint.billing | 1\n",
            ),
        ],
    );
    std::fs::remove_file(lex.join("he/modifiers.txt")).unwrap();
    let out = kashev(dir.path())
        .args(["lexicon", "check", "lex"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let expected = [
        "lex/en/churn.txt:1: malformed flag: `gap=7`: the gap must be 1, 2 or 3",
        "lex/en/complaint.txt:2: warning: duplicate entry: `double charge` reads the same as `double charged`",
        "lex/en/sentiment.txt:1: bad weight `9`: sentiment weights lie in -4..4 and are not 0",
        "lex/en/sentiment.txt:2: bad weight `9`",
        "lex/he/churn.txt:2: unknown label `churn.cancle_intent` (not in taxonomy.txt; did you mean `churn.cancel_intent`?)",
        "lex/he/modifiers.txt: missing",
        "lex/taxonomy.txt:1: warning: label `sentiment` has no entries",
    ];
    for want in expected {
        assert!(
            stdout.lines().any(|l| l.starts_with(want)),
            "no line starting with {want:?} in\n{stdout}"
        );
    }
    assert!(
        !stdout.contains("he/churn.txt:3"),
        "a good line is not a problem:\n{stdout}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("lex: 5 errors, 2 warnings"), "{stderr}");
}

#[test]
fn check_passes_with_warnings_only() {
    let dir = tempdir();
    lexicon_dir(
        dir.path(),
        &[
            (
                "he/churn.txt",
                "ביטול | churn.cancel_intent | 1\nביטול | churn.cancel_intent | 1\n",
            ),
            ("he/sentiment.txt", "מעולה | sentiment | 3\n"),
            ("he/complaint.txt", "חיוב כפול | complaint.billing | 1\n"),
        ],
    );
    let out = kashev(dir.path())
        .args(["lexicon", "check", "."])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .contains("he/churn.txt:2: warning: duplicate entry: `ביטול` as `churn.cancel_intent`"),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .last()
            .unwrap()
            .ends_with("ok: 3 entries, 0 errors, 1 warning"),
        "{stdout}"
    );
}

#[test]
fn check_of_a_missing_directory_is_a_usage_error() {
    let dir = tempdir();
    let out = kashev(dir.path())
        .args(["lexicon", "check", "nowhere"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("nowhere: not a lexicon directory"));
}

#[test]
fn stats_count_entries_per_label_and_language() {
    let dir = tempdir();
    let out = kashev(dir.path())
        .args(["lexicon", "stats"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    for want in [
        "lexicon:     embedded defaults",
        "fingerprint: ",
        "he/churn.txt",
        "churn.cancel_intent",
        "negator",
        "vocabulary:",
    ] {
        assert!(stdout.contains(want), "no {want:?} in\n{stdout}");
    }

    let out = kashev(dir.path())
        .args(["lexicon", "stats", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fingerprint = stats["fingerprint"].as_str().unwrap();
    assert_eq!(fingerprint.len(), 16, "{fingerprint}");
    assert!(fingerprint.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(stats["entries"].as_u64().unwrap() > 5_000);
    assert!(stats["patterns"].as_u64().unwrap() > 1_000);
    let labels = stats["labels"].as_array().unwrap();
    let cancel = labels
        .iter()
        .find(|l| l["label"] == "churn.cancel_intent")
        .unwrap();
    assert!(
        cancel["he"].as_u64().unwrap() > 0 && cancel["en"].as_u64().unwrap() > 0,
        "{cancel}"
    );
    assert_eq!(cancel["group"], "churn");

    // The same fingerprint twice; another for another lexicon.
    let again = kashev(dir.path())
        .args(["lexicon", "stats", "--json"])
        .output()
        .unwrap();
    let again: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(again["fingerprint"], stats["fingerprint"]);
    lexicon_dir(
        &dir.path().join("lex"),
        &[("he/churn.txt", "ביטול | churn.cancel_intent | 1\n")],
    );
    let other = kashev(dir.path())
        .args(["lexicon", "stats", "--json", "--lexicons", "lex"])
        .output()
        .unwrap();
    assert!(
        other.status.success(),
        "{}",
        String::from_utf8_lossy(&other.stderr)
    );
    let other: serde_json::Value = serde_json::from_slice(&other.stdout).unwrap();
    assert_ne!(other["fingerprint"], stats["fingerprint"]);
    assert_eq!(other["entries"], 1);
}

#[test]
fn stats_on_a_broken_directory_lists_the_problems_and_exits_2() {
    let dir = tempdir();
    lexicon_dir(dir.path(), &[("en/churn.txt", "cancel | churn.nope | 1\n")]);
    let out = kashev(dir.path())
        .args(["lexicon", "stats", "--lexicons", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("en/churn.txt:1: unknown label `churn.nope`"),
        "{stderr}"
    );
}
