//! JSON Lines: one JSON object per line.
//!
//! Each non-blank line is checked for size, UTF-8 and JSON, must be an object, and is mapped onto a
//! [`Record`](crate::record::Record) by the [`FieldMap`]; the object's other members go to `meta`
//! in their order. Files whose lines share one key order (the usual case) resolve the field map
//! once: the resolution is cached by key list.

use serde_json::{Map, Value};

use super::fields::{Draft, Field, FieldMap, Problem, Resolution};
use super::reject::RejectKind;
use super::{Parsed, SourceSettings};

/// The per-input state of the JSONL parser.
#[derive(Debug, Default)]
pub(crate) struct JsonlParser {
    keys: Vec<String>,
    resolution: Option<Resolution>,
}

impl JsonlParser {
    /// Parses one line (without its terminator); blank lines are not passed here.
    pub fn parse(&mut self, line: &[u8], settings: &SourceSettings) -> Parsed {
        let text = match std::str::from_utf8(line) {
            Ok(text) => text,
            Err(e) => return Parsed::Problem(invalid_utf8(&e)),
        };
        let value: Value = match serde_json::from_str(text) {
            Ok(value) => value,
            Err(e) => {
                return Parsed::Problem(Problem::new(
                    RejectKind::InvalidJson,
                    None,
                    format!("invalid JSON: {e}"),
                ));
            }
        };
        let Value::Object(object) = value else {
            let found = match value {
                Value::Array(_) => "an array",
                Value::String(_) => "a string",
                Value::Number(_) => "a number",
                Value::Bool(_) => "a boolean",
                _ => "null",
            };
            return Parsed::Problem(Problem::new(
                RejectKind::NotObject,
                None,
                format!("line is not a JSON object (found {found})"),
            ));
        };
        match self.build(object, settings) {
            Ok(record) => Parsed::Record(Box::new(record)),
            Err(problem) => Parsed::Problem(problem),
        }
    }

    fn build(
        &mut self,
        object: Map<String, Value>,
        settings: &SourceSettings,
    ) -> Result<crate::record::Record, Problem> {
        let fields = settings.fields();
        let resolution = self.resolution_for(&object, fields);
        if let Some(field) = resolution.missing.first() {
            let name = fields.get(*field).unwrap_or(field.name());
            let kind = if *field == Field::Text {
                RejectKind::MissingText
            } else {
                RejectKind::MissingField
            };
            return Err(Problem::new(kind, Some(name), format!("missing `{name}`")));
        }
        let text_name = match (fields.get(Field::Text), resolution.has(Field::Text)) {
            (Some(name), _) => name.to_string(),
            (None, true) => {
                let i = resolution
                    .roles
                    .iter()
                    .position(|r| *r == Some(Field::Text));
                object
                    .keys()
                    .nth(i.unwrap_or(0))
                    .cloned()
                    .unwrap_or_default()
            }
            (None, false) => Field::Text.name().to_string(),
        };
        let roles = resolution.roles.clone();
        let mut draft = Draft::default();
        for ((name, value), role) in object.into_iter().zip(roles) {
            match role {
                Some(field) => draft.assign(field, &name, value, settings.timezone())?,
                None => draft.meta(name, value),
            }
        }
        draft.finish(&text_name)
    }

    /// The resolution for this object's keys, reusing the previous one when the keys are the same.
    fn resolution_for(&mut self, object: &Map<String, Value>, fields: &FieldMap) -> &Resolution {
        let same = self.resolution.is_some()
            && object.len() == self.keys.len()
            && object.keys().zip(&self.keys).all(|(a, b)| a == b);
        if !same {
            self.keys.clear();
            self.keys.extend(object.keys().cloned());
            self.resolution = Some(fields.resolve(&self.keys));
        }
        self.resolution.as_ref().expect("set above")
    }
}

