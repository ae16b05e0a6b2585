//! Whole-source cases: bytes in, entries and tallies out, for every format and reject reason.

use std::io::{Cursor, Write as _};

use flate2::Compression;
use flate2::write::GzEncoder;
use proptest::prelude::*;
use serde_json::Value;

use super::*;

/// What a source made of its input: the records' JSON, the rejects' lines and kinds, the tally.
type Outcome = (Vec<Value>, Vec<(u64, RejectKind)>, Tally);

fn run(settings: &SourceSettings, format: Format, input: &[u8]) -> Result<Outcome> {
    let mut reader = settings.read("in", format, Cursor::new(input.to_vec()))?;
    let (mut records, mut rejects) = (Vec::new(), Vec::new());
    for entry in &mut reader {
        match entry? {
            Entry::Record(record) => records.push(Value::Object(record.to_json())),
            Entry::Reject(reject) => rejects.push((reject.line, reject.kind)),
        }
    }
    let tally = reader.tally().clone();
    assert!(tally.is_consistent(), "{tally:?}");
    assert_eq!(tally.accepted as usize, records.len());
    assert_eq!(tally.rejected as usize, rejects.len());
    Ok((records, rejects, tally))
}

fn defaults() -> SourceSettings {
    SourceSettings::default()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

#[test]
fn every_reject_reason_with_its_line() {
    use RejectKind::*;
    let small = SourceSettings::builder()
        .max_record_bytes(40)
        .build()
        .unwrap();
    let mut explicit = FieldMap::new();
    explicit.set(Field::AgentId, "rep");
    let explicit = SourceSettings::builder().fields(explicit).build().unwrap();
    type Case<'a> = (
        &'a str,
        &'a SourceSettings,
        Format,
        &'a [u8],
        &'a [(u64, RejectKind)],
    );
    let d = defaults();
    let long_json = format!(
        "{{\"text\":\"{}\"}}\n{{\"text\":\"ok\"}}\n",
        "x".repeat(100)
    );
    let long_text = format!("{}\nok\n", "ש".repeat(100));
    let cases: [Case; 14] = [
        (
            "invalid JSON",
            &d,
            Format::Jsonl,
            b"{\"text\":\"ok\"}\n{\"text\":\n",
            &[(2, InvalidJson)],
        ),
        (
            "not an object",
            &d,
            Format::Jsonl,
            b"\n[1]\n",
            &[(2, NotObject)],
        ),
        (
            "missing text",
            &d,
            Format::Jsonl,
            b"{\"id\":1}\n",
            &[(1, MissingText)],
        ),
        (
            "text not a string",
            &d,
            Format::Jsonl,
            b"{\"text\":{}}\n",
            &[(1, TextNotString)],
        ),
        (
            "empty text",
            &d,
            Format::Jsonl,
            b"{\"text\":\"\"}\r\n{\"text\":\" \"}\r\n",
            &[(1, EmptyText), (2, EmptyText)],
        ),
        (
            "invalid UTF-8 in JSONL",
            &d,
            Format::Jsonl,
            b"{\"text\":\"\xc0\"}\n",
            &[(1, InvalidUtf8)],
        ),
        (
            "invalid UTF-8 in text",
            &d,
            Format::Text,
            b"fine\n\xff\xfe\n",
            &[(2, InvalidUtf8)],
        ),
        (
            "over the size limit",
            &small,
            Format::Jsonl,
            long_json.as_bytes(),
            &[(1, TooLarge)],
        ),
        (
            "text line over the limit",
            &small,
            Format::Text,
            long_text.as_bytes(),
            &[(1, TooLarge)],
        ),
        (
            "unparseable timestamp",
            &d,
            Format::Jsonl,
            b"{\"text\":\"a\",\"timestamp\":\"noon\"}\n",
            &[(1, BadTimestamp)],
        ),
        (
            "bad field value",
            &d,
            Format::Jsonl,
            b"{\"text\":\"a\",\"customer_id\":[1]}\n",
            &[(1, BadField)],
        ),
        (
            "missing explicit field",
            &explicit,
            Format::Jsonl,
            b"{\"text\":\"a\",\"rep\":\"r1\"}\n{\"text\":\"b\"}\n",
            &[(2, MissingField)],
        ),
        (
            "wrong number of fields",
            &d,
            Format::Csv,
            b"id,text\n1,a\n2\n3,c,extra\n",
            &[(3, WrongFieldCount), (4, WrongFieldCount)],
        ),
        (
            "unterminated quote",
            &d,
            Format::Csv,
            b"id,text\n1,a\n2,\"open\nstill open\n",
            &[(3, UnterminatedQuote)],
        ),
    ];
    for (name, settings, format, input, want) in cases {
        let (_, rejects, _) =
            run(settings, format, input).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(rejects, want.to_vec(), "{name}");
    }
}

