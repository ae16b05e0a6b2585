//! CSV and TSV with a header row, parsed by the `csv` crate.
//!
//! Rows are cut out of the stream here, one at a time, then handed to a `csv::Reader`. Cutting them
//! ourselves is what keeps memory bounded and line numbers exact: [`RowScanner`] follows only the
//! quoting rules `csv` itself uses (a `"` opens a quoted field only at the start of a field; `""`
//! inside one is a literal quote), so it knows whether a line ends the row or a newline is inside a
//! quoted field. A row longer than the size limit is skipped to its end without being kept. Field
//! splitting, unquoting and unescaping are all `csv`'s.
//!
//! CSV quotes fields; TSV follows the IANA definition (no quoting: a field holds neither tab nor
//! newline, and `"` is an ordinary character, common in Hebrew acronyms such as מנכ"ל).

use std::io::{self, Read};

use serde_json::Value;

use super::fields::{Draft, Field, Problem, Resolution};
use super::jsonl::invalid_utf8;
use super::reader::{LineReader, is_blank};
use super::reject::RejectKind;
use super::{Parsed, SourceSettings};
use crate::error::{Error, Result};

/// Where a byte leaves the row scanner, in `csv`'s terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScanState {
    StartField,
    InField,
    InQuoted,
    /// A quote inside a quoted field: the end of the field, or the first half of `""`.
    QuoteInQuoted,
}

/// Tracks whether the bytes seen so far leave a quoted field open.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowScanner {
    state: ScanState,
    delimiter: u8,
    quoting: bool,
}

impl RowScanner {
    pub fn new(delimiter: u8, quoting: bool) -> RowScanner {
        RowScanner {
            state: ScanState::StartField,
            delimiter,
            quoting,
        }
    }

    /// Starts a new row.
    pub fn reset(&mut self) {
        self.state = ScanState::StartField;
    }

    /// Feeds bytes of the row (never an unquoted newline: lines are split before).
    pub fn feed(&mut self, bytes: &[u8]) {
        if !self.quoting {
            return;
        }
        for &b in bytes {
            self.state = match self.state {
                ScanState::StartField if b == b'"' => ScanState::InQuoted,
                ScanState::StartField | ScanState::InField | ScanState::QuoteInQuoted
                    if b == self.delimiter =>
                {
                    ScanState::StartField
                }
                ScanState::StartField | ScanState::InField => ScanState::InField,
                ScanState::InQuoted if b == b'"' => ScanState::QuoteInQuoted,
                ScanState::InQuoted => ScanState::InQuoted,
                ScanState::QuoteInQuoted if b == b'"' => ScanState::InQuoted,
                ScanState::QuoteInQuoted => ScanState::InField,
            };
        }
    }

    /// Whether a newline here would be inside a quoted field.
    pub fn in_quotes(&self) -> bool {
        self.state == ScanState::InQuoted
    }
}

/// Bytes handed to the `csv` reader one row at a time.
#[derive(Debug, Default)]
struct RowFeed {
    row: Vec<u8>,
    pos: usize,
}

impl Read for RowFeed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let rest = &self.row[self.pos..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.pos += n;
        Ok(n)
    }
}

/// One row cut from the stream.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Row {
    /// A complete row within the limit; its bytes are in the buffer.
    Complete { line: u64 },
    /// A row over the size limit, skipped; the buffer holds its start.
    TooLarge { line: u64, len: u64 },
    /// The input ended inside a quoted field; the buffer holds the row's start.
    Unterminated { line: u64, len: u64, lines: u64 },
}

/// Cuts the next non-blank row into `raw` (cleared first), keeping at most `cap` bytes.
pub(crate) fn next_row(
    lines: &mut LineReader,
    scanner: &mut RowScanner,
    raw: &mut Vec<u8>,
    cap: usize,
) -> io::Result<Option<Row>> {
    raw.clear();
    scanner.reset();
    let mut first: Option<u64> = None;
    let mut len = 0u64;
    loop {
        let keep = (cap + 1).saturating_sub(raw.len());
        let Some(line) = lines.next_line(raw, keep, |chunk| scanner.feed(chunk))? else {
            return Ok(first.map(|line| Row::Unterminated {
                line,
                len,
                lines: lines.lines() + 1 - line,
            }));
        };
        if first.is_none() && !line.truncated() && is_blank(raw) {
            raw.clear();
            scanner.reset();
            continue;
        }
        let start = *first.get_or_insert(line.number);
        len += line.len;
        if scanner.in_quotes() {
            // The newline belongs to a quoted field.
            scanner.feed(b"\n");
            if raw.len() <= cap {
                raw.push(b'\n');
            }
            len += 1;
            continue;
        }
        if raw.last() == Some(&b'\r') && raw.len() as u64 == len {
            raw.pop();
            len -= 1;
        }
        return Ok(Some(if len > cap as u64 {
            Row::TooLarge { line: start, len }
        } else {
            Row::Complete { line: start }
        }));
    }
}

