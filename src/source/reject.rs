//! Rejected input and the counters that account for every record.
//!
//! A [`Reject`] is one unit of input (a line, or a CSV row) that could not become a
//! [`Record`](crate::record::Record): where it was (`file:line`), why ([`RejectKind`] and a
//! message), and the raw bytes, truncated. A [`Tally`] counts what a source yielded so that `read =
//! accepted + rejected` can be printed and checked.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// How many bytes of a rejected line are kept in [`Reject::raw`].
pub const RAW_LIMIT: usize = 500;

/// Why a line or row was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectKind {
    /// The line is not valid JSON.
    InvalidJson,
    /// The line is valid JSON but not an object.
    NotObject,
    /// The record has no text field (or it is `null`).
    MissingText,
    /// The text field holds something other than a string.
    TextNotString,
    /// The text is empty or only whitespace.
    EmptyText,
    /// The bytes are not UTF-8.
    InvalidUtf8,
    /// The record is longer than the size limit.
    TooLarge,
    /// The timestamp is in none of the accepted forms.
    BadTimestamp,
    /// A field (id, customer, channel, agent, lang) holds an object, an array or a boolean.
    BadField,
    /// A field named explicitly in the settings is absent from the record.
    MissingField,
    /// A CSV/TSV row has a different number of fields from the header.
    WrongFieldCount,
    /// A quoted CSV field is still open at the end of the input.
    UnterminatedQuote,
}

impl RejectKind {
    /// Every kind, in the order summaries list ties.
    pub const ALL: [RejectKind; 12] = [
        RejectKind::InvalidJson,
        RejectKind::NotObject,
        RejectKind::MissingText,
        RejectKind::TextNotString,
        RejectKind::EmptyText,
        RejectKind::InvalidUtf8,
        RejectKind::TooLarge,
        RejectKind::BadTimestamp,
        RejectKind::BadField,
        RejectKind::MissingField,
        RejectKind::WrongFieldCount,
        RejectKind::UnterminatedQuote,
    ];

    /// The stable machine name, as in the rejects JSONL and the JSON summary (`invalid_json`).
    pub fn code(self) -> &'static str {
        match self {
            RejectKind::InvalidJson => "invalid_json",
            RejectKind::NotObject => "not_object",
            RejectKind::MissingText => "missing_text",
            RejectKind::TextNotString => "text_not_string",
            RejectKind::EmptyText => "empty_text",
            RejectKind::InvalidUtf8 => "invalid_utf8",
            RejectKind::TooLarge => "too_large",
            RejectKind::BadTimestamp => "bad_timestamp",
            RejectKind::BadField => "bad_field",
            RejectKind::MissingField => "missing_field",
            RejectKind::WrongFieldCount => "wrong_field_count",
            RejectKind::UnterminatedQuote => "unterminated_quote",
        }
    }

    /// A short phrase for the summary line (`invalid JSON`).
    pub fn label(self) -> &'static str {
        match self {
            RejectKind::InvalidJson => "invalid JSON",
            RejectKind::NotObject => "not a JSON object",
            RejectKind::MissingText => "missing text",
            RejectKind::TextNotString => "text not a string",
            RejectKind::EmptyText => "empty text",
            RejectKind::InvalidUtf8 => "invalid UTF-8",
            RejectKind::TooLarge => "over the size limit",
            RejectKind::BadTimestamp => "unparseable timestamp",
            RejectKind::BadField => "bad field value",
            RejectKind::MissingField => "missing field",
            RejectKind::WrongFieldCount => "wrong number of fields",
            RejectKind::UnterminatedQuote => "unterminated quote",
        }
    }
}

impl fmt::Display for RejectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One line (or CSV row) that did not become a record.
///
/// Displayed as `file:line: reason`; the reason names the field when one is at fault. Serialised as
/// one JSON object per reject for `--rejects`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reject {
    /// The input: its path, or `-` for standard input.
    pub source: String,
    /// The 1-based line number where the rejected line or row starts.
    pub line: u64,
    /// Why, as a category.
    pub kind: RejectKind,
    /// The input field at fault, when one is.
    pub field: Option<String>,
    /// Why, in words.
    pub reason: String,
    /// The raw line (lossy UTF-8), cut to [`RAW_LIMIT`] bytes with a `… [N bytes]` marker.
    pub raw: String,
}

impl Reject {
    /// A reject; `raw` holds the start (or all) of the line, `raw_len` its full length in bytes.
    pub fn new(
        source: &str,
        line: u64,
        kind: RejectKind,
        field: Option<String>,
        reason: String,
        raw: &[u8],
        raw_len: u64,
    ) -> Reject {
        Reject {
            source: source.to_string(),
            line,
            kind,
            field,
            reason,
            raw: truncate_raw(raw, raw_len),
        }
    }
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.source, self.line, self.reason)
    }
}

/// The raw bytes as text, cut on a character boundary at [`RAW_LIMIT`] bytes, with a marker giving
/// the full length when anything was cut.
fn truncate_raw(raw: &[u8], raw_len: u64) -> String {
    if raw.len() <= RAW_LIMIT && raw_len <= raw.len() as u64 {
        return String::from_utf8_lossy(raw).into_owned();
    }
    let mut cut = raw.len().min(RAW_LIMIT);
    // Do not split a UTF-8 sequence that the cut would leave incomplete.
    match std::str::from_utf8(&raw[..cut]) {
        Err(e) if e.error_len().is_none() => cut = e.valid_up_to(),
        _ => {}
    }
    let mut text = String::from_utf8_lossy(&raw[..cut]).into_owned();
    text.push_str(&format!("… [{} bytes]", raw_len.max(raw.len() as u64)));
    text
}