#[test]
fn csv_invalid_utf8_and_oversized_rows_are_rejected_and_the_stream_goes_on() {
    let small = SourceSettings::builder()
        .max_record_bytes(30)
        .build()
        .unwrap();
    let input = format!(
        "id,text\n1,\"{}\n{}\"\n2,caf\u{e9}\n3,ok\n",
        "a".repeat(20),
        "b".repeat(20)
    );
    let mut bytes = input.into_bytes();
    // Make row 2's é invalid: keep its first byte only.
    let pos = bytes.windows(2).position(|w| w == "é".as_bytes()).unwrap();
    bytes.remove(pos + 1);
    let (records, rejects, tally) = run(&small, Format::Csv, &bytes).unwrap();
    assert_eq!(
        rejects,
        [(2, RejectKind::TooLarge), (4, RejectKind::InvalidUtf8)]
    );
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["id"], "3");
    assert_eq!(tally.read, 3);
}

#[test]
fn reject_details() {
    let mut reader = defaults()
        .read(
            "calls.jsonl",
            Format::Jsonl,
            Cursor::new(b"{\"text\":1}\n".to_vec()),
        )
        .unwrap();
    let Some(Ok(Entry::Reject(reject))) = reader.next() else {
        panic!()
    };
    assert_eq!(
        reject.to_string(),
        "calls.jsonl:1: `text` is not a string (found a number)"
    );
    assert_eq!(reject.field.as_deref(), Some("text"));
    assert_eq!(reject.raw, "{\"text\":1}");
    let huge = format!(
        "{{\"text\":\"{}\"}}",
        "x".repeat(2 * DEFAULT_MAX_RECORD_BYTES)
    );
    let mut reader = defaults()
        .read("big", Format::Jsonl, Cursor::new(huge.into_bytes()))
        .unwrap();
    let Some(Ok(Entry::Reject(reject))) = reader.next() else {
        panic!()
    };
    assert_eq!(reject.kind, RejectKind::TooLarge);
    assert!(reject.raw.starts_with("{\"text\":\"xxx"));
    assert!(
        reject
            .raw
            .ends_with(&format!("… [{} bytes]", 2 * DEFAULT_MAX_RECORD_BYTES + 11)),
        "{}",
        &reject.raw[480..]
    );
    assert!(reject.raw.len() < RAW_LIMIT + 40);
}

