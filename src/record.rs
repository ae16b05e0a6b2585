//! The unit of work: one piece of customer text with its metadata.
//!
//! Sources build [`Record`]s from JSONL, CSV/TSV or plain-text lines; every later stage (analysis,
//! classification, indexing, alerts) reads them. Fields Kashev does not know are kept in
//! [`Record::meta`] in their original order and written back out untouched.

use std::fmt::Write as _;
use std::str::FromStr;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use serde_json::{Map, Value};

use crate::analyze::Lang;

/// One customer-service text and what is known about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The record's id: given by the input, or derived from the content (see [`derive_id`]).
    pub id: String,
    /// The free text.
    pub text: String,
    /// The customer the text is about or from.
    pub customer_id: Option<String>,
    /// Where the text was written: agent_note, chat, email, social, survey, call_transcript, …
    pub channel: Option<String>,
    /// The agent who wrote or handled it.
    pub agent_id: Option<String>,
    /// When it was written, in UTC.
    pub timestamp: Option<Timestamp>,
    /// The language given by the input (lower case), which wins over detection.
    pub lang: Option<String>,
    /// Every other field of the input, in input order.
    pub meta: Map<String, Value>,
}

impl Record {
    /// A record with only a text; the id is derived from it.
    pub fn from_text(text: impl Into<String>) -> Record {
        let text = text.into();
        let mut record = Record {
            id: String::new(),
            text,
            customer_id: None,
            channel: None,
            agent_id: None,
            timestamp: None,
            lang: None,
            meta: Map::new(),
        };
        record.id = derive_id(&record);
        record
    }

    /// The language to use for this record: the given one, else the one detected from the text.
    pub fn language(&self) -> String {
        match &self.lang {
            Some(lang) => lang.clone(),
            None => Lang::detect(&self.text).as_str().to_string(),
        }
    }

    /// The record as a JSON object: the known fields first (absent ones omitted), then `meta`.
    /// `lang` is always present: the given language, or the detected one.
    pub fn to_json(&self) -> Map<String, Value> {
        let mut out = Map::new();
        out.insert("id".into(), Value::String(self.id.clone()));
        out.insert("text".into(), Value::String(self.text.clone()));
        let optional = [
            ("customer_id", &self.customer_id),
            ("channel", &self.channel),
            ("agent_id", &self.agent_id),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                out.insert(name.into(), Value::String(value.clone()));
            }
        }
        if let Some(ts) = self.timestamp {
            out.insert("timestamp".into(), Value::String(format_timestamp(ts)));
        }
        out.insert("lang".into(), Value::String(self.language()));
        for (key, value) in &self.meta {
            out.entry(key.clone()).or_insert_with(|| value.clone());
        }
        out
    }
}

/// A stable id for a record without one: 32 hex digits of an XXH3-128 hash over the text, customer,
/// channel, agent and timestamp. The same content always gets the same id, so re-running a job over
/// the same export never creates duplicates.
pub fn derive_id(record: &Record) -> String {
    let mut material = String::with_capacity(record.text.len() + 64);
    material.push_str(&record.text);
    for part in [&record.customer_id, &record.channel, &record.agent_id] {
        material.push('\u{1f}');
        material.push_str(part.as_deref().unwrap_or(""));
    }
    material.push('\u{1f}');
    if let Some(ts) = record.timestamp {
        material.push_str(&format_timestamp(ts));
    }
    let hash = xxhash_rust::xxh3::xxh3_128(material.as_bytes());
    let mut id = String::with_capacity(32);
    write!(id, "{hash:032x}").expect("writing to a String cannot fail");
    id
}

/// Formats a timestamp as RFC 3339 in UTC with second precision (`2026-03-01T08:15:00Z`), keeping
/// sub-second digits only when present.
pub fn format_timestamp(ts: Timestamp) -> String {
    ts.to_string()
}

/// Parses a timestamp: RFC 3339 with an offset (`2026-03-01T10:15:00+02:00`, `…Z`), or a civil
/// date-time without one (`2026-03-01`, `2026-03-01 10:15`, `2026-03-01T10:15:30`), which is read in
/// `zone`. The result is in UTC.
///
/// # Errors
/// A message saying which forms are accepted, when `input` is none of them.
pub fn parse_timestamp(input: &str, zone: &TimeZone) -> Result<Timestamp, String> {
    let s = input.trim();
    if let Ok(ts) = Timestamp::from_str(s) {
        return Ok(ts);
    }
    let civil = if s.len() == 10 {
        Date::from_str(s).map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    } else {
        DateTime::from_str(&s.replacen(' ', "T", 1))
    };
    match civil {
        Ok(dt) => dt
            .to_zoned(zone.clone())
            .map(|z| z.timestamp())
            .map_err(|e| format!("invalid timestamp {s:?}: {e}")),
        Err(_) => Err(format!(
            "invalid timestamp {s:?}: expected RFC 3339 (2026-03-01T10:15:00Z) or \
             YYYY-MM-DD[ HH:MM[:SS]]"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_normalise_to_utc() {
        let utc = TimeZone::UTC;
        let cases = [
            (
                "rfc3339 zulu",
                "2026-03-01T10:15:00Z",
                "2026-03-01T10:15:00Z",
            ),
            (
                "rfc3339 offset",
                "2026-03-01T10:15:00+02:00",
                "2026-03-01T08:15:00Z",
            ),
            ("date only", "2026-03-01", "2026-03-01T00:00:00Z"),
            (
                "date and minutes",
                "2026-03-01 10:15",
                "2026-03-01T10:15:00Z",
            ),
            (
                "date and seconds",
                "2026-03-01 10:15:30",
                "2026-03-01T10:15:30Z",
            ),
            (
                "T without zone",
                "2026-03-01T10:15:30",
                "2026-03-01T10:15:30Z",
            ),
            ("padded", "  2026-03-01 ", "2026-03-01T00:00:00Z"),
        ];
        for (name, input, want) in cases {
            let got = parse_timestamp(input, &utc).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(format_timestamp(got), want, "{name}");
        }
    }

    #[test]
    fn civil_times_are_read_in_the_given_zone() {
        let jerusalem = TimeZone::get("Asia/Jerusalem").expect("tzdb has Asia/Jerusalem");
        let got = parse_timestamp("2026-01-15 10:00", &jerusalem).unwrap();
        assert_eq!(format_timestamp(got), "2026-01-15T08:00:00Z");
    }

    #[test]
    fn bad_timestamps_are_rejected_with_the_accepted_forms() {
        for input in [
            "yesterday",
            "2026-13-01",
            "01/03/2026",
            "",
            "2026-03-01 25:00",
        ] {
            let err = parse_timestamp(input, &TimeZone::UTC).unwrap_err();
            assert!(err.contains("invalid timestamp"), "{input}: {err}");
        }
    }

    #[test]
    fn derived_ids_are_stable_and_content_sensitive() {
        let a = Record::from_text("החשבון שלי שגוי");
        let b = Record::from_text("החשבון שלי שגוי");
        let mut c = Record::from_text("החשבון שלי שגוי");
        c.customer_id = Some("c-1".into());
        assert_eq!(a.id, b.id);
        assert_eq!(a.id.len(), 32);
        assert_ne!(a.id, derive_id(&c));
    }
}
