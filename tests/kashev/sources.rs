//! `kashev records` over every source format, inputs, field mapping, rejects and exit codes.

use std::path::Path;

use serde_json::{Value, json};

use crate::util::{gzip, jsonl, kashev, summary_json, tempdir, write};

/// The result of one run: exit code, records on stdout, stderr text.
struct Run {
    code: i32,
    records: Vec<Value>,
    stderr: String,
}

fn records(dir: &Path, args: &[&str]) -> Run {
    records_with_stdin(dir, args, Vec::new())
}

fn records_with_stdin(dir: &Path, args: &[&str], stdin: Vec<u8>) -> Run {
    let output = kashev(dir)
        .arg("records")
        .args(args)
        .write_stdin(stdin)
        .output()
        .expect("run kashev");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    Run {
        code: output.status.code().expect("an exit code"),
        records: jsonl(&output.stdout),
        stderr,
    }
}

fn texts(records: &[Value]) -> Vec<&str> {
    records
        .iter()
        .map(|r| r["text"].as_str().unwrap())
        .collect()
}

fn keys(record: &Value) -> Vec<&str> {
    record
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

#[test]
fn jsonl_records_are_normalised_with_meta_in_order() {
    let dir = tempdir();
    write(
        dir.path(),
        "notes.jsonl",
        "{\"zeta\":true,\"ticket_id\":1001,\"Body\":\"החיוב כפול החודש\",\"customer\":\"c-7\",\
         \"medium\":\"chat\",\"created_at\":\"2026-03-01T10:15:00+02:00\",\"alpha\":{\"k\":[1,2]},\"priority\":\"high\"}\n",
    );
    let run = records(dir.path(), &["notes.jsonl"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.records,
        [json!({
            "id": "1001", "text": "החיוב כפול החודש", "customer_id": "c-7", "channel": "chat",
            "timestamp": "2026-03-01T08:15:00Z", "lang": "he",
            "zeta": true, "alpha": {"k": [1, 2]}, "priority": "high"
        })]
    );
    assert_eq!(
        keys(&run.records[0]),
        [
            "id",
            "text",
            "customer_id",
            "channel",
            "timestamp",
            "lang",
            "zeta",
            "alpha",
            "priority"
        ]
    );
    assert!(
        run.stderr
            .contains("kashev: read 1 record, 1 accepted, 0 rejected"),
        "{}",
        run.stderr
    );
}

#[test]
fn csv_with_quoted_multiline_fields_crlf_and_bom() {
    let dir = tempdir();
    write(
        dir.path(),
        "calls.csv",
        "\u{feff}interaction_id,Notes,agent,date,queue\r\n\
         i1,\"customer says \"\"cancel\"\"\r\nline two, with a comma\",a7,2026-01-05,billing\r\n\
         \r\n\
         i2,מנכ\"ל החברה התקשר,a8,2026-01-06 09:30,vip\r\n",
    );
    let run = records(dir.path(), &["calls.csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.records.len(), 2);
    assert_eq!(run.records[0]["id"], "i1");
    assert_eq!(
        run.records[0]["text"],
        "customer says \"cancel\"\r\nline two, with a comma"
    );
    assert_eq!(run.records[0]["agent_id"], "a7");
    assert_eq!(run.records[0]["timestamp"], "2026-01-05T00:00:00Z");
    assert_eq!(run.records[0]["queue"], "billing");
    assert_eq!(run.records[1]["text"], "מנכ\"ל החברה התקשר");
    assert_eq!(run.records[1]["timestamp"], "2026-01-06T09:30:00Z");
}

#[test]
fn tsv_and_custom_delimiters() {
    let dir = tempdir();
    write(
        dir.path(),
        "a.tsv",
        "text\tchannel\n\"quoted\" start\temail\n",
    );
    write(dir.path(), "b.csv", "text;channel\n\"a; b\";social\n");
    let run = records(dir.path(), &["a.tsv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.records[0]["text"], "\"quoted\" start");
    assert_eq!(run.records[0]["channel"], "email");
    let run = records(dir.path(), &["--delimiter", ";", "b.csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.records[0]["text"], "a; b");
    assert_eq!(run.records[0]["channel"], "social");
}

#[test]
fn plain_text_ids_are_derived_and_stable_across_runs() {
    let dir = tempdir();
    write(
        dir.path(),
        "lines.txt",
        "the bill is wrong\r\n\nהחשבון שגוי\nthe bill is wrong\n",
    );
    let first = records(dir.path(), &["lines.txt"]);
    let second = records(dir.path(), &["lines.txt"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(
        texts(&first.records),
        ["the bill is wrong", "החשבון שגוי", "the bill is wrong"]
    );
    let ids = |run: &Run| -> Vec<String> {
        run.records
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&first), ids(&second));
    assert_eq!(ids(&first)[0], ids(&first)[2], "same content, same id");
    assert_ne!(ids(&first)[0], ids(&first)[1]);
    assert_eq!(first.records[1]["lang"], "he");
    assert_eq!(first.records[0]["lang"], "en");

    // A JSONL record without an id gets the same id as the same text in plain text.
    write(
        dir.path(),
        "same.jsonl",
        "{\"text\":\"the bill is wrong\"}\n",
    );
    let json = records(dir.path(), &["same.jsonl"]);
    assert_eq!(json.records[0]["id"], first.records[0]["id"]);
}

#[test]
fn several_inputs_stdin_and_gzip_in_one_run() {
    let dir = tempdir();
    write(dir.path(), "a.jsonl", "{\"text\":\"one\"}\n");
    write(dir.path(), "b.csv.gz", gzip("text,id\ntwo,2\n"));
    write(dir.path(), "c.txt", "four\n");
    let run = records_with_stdin(
        dir.path(),
        &["a.jsonl", "b.csv.gz", "-", "c.txt"],
        b"{\"text\":\"three\"}\n".to_vec(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(texts(&run.records), ["one", "two", "three", "four"]);
    assert!(
        run.stderr
            .contains("read 4 records, 4 accepted, 0 rejected"),
        "{}",
        run.stderr
    );
}

#[test]
fn stdin_is_the_default_and_may_be_gzip() {
    let dir = tempdir();
    let run = records_with_stdin(dir.path(), &[], b"{\"text\":\"from stdin\"}\n".to_vec());
    assert_eq!(texts(&run.records), ["from stdin"]);
    let run = records_with_stdin(
        dir.path(),
        &["-", "--format", "csv"],
        gzip("text\nzipped\n"),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(texts(&run.records), ["zipped"]);
    // A .gz name on a file that is not compressed still reads: gzip goes by content.
    write(
        dir.path(),
        "plain.jsonl.gz",
        "{\"text\":\"not really gzip\"}\n",
    );
    assert_eq!(
        texts(&records(dir.path(), &["plain.jsonl.gz"]).records),
        ["not really gzip"]
    );
}

#[test]
fn field_mapping_flags() {
    let dir = tempdir();
    write(
        dir.path(),
        "export.csv",
        "Summary,Ref,Cust,Via,Rep,When,Lng,text\n\
         לקוח מאיים לעבור,R1,C1,phone,A1,2026-02-01 08:00,HE,not the text\n",
    );
    let flags = [
        "--text-field",
        "Summary",
        "--id-field",
        "Ref",
        "--customer-field",
        "Cust",
        "--channel-field",
        "Via",
        "--agent-field",
        "Rep",
        "--timestamp-field",
        "When",
        "--lang-field",
        "Lng",
        "--timezone",
        "Asia/Jerusalem",
        "export.csv",
    ];
    let run = records(dir.path(), &flags);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // `text` is not the text here, and it is a record field's name: it is kept as `input_text`.
    assert_eq!(
        run.records,
        [json!({
            "id": "R1", "text": "לקוח מאיים לעבור", "customer_id": "C1", "channel": "phone",
            "agent_id": "A1", "timestamp": "2026-02-01T06:00:00Z", "lang": "he",
            "input_text": "not the text"
        })]
    );

    // An explicitly named column that is not in the header is a usage error naming the file and
    // listing the columns.
    let run = records(dir.path(), &["--text-field", "summary", "export.csv"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "export.csv:1: no column `summary` for the text field; the columns are: Summary, Ref, \
             Cust, Via, Rep, When, Lng, text"
        ),
        "{}",
        run.stderr
    );
    assert!(run.records.is_empty());
}

#[test]
fn every_reject_reason_is_reported_with_file_and_line() {
    let dir = tempdir();
    let big = format!("{{\"text\":\"{}\"}}", "x".repeat(300));
    let jsonl_lines: Vec<&[u8]> = vec![
        b"{\"text\":\"good one\"}",
        b"{\"text\": oops}",
        b"[\"an\",\"array\"]",
        b"{\"id\":\"no text\"}",
        b"{\"text\":42}",
        b"{\"text\":\"   \"}",
        b"{\"text\":\"bad \xff byte\"}",
        big.as_bytes(),
        b"{\"text\":\"when?\",\"timestamp\":\"last tuesday\"}",
        b"{\"text\":\"who?\",\"customer_id\":{\"nested\":1}}",
        b"",
        b"{\"text\":\"good two\"}",
    ];
    write(dir.path(), "mixed.jsonl", jsonl_lines.join(&b'\n'));
    write(
        dir.path(),
        "rows.csv",
        b"id,text\n1,fine\n2\n3,bad \xfe byte\n4,\"never closed\n5,swallowed\n",
    );
    let run = records(
        dir.path(),
        &[
            "--max-record-bytes",
            "200",
            "--rejects",
            "rejects.jsonl",
            "mixed.jsonl",
            "rows.csv",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(texts(&run.records), ["good one", "good two", "fine"]);
    let want: [(&str, u64, &str, &str); 12] = [
        (
            "mixed.jsonl",
            2,
            "invalid_json",
            "invalid JSON: expected value at line 1 column 10",
        ),
        (
            "mixed.jsonl",
            3,
            "not_object",
            "line is not a JSON object (found an array)",
        ),
        ("mixed.jsonl", 4, "missing_text", "missing `text`"),
        (
            "mixed.jsonl",
            5,
            "text_not_string",
            "`text` is not a string (found a number)",
        ),
        ("mixed.jsonl", 6, "empty_text", "empty text in `text`"),
        ("mixed.jsonl", 7, "invalid_utf8", "invalid UTF-8 at byte 13"),
        (
            "mixed.jsonl",
            8,
            "too_large",
            "record over the size limit (311 bytes; the limit is 200)",
        ),
        (
            "mixed.jsonl",
            9,
            "bad_timestamp",
            "unparseable timestamp in `timestamp`: \"last tuesday\"; expected RFC 3339 \
             (2026-03-01T10:15:00Z) or YYYY-MM-DD[ HH:MM[:SS]]",
        ),
        (
            "mixed.jsonl",
            10,
            "bad_field",
            "`customer_id` must be a string or a number (found an object)",
        ),
        (
            "rows.csv",
            3,
            "wrong_field_count",
            "wrong number of fields: expected 2, got 1",
        ),
        (
            "rows.csv",
            4,
            "invalid_utf8",
            "invalid UTF-8 at byte 4 in column `text`",
        ),
        (
            "rows.csv",
            5,
            "unterminated_quote",
            "unterminated quoted field: the quote opened on this row is still open at the end of \
             the input (2 lines, 28 bytes)",
        ),
    ];
    for (file, line, _, reason) in want {
        let message = format!("kashev: {file}:{line}: {reason}\n");
        assert!(
            run.stderr.contains(&message),
            "missing {message:?} in\n{}",
            run.stderr
        );
    }
    let rejects = jsonl(&std::fs::read(dir.path().join("rejects.jsonl")).unwrap());
    let got: Vec<(&str, u64, &str, &str)> = rejects
        .iter()
        .map(|r| {
            (
                r["source"].as_str().unwrap(),
                r["line"].as_u64().unwrap(),
                r["kind"].as_str().unwrap(),
                r["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(rejects[0]["raw"], "{\"text\": oops}");
    assert_eq!(rejects[4]["field"], "text");
    assert_eq!(rejects[5]["raw"], "{\"text\":\"bad \u{FFFD} byte\"}");
    assert!(
        rejects[6]["raw"]
            .as_str()
            .unwrap()
            .ends_with("… [311 bytes]")
    );
    assert!(
        run.stderr.contains(
            "kashev: read 15 records, 3 accepted, 12 rejected (2 invalid UTF-8, 1 invalid JSON, \
             1 not a JSON object, 1 missing text, 1 text not a string, 1 empty text, \
             1 over the size limit, 1 unparseable timestamp, 1 bad field value, \
             1 wrong number of fields, 1 unterminated quote)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn an_explicit_field_missing_from_a_jsonl_record_is_a_reject() {
    let dir = tempdir();
    write(
        dir.path(),
        "a.jsonl",
        "{\"text\":\"a\",\"rep\":\"r1\"}\n{\"text\":\"b\"}\n",
    );
    let run = records(dir.path(), &["--agent-field", "rep", "a.jsonl"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.records[0]["agent_id"], "r1");
    assert!(
        run.stderr.contains("kashev: a.jsonl:2: missing `rep`\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn read_equals_accepted_plus_rejected_on_output() {
    let dir = tempdir();
    let mut body = String::new();
    for i in 0..500 {
        match i % 7 {
            0 => body.push_str("not json\n"),
            3 => body.push_str("{\"id\":5}\n"),
            5 => body.push('\n'),
            _ => body.push_str(&format!("{{\"text\":\"note {i}\"}}\n")),
        }
    }
    write(dir.path(), "big.jsonl", &body);
    write(dir.path(), "more.csv", "text,x\na,1\nb\nc,3\n");
    let output = kashev(dir.path())
        .args([
            "records",
            "--summary-json",
            "--rejects",
            "r.jsonl",
            "-o",
            "out.jsonl",
            "big.jsonl",
            "more.csv",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "records go to -o");
    let summary = summary_json(&output.stderr);
    let written = jsonl(&std::fs::read(dir.path().join("out.jsonl")).unwrap()).len() as u64;
    let rejected = jsonl(&std::fs::read(dir.path().join("r.jsonl")).unwrap()).len() as u64;
    assert_eq!(summary["accepted"], written);
    assert_eq!(summary["rejected"], rejected);
    assert_eq!(summary["read"], written + rejected);
    assert_eq!(summary["read"], 500 - 71 + 3, "blank lines are not records");
    assert_eq!(summary["complete"], true);
    assert_eq!(summary["rejected_by_reason"]["invalid_json"], 72);
    let inputs = summary["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 2);
    for input in inputs {
        assert_eq!(
            input["read"],
            input["accepted"].as_u64().unwrap() + input["rejected"].as_u64().unwrap()
        );
    }
    assert_eq!(inputs[1]["format"], "csv");
}

#[test]
fn exit_codes() {
    let dir = tempdir();
    write(dir.path(), "ok.jsonl", "{\"text\":\"fine\"}\n");
    write(dir.path(), "bad.jsonl", "{\"text\":\"fine\"}\nbroken\n");
    write(dir.path(), "export.dat", "x\n");
    write(dir.path(), "notext.csv", "id,x\n1,2\n");
    let cases: [(&str, &[&str], i32, &str); 11] = [
        ("clean", &["ok.jsonl"], 0, ""),
        ("rejects", &["bad.jsonl"], 1, "bad.jsonl:2: invalid JSON"),
        (
            "missing file",
            &["ok.jsonl", "nope.jsonl"],
            2,
            "nope.jsonl: ",
        ),
        (
            "unknown extension",
            &["export.dat"],
            2,
            "export.dat: cannot tell the format",
        ),
        (
            "no text column",
            &["notext.csv"],
            2,
            "notext.csv:1: no text column",
        ),
        (
            "bad time zone",
            &["--timezone", "Mars/Olympus", "ok.jsonl"],
            2,
            "unknown time zone",
        ),
        (
            "bad size",
            &["--max-record-bytes", "0", "ok.jsonl"],
            2,
            "at least 1 byte",
        ),
        (
            "delimiter with jsonl",
            &["--format", "jsonl", "--delimiter", ";", "ok.jsonl"],
            2,
            "a delimiter applies to CSV and TSV only",
        ),
        (
            "stdin twice",
            &["-", "-"],
            2,
            "standard input (`-`) is named more than once",
        ),
        (
            "output in a missing directory",
            &["-o", "nodir/out.jsonl", "ok.jsonl"],
            2,
            "nodir/out.jsonl: ",
        ),
        (
            "rejects in a missing directory",
            &["--rejects", "nodir/r.jsonl", "ok.jsonl"],
            2,
            "nodir/r.jsonl: ",
        ),
    ];
    for (name, args, code, message) in cases {
        let run = records(dir.path(), args);
        assert_eq!(run.code, code, "{name}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{name}: {}", run.stderr);
    }
    // A missing file is found before anything is written.
    assert!(
        records(dir.path(), &["ok.jsonl", "nope.jsonl"])
            .records
            .is_empty()
    );
}

#[test]
fn empty_input_is_not_an_error() {
    let dir = tempdir();
    write(dir.path(), "empty.jsonl", "");
    write(dir.path(), "blank.txt", "\n\n  \n");
    write(dir.path(), "header.csv", "text,id\n");
    write(dir.path(), "nothing.csv", "");
    for args in [
        &["empty.jsonl"][..],
        &["blank.txt"],
        &["header.csv"],
        &["nothing.csv"],
        &[],
    ] {
        let run = records(dir.path(), args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(run.records.is_empty());
        assert!(
            run.stderr
                .contains("read 0 records, 0 accepted, 0 rejected"),
            "{}",
            run.stderr
        );
    }
}

/// Deterministic junk: a xorshift stream.
fn junk(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

#[test]
fn binary_junk_does_not_panic() {
    let dir = tempdir();
    for (i, name) in [
        "junk.jsonl",
        "junk.txt",
        "junk.csv",
        "junk.tsv",
        "junk.jsonl.gz",
    ]
    .iter()
    .enumerate()
    {
        write(
            dir.path(),
            name,
            junk(200_000, 0x9E37_79B9_7F4A_7C15 + i as u64),
        );
        let run = records(dir.path(), &["--max-record-bytes", "4K", name]);
        // Rejects (1) for line formats; an unusable header (2) for CSV/TSV; never a crash.
        assert!(
            [0, 1, 2].contains(&run.code),
            "{name}: {} {}",
            run.code,
            run.stderr
        );
    }
    // Junk inside a real gzip stream.
    write(dir.path(), "zipped.jsonl.gz", gzip(junk(100_000, 7)));
    let run = records(dir.path(), &["-q", "zipped.jsonl.gz"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.is_empty(), "--quiet: {}", run.stderr);
}

#[test]
fn corrupt_gzip_midway_stops_with_an_error_naming_the_file() {
    let dir = tempdir();
    let body: String = (0..50_000)
        .map(|i| format!("{{\"text\":\"record {i}\"}}\n"))
        .collect();
    let data = gzip(&body);
    write(dir.path(), "cut.jsonl.gz", &data[..data.len() / 2]);
    let run = records(dir.path(), &["cut.jsonl.gz"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("kashev: cut.jsonl.gz: corrupt gzip stream after line "),
        "{}",
        run.stderr
    );
    assert!(
        !run.records.is_empty(),
        "records before the damage are written"
    );
    assert!(
        run.stderr.contains("accepted, 0 rejected before stopping"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_over_long_line_is_rejected_and_the_rest_is_read() {
    let dir = tempdir();
    let mut body = format!("{{\"text\":\"{}\"}}\n", "ש".repeat(1_500_000));
    body.push_str("{\"text\":\"after the long line\"}\n");
    write(dir.path(), "long.jsonl", &body);
    let run = records(dir.path(), &["long.jsonl"]);
    assert_eq!(run.code, 1);
    assert_eq!(texts(&run.records), ["after the long line"]);
    assert!(
        run.stderr.contains(
            "long.jsonl:1: record over the size limit (3000011 bytes; the limit is 1048576)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn only_the_first_rejects_are_printed() {
    let dir = tempdir();
    let lines: String = (0..30).map(|_| "[]\n").collect();
    write(dir.path(), "many.jsonl", &lines);
    let run = records(dir.path(), &["many.jsonl"]);
    assert_eq!(run.stderr.matches("line is not a JSON object").count(), 20);
    assert!(
        run.stderr
            .contains("kashev: 10 more rejects not shown; --rejects PATH writes them all"),
        "{}",
        run.stderr
    );
    let run = records(dir.path(), &["--rejects", "r.jsonl", "many.jsonl"]);
    assert!(
        run.stderr
            .contains("kashev: 10 more rejects not shown; all are in r.jsonl"),
        "{}",
        run.stderr
    );
    assert_eq!(
        jsonl(&std::fs::read(dir.path().join("r.jsonl")).unwrap()).len(),
        30
    );
}

#[test]
fn a_closed_stdout_is_success() {
    use std::process::{Command, Stdio};
    let dir = tempdir();
    let body: String = (0..50_000)
        .map(|i| format!("{{\"text\":\"record {i}\"}}\n"))
        .collect();
    write(dir.path(), "many.jsonl", &body);
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("kashev"))
        .current_dir(dir.path())
        .args(["records", "many.jsonl"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end at once: the output (over a megabyte) cannot fit in the pipe.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        !stderr.contains("Broken pipe") && !stderr.contains("before stopping"),
        "{stderr}"
    );
}