/// The reject for bytes that are not UTF-8, with the offset of the first bad byte.
pub(crate) fn invalid_utf8(e: &std::str::Utf8Error) -> Problem {
    Problem::new(
        RejectKind::InvalidUtf8,
        None,
        format!("invalid UTF-8 at byte {}", e.valid_up_to()),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn settings(fields: FieldMap) -> SourceSettings {
        SourceSettings::builder().fields(fields).build().unwrap()
    }

    fn parse(line: &str, settings: &SourceSettings) -> Result<Value, (RejectKind, String)> {
        match JsonlParser::default().parse(line.as_bytes(), settings) {
            Parsed::Record(record) => Ok(Value::Object(record.to_json())),
            Parsed::Problem(p) => Err((p.kind, p.reason)),
        }
    }

    #[test]
    fn records() {
        let defaults = settings(FieldMap::new());
        let cases = [
            (
                "canonical fields",
                r#"{"id":"a1","text":"שלום","customer_id":"c9","channel":"chat","agent_id":"ag","timestamp":"2026-03-01 10:15","lang":"HE"}"#,
                json!({"id":"a1","text":"שלום","customer_id":"c9","channel":"chat","agent_id":"ag","timestamp":"2026-03-01T10:15:00Z","lang":"he"}),
            ),
            (
                "aliases and meta in input order",
                r#"{"zeta":1,"Body":"bill wrong","ticket_id":7,"alpha":{"x":[1,2]},"created_at":"2026-01-02"}"#,
                json!({"id":"7","text":"bill wrong","timestamp":"2026-01-02T00:00:00Z","lang":"en","zeta":1,"alpha":{"x":[1,2]}}),
            ),
            (
                "a second text-like key stays in meta",
                r#"{"text":"a b c","note":"internal"}"#,
                json!({"text":"a b c","lang":"en","note":"internal"}),
            ),
        ];
        for (name, line, want) in cases {
            let got = parse(line, &defaults).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            let got = got.as_object().unwrap();
            let mut got_without_id = got.clone();
            if want.get("id").is_none() {
                assert_eq!(
                    got["id"].as_str().map(str::len),
                    Some(32),
                    "{name}: derived id"
                );
                got_without_id.shift_remove("id");
            }
            assert_eq!(Value::Object(got_without_id), want, "{name}");
            // Order matters: compare the key sequences too.
            let want_keys: Vec<_> = want.as_object().unwrap().keys().collect();
            let got_keys: Vec<_> = got.keys().filter(|k| want.get(*k).is_some()).collect();
            assert_eq!(got_keys, want_keys, "{name}: key order");
        }
    }

    #[test]
    fn rejects() {
        let defaults = settings(FieldMap::new());
        let cases: [(&str, &[u8], RejectKind, &str); 9] = [
            (
                "truncated JSON",
                br#"{"text":"abc"#,
                RejectKind::InvalidJson,
                "invalid JSON: EOF while parsing a string at line 1 column 12",
            ),
            (
                "trailing garbage",
                br#"{"text":"a"} x"#,
                RejectKind::InvalidJson,
                "invalid JSON: trailing characters at line 1 column 14",
            ),
            (
                "array",
                b"[1,2]",
                RejectKind::NotObject,
                "line is not a JSON object (found an array)",
            ),
            (
                "string",
                br#""text""#,
                RejectKind::NotObject,
                "line is not a JSON object (found a string)",
            ),
            (
                "no text",
                br#"{"id":"1"}"#,
                RejectKind::MissingText,
                "missing `text`",
            ),
            (
                "text number",
                br#"{"text":12}"#,
                RejectKind::TextNotString,
                "`text` is not a string (found a number)",
            ),
            (
                "empty text",
                br#"{"message":""}"#,
                RejectKind::EmptyText,
                "empty text in `message`",
            ),
            (
                "invalid utf-8",
                b"{\"text\":\"ab\xff\"}",
                RejectKind::InvalidUtf8,
                "invalid UTF-8 at byte 11",
            ),
            (
                "bad timestamp",
                br#"{"text":"x","time":"31/12/2025"}"#,
                RejectKind::BadTimestamp,
                "unparseable timestamp in `time`: \"31/12/2025\"; expected RFC 3339 (2026-03-01T10:15:00Z) or YYYY-MM-DD[ HH:MM[:SS]]",
            ),
        ];
        for (name, line, kind, reason) in cases {
            match JsonlParser::default().parse(line, &defaults) {
                Parsed::Problem(p) => {
                    assert_eq!((p.kind, p.reason.as_str()), (kind, reason), "{name}");
                }
                Parsed::Record(r) => panic!("{name}: accepted {r:?}"),
            }
        }
    }

    #[test]
    fn explicit_fields_must_exist_per_record() {
        let mut fields = FieldMap::new();
        fields
            .set(Field::Text, "summary")
            .set(Field::CustomerId, "cust");
        let settings = settings(fields);
        let mut parser = JsonlParser::default();
        let ok = parser.parse(br#"{"summary":"hi","cust":5,"text":"kept"}"#, &settings);
        let Parsed::Record(record) = ok else {
            panic!("{ok:?}")
        };
        assert_eq!(record.text, "hi");
        assert_eq!(record.customer_id.as_deref(), Some("5"));
        assert_eq!(record.meta.get("input_text"), Some(&json!("kept")));
        let cases = [
            (
                "text absent",
                r#"{"text":"x","cust":1}"#,
                RejectKind::MissingText,
                "missing `summary`",
            ),
            (
                "customer absent",
                r#"{"summary":"x"}"#,
                RejectKind::MissingField,
                "missing `cust`",
            ),
        ];
        for (name, line, kind, reason) in cases {
            let Parsed::Problem(p) = parser.parse(line.as_bytes(), &settings) else {
                panic!("{name}: accepted");
            };
            assert_eq!((p.kind, p.reason.as_str()), (kind, reason), "{name}");
        }
    }

    #[test]
    fn cached_resolution_follows_key_changes() {
        let settings = settings(FieldMap::new());
        let mut parser = JsonlParser::default();
        let lines = [
            r#"{"text":"one","x":1}"#,
            r#"{"text":"two","x":2}"#,
            r#"{"body":"three","x":3}"#,
            r#"{"x":4,"body":"four"}"#,
        ];
        let texts: Vec<String> = lines
            .iter()
            .map(|l| match parser.parse(l.as_bytes(), &settings) {
                Parsed::Record(r) => r.text,
                Parsed::Problem(p) => panic!("{l}: {p:?}"),
            })
            .collect();
        assert_eq!(texts, ["one", "two", "three", "four"]);
    }
}