#[test]
fn every_format_yields_the_same_record() {
    let want = serde_json::json!({
        "id": "t1", "text": "החשבון שגוי, again", "customer_id": "c1", "channel": "chat",
        "timestamp": "2026-03-01T08:15:00Z", "lang": "mixed", "priority": "high"
    });
    let cases: [(&str, Format, &str); 4] = [
        (
            "jsonl",
            Format::Jsonl,
            "{\"id\":\"t1\",\"text\":\"החשבון שגוי, again\",\"customer_id\":\"c1\",\"channel\":\"chat\",\"timestamp\":\"2026-03-01T10:15:00+02:00\",\"lang\":\"mixed\",\"priority\":\"high\"}\n",
        ),
        (
            "csv",
            Format::Csv,
            "id,text,customer_id,channel,timestamp,lang,priority\nt1,\"החשבון שגוי, again\",c1,chat,2026-03-01T10:15:00+02:00,mixed,high\n",
        ),
        (
            "csv crlf with bom",
            Format::Csv,
            "\u{feff}id,text,customer_id,channel,timestamp,lang,priority\r\nt1,\"החשבון שגוי, again\",c1,chat,2026-03-01T10:15:00+02:00,mixed,high\r\n",
        ),
        (
            "tsv",
            Format::Tsv,
            "id\ttext\tcustomer_id\tchannel\ttimestamp\tlang\tpriority\nt1\tהחשבון שגוי, again\tc1\tchat\t2026-03-01T10:15:00+02:00\tmixed\thigh\n",
        ),
    ];
    for (name, format, input) in cases {
        for compressed in [false, true] {
            let bytes = if compressed {
                gzip(input.as_bytes())
            } else {
                input.as_bytes().to_vec()
            };
            let (records, rejects, _) = run(&defaults(), format, &bytes).unwrap();
            assert_eq!(rejects, [], "{name}");
            assert_eq!(
                records,
                std::slice::from_ref(&want),
                "{name} (gzip: {compressed})"
            );
        }
    }
    let (records, _, _) = run(
        &defaults(),
        Format::Text,
        "החשבון שגוי, again\r\n\n".as_bytes(),
    )
    .unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["text"], "החשבון שגוי, again");
    assert_eq!(records[0]["id"], Record::from_text("החשבון שגוי, again").id);
}

#[test]
fn civil_timestamps_use_the_configured_zone() {
    let zone = TimeZone::get("Asia/Jerusalem").unwrap();
    let settings = SourceSettings::builder().timezone(zone).build().unwrap();
    let (records, _, _) = run(&settings, Format::Jsonl, b"{\"text\":\"a\",\"date\":\"2026-07-01 12:00\"}\n{\"text\":\"b\",\"date\":\"2026-07-01T12:00:00Z\"}\n").unwrap();
    assert_eq!(records[0]["timestamp"], "2026-07-01T09:00:00Z");
    assert_eq!(records[1]["timestamp"], "2026-07-01T12:00:00Z");
}

#[test]
fn empty_inputs_have_no_records() {
    for format in Format::ALL {
        for input in [&b""[..], b"\n", b"\r\n  \n", b"\xef\xbb\xbf"] {
            let (records, rejects, tally) = run(&defaults(), format, input).unwrap();
            assert_eq!(
                (records.len(), rejects.len(), tally.read),
                (0, 0, 0),
                "{format} {input:?}"
            );
        }
    }
}

#[test]
fn corrupt_gzip_midway_is_an_error_after_the_good_records() {
    let body: String = (0..20_000)
        .map(|i| format!("{{\"text\":\"record number {i}\"}}\n"))
        .collect();
    let mut data = gzip(body.as_bytes());
    let len = data.len();
    data.truncate(len * 2 / 3);
    let reader = defaults()
        .read("x.jsonl.gz", Format::Jsonl, Cursor::new(data))
        .unwrap();
    let mut good = 0;
    let mut error = None;
    for entry in reader {
        match entry {
            Ok(Entry::Record(_)) => good += 1,
            Ok(Entry::Reject(r)) => panic!("{r}"),
            Err(e) => error = Some(e),
        }
    }
    let error = error.expect("an error");
    let message = error.to_string();
    assert!(
        message.starts_with("x.jsonl.gz: corrupt gzip stream after line "),
        "{message}"
    );
    assert!(message.contains("bytes decompressed"), "{message}");
    assert!(error.is_usage());
    assert!(good > 1000 && good < 20_000, "{good}");
}