/// The per-input state of the CSV/TSV parser: the header and a `csv` reader fed one row at a time.
pub(crate) struct DelimitedParser {
    csv: csv::Reader<RowFeed>,
    record: csv::ByteRecord,
    columns: Vec<String>,
    resolution: Resolution,
    text_column: String,
    pub(crate) scanner: RowScanner,
}

impl std::fmt::Debug for DelimitedParser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DelimitedParser")
            .field("columns", &self.columns)
            .finish_non_exhaustive()
    }
}

impl DelimitedParser {
    /// Builds the parser from the header row that [`next_row`] cut into `raw`, resolving the field
    /// map against it. `Ok(None)` when the input has no header at all (it is empty).
    ///
    /// # Errors
    /// [`Error::Usage`] naming the input when the header is unusable: too large, unterminated, not
    /// UTF-8, with a repeated column, or without a column the settings need.
    pub fn new(
        source: &str,
        header: Option<Row>,
        raw: &[u8],
        scanner: RowScanner,
        settings: &SourceSettings,
    ) -> Result<Option<DelimitedParser>> {
        let usage = |line: u64, what: String| Error::Usage(format!("{source}:{line}: {what}"));
        let line = match header {
            None => return Ok(None),
            Some(Row::Complete { line }) => line,
            Some(Row::TooLarge { line, len }) => {
                return Err(usage(
                    line,
                    format!("header row is over the size limit ({len} bytes)"),
                ));
            }
            Some(Row::Unterminated { line, .. }) => {
                return Err(usage(line, "header row has an unterminated quote".into()));
            }
        };
        let (delimiter, quoting) = (scanner.delimiter, scanner.quoting);
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .quoting(quoting)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(RowFeed::default());
        let mut record = csv::ByteRecord::new();
        parse_row(&mut csv, &mut record, raw);
        let mut columns = Vec::with_capacity(record.len());
        for (i, cell) in record.iter().enumerate() {
            let name = std::str::from_utf8(cell).map_err(|e| {
                usage(
                    line,
                    format!(
                        "header column {} is not UTF-8 (at byte {})",
                        i + 1,
                        e.valid_up_to()
                    ),
                )
            })?;
            let name = name.trim().to_string();
            if columns.contains(&name) {
                return Err(usage(
                    line,
                    format!("column `{name}` appears twice in the header"),
                ));
            }
            columns.push(name);
        }
        let fields = settings.fields();
        let resolution = fields.resolve(&columns);
        let listing = columns.join(", ");
        if let Some(field) = resolution.missing.first() {
            let name = fields.get(*field).unwrap_or_default();
            return Err(usage(
                line,
                format!(
                    "no column `{name}` for the {} field; the columns are: {listing}",
                    field.name()
                ),
            ));
        }
        let Some(text_at) = resolution
            .roles
            .iter()
            .position(|r| *r == Some(Field::Text))
        else {
            return Err(usage(
                line,
                format!(
                    "no text column (looked for {}); the columns are: {listing}",
                    Field::Text.aliases().join(", ")
                ),
            ));
        };
        Ok(Some(DelimitedParser {
            csv,
            record,
            text_column: columns[text_at].clone(),
            columns,
            resolution,
            scanner,
        }))
    }