/// Counts of what a source yielded. `read = accepted + rejected` always holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Records read: every non-blank line (JSONL, text) or data row (CSV/TSV).
    pub read: u64,
    /// Records that became [`Record`](crate::record::Record)s.
    pub accepted: u64,
    /// Records that became [`Reject`]s.
    pub rejected: u64,
    /// Rejects per reason.
    pub rejected_by_reason: BTreeMap<RejectKind, u64>,
}

impl Tally {
    /// Counts one accepted record.
    pub fn accept(&mut self) {
        self.read += 1;
        self.accepted += 1;
    }

    /// Counts one rejected record.
    pub fn reject(&mut self, kind: RejectKind) {
        self.read += 1;
        self.rejected += 1;
        *self.rejected_by_reason.entry(kind).or_default() += 1;
    }

    /// Adds another tally to this one.
    pub fn merge(&mut self, other: &Tally) {
        self.read += other.read;
        self.accepted += other.accepted;
        self.rejected += other.rejected;
        for (kind, n) in &other.rejected_by_reason {
            *self.rejected_by_reason.entry(*kind).or_default() += n;
        }
    }

    /// Whether `read = accepted + rejected` and the per-reason counts add up to `rejected`.
    pub fn is_consistent(&self) -> bool {
        self.read == self.accepted + self.rejected
            && self.rejected_by_reason.values().sum::<u64>() == self.rejected
    }

    /// The reasons, most frequent first (ties in [`RejectKind::ALL`] order).
    pub fn reasons(&self) -> Vec<(RejectKind, u64)> {
        let mut reasons: Vec<_> = self
            .rejected_by_reason
            .iter()
            .map(|(k, n)| (*k, *n))
            .collect();
        reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        reasons
    }
}

impl fmt::Display for Tally {
    /// `read 1200 records, 1190 accepted, 10 rejected (4 invalid JSON, 3 missing text, …)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = if self.read == 1 { "record" } else { "records" };
        write!(
            f,
            "read {} {noun}, {} accepted, {} rejected",
            self.read, self.accepted, self.rejected
        )?;
        let reasons = self.reasons();
        if !reasons.is_empty() {
            f.write_str(" (")?;
            for (i, (kind, n)) in reasons.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{n} {}", kind.label())?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_lines_are_truncated_on_char_boundaries() {
        let hebrew = format!("a{}", "ש".repeat(400)); // 801 bytes; byte 500 is inside a letter
        let cases: [(&str, Vec<u8>, u64, String); 4] = [
            (
                "short line kept",
                b"{\"a\":1}".to_vec(),
                7,
                "{\"a\":1}".into(),
            ),
            (
                "ascii cut",
                vec![b'x'; 600],
                600,
                format!("{}… [600 bytes]", "x".repeat(500)),
            ),
            (
                "hebrew cut before a split letter",
                hebrew.into_bytes(),
                801,
                format!("a{}… [801 bytes]", "ש".repeat(249)),
            ),
            (
                "only the start was kept",
                vec![b'y'; 100],
                2_000_000,
                format!("{}… [2000000 bytes]", "y".repeat(100)),
            ),
        ];
        for (name, raw, len, want) in cases {
            assert_eq!(truncate_raw(&raw, len), want, "{name}");
        }
    }

    #[test]
    fn invalid_utf8_in_raw_is_replaced() {
        assert_eq!(truncate_raw(b"a\xffb", 3), "a\u{FFFD}b");
    }

    #[test]
    fn display_and_json() {
        let reject = Reject::new(
            "in.jsonl",
            7,
            RejectKind::MissingText,
            Some("text".into()),
            "missing `text`".into(),
            b"{}",
            2,
        );
        assert_eq!(reject.to_string(), "in.jsonl:7: missing `text`");
        let json = serde_json::to_string(&reject).unwrap();
        assert_eq!(
            json,
            r#"{"source":"in.jsonl","line":7,"kind":"missing_text","field":"text","reason":"missing `text`","raw":"{}"}"#
        );
    }

    #[test]
    fn tally_summary_lists_reasons_by_count() {
        let mut tally = Tally::default();
        for _ in 0..5 {
            tally.accept();
        }
        tally.reject(RejectKind::MissingText);
        for _ in 0..2 {
            tally.reject(RejectKind::InvalidJson);
        }
        tally.reject(RejectKind::EmptyText);
        assert!(tally.is_consistent());
        assert_eq!(
            tally.to_string(),
            "read 9 records, 5 accepted, 4 rejected (2 invalid JSON, 1 missing text, 1 empty text)"
        );
        let json = serde_json::to_value(&tally).unwrap();
        assert_eq!(json["rejected_by_reason"]["invalid_json"], 2);

        let mut total = Tally::default();
        total.merge(&tally);
        total.merge(&tally);
        assert_eq!((total.read, total.rejected), (18, 8));
        assert!(total.is_consistent());
        assert_eq!(
            Tally::default().to_string(),
            "read 0 records, 0 accepted, 0 rejected"
        );
    }

    #[test]
    fn codes_and_labels_are_distinct() {
        let codes: std::collections::HashSet<_> =
            RejectKind::ALL.iter().map(|k| k.code()).collect();
        let labels: std::collections::HashSet<_> =
            RejectKind::ALL.iter().map(|k| k.label()).collect();
        assert_eq!(codes.len(), RejectKind::ALL.len());
        assert_eq!(labels.len(), RejectKind::ALL.len());
        for kind in RejectKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.code());
        }
    }
}