#[test]
fn format_inference() {
    let cases = [
        ("a.jsonl", Some(Format::Jsonl)),
        ("a.NDJSON", Some(Format::Jsonl)),
        ("dir.v2/a.json.gz", Some(Format::Jsonl)),
        ("a.csv", Some(Format::Csv)),
        ("a.csv.gz", Some(Format::Csv)),
        ("a.tsv", Some(Format::Tsv)),
        ("a.tab", Some(Format::Tsv)),
        ("a.txt", Some(Format::Text)),
        ("a.log.gz", Some(Format::Text)),
        ("a.gz", None),
        ("a.xlsx", None),
        ("README", None),
    ];
    for (path, want) in cases {
        assert_eq!(Format::from_path(Path::new(path)), want, "{path}");
    }
    let err = defaults()
        .format_of(&Input::from_arg("export"))
        .unwrap_err();
    assert!(
        err.is_usage()
            && err
                .to_string()
                .starts_with("export: cannot tell the format")
    );
    assert_eq!(
        defaults().format_of(&Input::from_arg("-")).unwrap(),
        Format::Jsonl
    );
    let forced = SourceSettings::builder()
        .format(Some(Format::Csv))
        .build()
        .unwrap();
    assert_eq!(
        forced.format_of(&Input::from_arg("x.jsonl")).unwrap(),
        Format::Csv
    );
    assert_eq!("NDJSON".parse::<Format>().unwrap(), Format::Jsonl);
    assert!("xml".parse::<Format>().is_err());
}