    /// Parses one complete row (its bytes, without the final line terminator).
    pub fn parse(&mut self, row: &[u8], settings: &SourceSettings) -> Parsed {
        parse_row(&mut self.csv, &mut self.record, row);
        if self.record.len() != self.columns.len() {
            return Parsed::Problem(Problem::new(
                RejectKind::WrongFieldCount,
                None,
                format!(
                    "wrong number of fields: expected {}, got {}",
                    self.columns.len(),
                    self.record.len()
                ),
            ));
        }
        let mut draft = Draft::default();
        for ((cell, name), role) in self
            .record
            .iter()
            .zip(&self.columns)
            .zip(&self.resolution.roles)
        {
            let value = match std::str::from_utf8(cell) {
                Ok(value) => Value::String(value.to_string()),
                Err(e) => {
                    let mut problem = invalid_utf8(&e);
                    problem.reason = format!("{} in column `{name}`", problem.reason);
                    problem.field = Some(name.clone());
                    return Parsed::Problem(problem);
                }
            };
            let assigned = match role {
                Some(field) => draft.assign(*field, name, value, settings.timezone()),
                None => {
                    draft.meta(name.clone(), value);
                    Ok(())
                }
            };
            if let Err(problem) = assigned {
                return Parsed::Problem(problem);
            }
        }
        match draft.finish(&self.text_column) {
            Ok(record) => Parsed::Record(Box::new(record)),
            Err(problem) => Parsed::Problem(problem),
        }
    }
}

/// Parses `row` into `record`. The row is followed by a newline, so the reader stops right after it
/// and is ready for the next one.
fn parse_row(csv: &mut csv::Reader<RowFeed>, record: &mut csv::ByteRecord, row: &[u8]) {
    let feed = csv.get_mut();
    feed.row.clear();
    feed.row.extend_from_slice(row);
    feed.row.push(b'\n');
    feed.pos = 0;
    // `RowFeed` cannot fail and `flexible` accepts any field count, so the only outcome is a
    // record; an empty row (which `next_row` never produces) would read as no fields.
    if !matches!(csv.read_byte_record(record), Ok(true)) {
        record.clear();
    }
}

/// Whether the row ended exactly where the reader stopped (used by the tests).
#[cfg(test)]
fn fully_consumed(csv: &mut csv::Reader<RowFeed>) -> bool {
    let feed = csv.get_mut();
    feed.pos == feed.row.len()
}

#[cfg(test)]
mod tests {
    use std::io::{BufReader, Cursor};

    use super::*;
    use crate::source::{FieldMap, Format};

    fn rows(input: &[u8], cap: usize, quoting: bool) -> Vec<(Row, Vec<u8>)> {
        let mut lines = LineReader::new(Box::new(BufReader::with_capacity(
            3,
            Cursor::new(input.to_vec()),
        )));
        let mut scanner = RowScanner::new(b',', quoting);
        let mut raw = Vec::new();
        let mut out = Vec::new();
        while let Some(row) = next_row(&mut lines, &mut scanner, &mut raw, cap).unwrap() {
            out.push((row, raw.clone()));
        }
        out
    }

    #[test]
    fn row_cutting() {
        type Case = (
            &'static str,
            &'static [u8],
            usize,
            Vec<(Row, &'static [u8])>,
        );
        let cases: Vec<Case> = vec![
            (
                "simple",
                b"a,b\nc,d\n",
                100,
                vec![
                    (Row::Complete { line: 1 }, b"a,b"),
                    (Row::Complete { line: 2 }, b"c,d"),
                ],
            ),
            (
                "crlf",
                b"a,b\r\nc,d\r\n",
                100,
                vec![
                    (Row::Complete { line: 1 }, b"a,b"),
                    (Row::Complete { line: 2 }, b"c,d"),
                ],
            ),
            (
                "blank lines skipped",
                b"\n  \na\n\r\n",
                100,
                vec![(Row::Complete { line: 3 }, b"a")],
            ),
            (
                "quoted newline",
                b"1,\"x\ny\",2\n3,z,4\n",
                100,
                vec![
                    (Row::Complete { line: 1 }, b"1,\"x\ny\",2"),
                    (Row::Complete { line: 3 }, b"3,z,4"),
                ],
            ),
            (
                "quoted crlf kept inside",
                b"\"a\r\nb\"\r\nc\r\n",
                100,
                vec![
                    (Row::Complete { line: 1 }, b"\"a\r\nb\""),
                    (Row::Complete { line: 3 }, b"c"),
                ],
            ),
            (
                "blank line inside quotes",
                b"\"a\n\nb\"\nc\n",
                100,
                vec![
                    (Row::Complete { line: 1 }, b"\"a\n\nb\""),
                    (Row::Complete { line: 4 }, b"c"),
                ],
            ),
            (
                "escaped quotes",
                b"\"he said \"\"hi\"\"\nthen\",x\ny\n",
                100,
                vec![
                    (Row::Complete { line: 1 }, b"\"he said \"\"hi\"\"\nthen\",x"),
                    (Row::Complete { line: 3 }, b"y"),
                ],
            ),
            (
                "quote mid-field is literal",
                b"a,5\" screen,b\nc\n",
                100,
                vec![
                    (Row::Complete { line: 1 }, b"a,5\" screen,b"),
                    (Row::Complete { line: 2 }, b"c"),
                ],
            ),
            (
                "hebrew acronym",
                "מנכ\"ל,x\ny\n".as_bytes(),
                100,
                vec![
                    (Row::Complete { line: 1 }, "מנכ\"ל,x".as_bytes()),
                    (Row::Complete { line: 2 }, b"y"),
                ],
            ),
            (
                "too large single line",
                b"abcdefghij\nok\n",
                5,
                vec![
                    (Row::TooLarge { line: 1, len: 10 }, b"abcdef"),
                    (Row::Complete { line: 2 }, b"ok"),
                ],
            ),
            (
                "too large across lines",
                b"\"abc\ndefgh\nij\",k\nok\n",
                5,
                vec![
                    (Row::TooLarge { line: 1, len: 16 }, b"\"abc\nd"),
                    (Row::Complete { line: 4 }, b"ok"),
                ],
            ),
            (
                "unterminated at eof",
                b"ok\n\"never\nclosed\n",
                100,
                vec![
                    (Row::Complete { line: 1 }, b"ok"),
                    (
                        Row::Unterminated {
                            line: 2,
                            len: 14,
                            lines: 2,
                        },
                        b"\"never\nclosed\n",
                    ),
                ],
            ),
            (
                "no final newline",
                b"a\nb",
                100,
                vec![
                    (Row::Complete { line: 1 }, b"a"),
                    (Row::Complete { line: 2 }, b"b"),
                ],
            ),
        ];
        for (name, input, cap, want) in cases {
            let got = rows(input, cap, true);
            let want: Vec<(Row, Vec<u8>)> =
                want.into_iter().map(|(r, b)| (r, b.to_vec())).collect();
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn tsv_rows_are_lines() {
        let got = rows(b"\"a\tb\n\"c\n", 100, false);
        assert_eq!(got.len(), 2);
    }

    fn settings(format: Format, fields: FieldMap) -> SourceSettings {
        SourceSettings::builder()
            .format(Some(format))
            .fields(fields)
            .build()
            .unwrap()
    }

    /// Parses a whole CSV text: the header, then each row to a record (as JSON) or a reject reason.
    fn parse_all(
        input: &[u8],
        settings: &SourceSettings,
        delimiter: u8,
        quoting: bool,
    ) -> Result<Vec<Result<Value, String>>> {
        let mut lines = LineReader::new(Box::new(Cursor::new(input.to_vec())));
        let mut raw = Vec::new();
        let mut scanner = RowScanner::new(delimiter, quoting);
        let cap = settings.max_record_bytes();
        let header = next_row(&mut lines, &mut scanner, &mut raw, cap).unwrap();
        let Some(mut parser) = DelimitedParser::new("t.csv", header, &raw, scanner, settings)?
        else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        let mut scanner = parser.scanner;
        while let Some(row) = next_row(
            &mut lines,
            &mut scanner,
            &mut raw,
            settings.max_record_bytes(),
        )
        .unwrap()
        {
            match row {
                Row::Complete { .. } => {
                    match parser.parse(&raw, settings) {
                        Parsed::Record(r) => out.push(Ok(Value::Object(r.to_json()))),
                        Parsed::Problem(p) => out.push(Err(p.reason)),
                    }
                    assert!(fully_consumed(&mut parser.csv));
                }
                other => out.push(Err(format!("{other:?}"))),
            }
        }
        Ok(out)
    }

    #[test]
    fn csv_records() {
        let settings = settings(Format::Csv, FieldMap::new());
        let input = "ticket_id,Note,channel,created_at,priority\n\
                     7,\"line one\nline two, with comma\",chat,2026-03-01 10:15,high\n\
                     8,\"הוא אמר \"\"לבטל\"\"\",email,,low\r\n\
                     9,מנכ\"ל,,2026-03-02,\n";
        let got = parse_all(input.as_bytes(), &settings, b',', true).unwrap();
        let got: Vec<Value> = got.into_iter().map(|r| r.unwrap()).collect();
        assert_eq!(got[0]["id"], "7");
        assert_eq!(got[0]["text"], "line one\nline two, with comma");
        assert_eq!(got[0]["timestamp"], "2026-03-01T10:15:00Z");
        assert_eq!(got[0]["priority"], "high");
        assert_eq!(got[1]["text"], "הוא אמר \"לבטל\"");
        assert_eq!(got[1]["priority"], "low");
        assert!(got[1].get("timestamp").is_none());
        assert_eq!(got[2]["text"], "מנכ\"ל");
        assert!(got[2].get("channel").is_none());
        assert_eq!(got[2]["priority"], "");
        let keys: Vec<&String> = got[0].as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["id", "text", "channel", "timestamp", "lang", "priority"]
        );
    }

    #[test]
    fn csv_rejects() {
        let settings = settings(Format::Csv, FieldMap::new());
        let cases: [(&str, &[u8], &str); 5] = [
            (
                "too few fields",
                b"id,text\n1\n",
                "wrong number of fields: expected 2, got 1",
            ),
            (
                "too many fields",
                b"id,text\n1,a,b\n",
                "wrong number of fields: expected 2, got 3",
            ),
            (
                "invalid utf-8",
                b"id,text\n1,ab\xfe\n",
                "invalid UTF-8 at byte 2 in column `text`",
            ),
            ("empty text", b"id,text\n1,\"  \"\n", "empty text in `text`"),
            (
                "bad timestamp",
                b"text,date\nhi,soon\n",
                "unparseable timestamp in `date`: \"soon\"; expected RFC 3339 (2026-03-01T10:15:00Z) or YYYY-MM-DD[ HH:MM[:SS]]",
            ),
        ];
        for (name, input, reason) in cases {
            let got = parse_all(input, &settings, b',', true).unwrap();
            assert_eq!(got, vec![Err(reason.to_string())], "{name}");
        }
    }

    #[test]
    fn tsv_keeps_quotes() {
        let settings = settings(Format::Tsv, FieldMap::new());
        let got = parse_all(
            "text\tid\n\"הבטיחו\" ולא חזרו\t1\n".as_bytes(),
            &settings,
            b'\t',
            false,
        )
        .unwrap();
        assert_eq!(got[0].as_ref().unwrap()["text"], "\"הבטיחו\" ולא חזרו");
    }

    #[test]
    fn header_problems_are_usage_errors() {
        let mut explicit = FieldMap::new();
        explicit.set(Field::Text, "body");
        let defaults = FieldMap::new();
        let cases: [(&str, &[u8], &FieldMap, &str); 5] = [
            (
                "explicit column absent",
                b"id,text\n",
                &explicit,
                "t.csv:1: no column `body` for the text field; the columns are: id, text",
            ),
            (
                "no text column",
                b"id,x\n1,2\n",
                &defaults,
                "t.csv:1: no text column (looked for text, body, message, note, notes, content, comment, description); the columns are: id, x",
            ),
            (
                "duplicate column",
                b"text,a,a\n",
                &defaults,
                "t.csv:1: column `a` appears twice in the header",
            ),
            (
                "header not utf-8",
                b"text,\xff\n",
                &defaults,
                "t.csv:1: header column 2 is not UTF-8 (at byte 0)",
            ),
            (
                "unterminated header",
                b"text,\"a\n",
                &defaults,
                "t.csv:1: header row has an unterminated quote",
            ),
        ];
        for (name, input, fields, want) in cases {
            let settings = settings(Format::Csv, fields.clone());
            let err = parse_all(input, &settings, b',', true).unwrap_err();
            assert!(err.is_usage(), "{name}");
            assert_eq!(err.to_string(), want, "{name}");
        }
    }

    #[test]
    fn empty_and_header_only_inputs_have_no_records() {
        let settings = settings(Format::Csv, FieldMap::new());
        for input in [&b""[..], b"\n\n", b"text,id\n", b"\xef\xbb\xbftext\n"] {
            assert_eq!(
                parse_all(input, &settings, b',', true).unwrap(),
                vec![],
                "{input:?}"
            );
        }
    }
}