#[test]
fn builder_validation() {
    let mut text_twice = FieldMap::new();
    text_twice.set(Field::Text, "a").set(Field::Id, "a");
    let mut empty_name = FieldMap::new();
    empty_name.set(Field::Channel, "");
    let mut one = FieldMap::new();
    one.set(Field::Text, "body");
    type Case = (
        &'static str,
        Option<Format>,
        FieldMap,
        usize,
        Option<u8>,
        Option<&'static str>,
    );
    let cases: [Case; 8] = [
        ("defaults", None, FieldMap::new(), 10, None, None),
        (
            "semicolon csv",
            Some(Format::Csv),
            FieldMap::new(),
            10,
            Some(b';'),
            None,
        ),
        (
            "zero limit",
            None,
            FieldMap::new(),
            0,
            None,
            Some("the record size limit must be at least 1 byte"),
        ),
        (
            "quote delimiter",
            None,
            FieldMap::new(),
            10,
            Some(b'"'),
            Some("the delimiter cannot be \"\\\\\\\"\""),
        ),
        (
            "delimiter for jsonl",
            Some(Format::Jsonl),
            FieldMap::new(),
            10,
            Some(b';'),
            Some("a delimiter applies to CSV and TSV only, not jsonl"),
        ),
        (
            "fields for text",
            Some(Format::Text),
            one,
            10,
            None,
            Some("plain text has no fields to name; field names apply to JSONL, CSV and TSV"),
        ),
        (
            "one column twice",
            None,
            text_twice,
            10,
            None,
            Some("`a` is named for both text and id"),
        ),
        (
            "empty name",
            None,
            empty_name,
            10,
            None,
            Some("the input name for channel is empty"),
        ),
    ];
    for (name, format, fields, limit, delimiter, want) in cases {
        let got = SourceSettings::builder()
            .format(format)
            .fields(fields)
            .max_record_bytes(limit)
            .delimiter(delimiter)
            .build();
        match (got, want) {
            (Ok(_), None) => {}
            (Err(e), Some(want)) => {
                assert!(e.is_usage(), "{name}");
                assert_eq!(e.to_string(), want, "{name}");
            }
            (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn several_inputs_in_one_stream() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.jsonl");
    let b = dir.path().join("b.csv.gz");
    let c = dir.path().join("c.txt");
    std::fs::write(&a, "{\"text\":\"one\"}\nnope\n").unwrap();
    std::fs::write(&b, gzip(b"text,id\ntwo,2\n")).unwrap();
    std::fs::write(&c, "three\n").unwrap();
    let inputs = [Input::Path(a), Input::Path(b), Input::Path(c)];
    let mut sources = defaults().sources(inputs).unwrap();
    let mut seen = Vec::new();
    for entry in &mut sources {
        match entry.unwrap() {
            Entry::Record(r) => seen.push(r.text),
            Entry::Reject(r) => seen.push(format!(
                "{}:{}",
                Path::new(&r.source).file_name().unwrap().to_string_lossy(),
                r.line
            )),
        }
    }
    assert_eq!(seen, ["one", "a.jsonl:2", "two", "three"]);
    assert_eq!(
        sources.tally().to_string(),
        "read 4 records, 3 accepted, 1 rejected (1 invalid JSON)"
    );
    let per_input: Vec<(Format, bool, u64)> = sources
        .inputs()
        .iter()
        .map(|i| (i.format, i.gzip, i.tally.read))
        .collect();
    assert_eq!(
        per_input,
        [
            (Format::Jsonl, false, 2),
            (Format::Csv, true, 1),
            (Format::Text, false, 1)
        ]
    );
    assert!(sources.current().is_none());
}

#[test]
fn input_problems_stop_the_run_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.jsonl");
    std::fs::write(&good, "{\"text\":\"a\"}\n").unwrap();
    let bad_header = dir.path().join("bad.csv");
    std::fs::write(&bad_header, "id,x\n1,2\n").unwrap();
    let cases = [
        (
            "missing file",
            vec![
                Input::Path(good.clone()),
                Input::Path(dir.path().join("nope.jsonl")),
            ],
            "nope.jsonl: ",
        ),
        (
            "directory",
            vec![Input::Path(dir.path().join("d.jsonl"))],
            "d.jsonl: ",
        ),
        (
            "bad header",
            vec![Input::Path(good.clone()), Input::Path(bad_header)],
            "bad.csv:1: no text column",
        ),
        (
            "stdin twice",
            vec![Input::Stdin, Input::Stdin],
            "standard input (`-`) is named more than once",
        ),
        (
            "unknown extension",
            vec![Input::Path(dir.path().join("x.xml"))],
            "x.xml: cannot tell the format",
        ),
    ];
    std::fs::create_dir(dir.path().join("d.jsonl")).unwrap();
    for (name, inputs, want) in cases {
        let err = defaults().sources(inputs).unwrap_err();
        assert!(err.is_usage(), "{name}: {err}");
        assert!(err.to_string().contains(want), "{name}: {err}");
    }
}

#[test]
fn settings_and_readers_can_move_between_threads() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<SourceSettings>();
    send::<SourceReader>();
    send::<Sources>();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Arbitrary bytes never panic, and every non-blank line is accounted for.
    #[test]
    fn arbitrary_bytes_are_accounted_for(bytes in proptest::collection::vec(any::<u8>(), 0..600), limit in 1usize..64) {
        let settings = SourceSettings::builder().max_record_bytes(limit).build().unwrap();
        for format in Format::ALL {
            // CSV headers may be unusable (an error, not a panic).
            if let Ok((records, rejects, tally)) = run(&settings, format, &bytes) {
                prop_assert_eq!(tally.read as usize, records.len() + rejects.len());
                if format == Format::Jsonl || format == Format::Text {
                    let lines = bytes
                        .split(|&b| b == b'\n')
                        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
                        .filter(|l| l.len() > limit || !reader::is_blank(l))
                        .count();
                    // A BOM-only first line is blank after the BOM is dropped.
                    prop_assert!(tally.read as usize == lines || bytes.starts_with(b"\xef\xbb\xbf"));
                }
            }
        }
    }

    /// Structured-looking CSV with random cells never panics.
    #[test]
    fn arbitrary_csv_cells(cells in proptest::collection::vec("[a-z\"\\n,\r ]{0,6}", 0..30)) {
        let mut input = String::from("id,text\n");
        for pair in cells.chunks(2) {
            input.push_str(&pair.join(","));
            input.push('\n');
        }
        if let Ok((records, rejects, tally)) = run(&defaults(), Format::Csv, input.as_bytes()) {
            prop_assert_eq!(tally.read as usize, records.len() + rejects.len());
        }
    }
}
