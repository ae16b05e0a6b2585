//! Which input field holds what: the [`FieldMap`], its resolution against a CSV header or a JSON
//! object's keys, and the rules that turn field values into a [`Record`].
//!
//! A field named explicitly must exist under exactly that name. Otherwise the record field's own
//! name wins when present (`text`), else the first alias present, compared without regard to ASCII
//! case (`Body`, `message`, …). A column taken by one field is never taken by another; every column
//! no field takes is passed through in `meta`, under its own name unless that is a record field's
//! name (see [`Draft::meta`]).

use jiff::tz::TimeZone;
use serde_json::{Map, Value};

use super::reject::RejectKind;
use crate::record::{Record, derive_id, parse_timestamp};

/// The timestamp forms, for messages.
pub(crate) const TIMESTAMP_FORMS: &str =
    "RFC 3339 (2026-03-01T10:15:00Z) or YYYY-MM-DD[ HH:MM[:SS]]";

/// A field of [`Record`] that an input field can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// [`Record::text`].
    Text,
    /// [`Record::id`].
    Id,
    /// [`Record::customer_id`].
    CustomerId,
    /// [`Record::channel`].
    Channel,
    /// [`Record::agent_id`].
    AgentId,
    /// [`Record::timestamp`].
    Timestamp,
    /// [`Record::lang`].
    Lang,
}

impl Field {
    /// Every field, in resolution order.
    pub const ALL: [Field; 7] = [
        Field::Text,
        Field::Id,
        Field::CustomerId,
        Field::Channel,
        Field::AgentId,
        Field::Timestamp,
        Field::Lang,
    ];

    /// The record field's name, which is also its first default input name.
    pub fn name(self) -> &'static str {
        match self {
            Field::Text => "text",
            Field::Id => "id",
            Field::CustomerId => "customer_id",
            Field::Channel => "channel",
            Field::AgentId => "agent_id",
            Field::Timestamp => "timestamp",
            Field::Lang => "lang",
        }
    }

    /// The input names looked for when none is configured, in order of preference (compared without
    /// regard to ASCII case).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Text => &[
                "text",
                "body",
                "message",
                "note",
                "notes",
                "content",
                "comment",
                "description",
            ],
            Field::Id => &["id", "record_id", "ticket_id", "interaction_id"],
            Field::CustomerId => &["customer_id", "customer", "client_id", "account_id"],
            Field::Channel => &["channel", "source_channel", "medium"],
            Field::AgentId => &["agent_id", "agent", "rep_id"],
            Field::Timestamp => &["timestamp", "created_at", "time", "date", "datetime"],
            Field::Lang => &["lang", "language"],
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Explicit input names for record fields; fields left unset are found by name and alias (see
/// [`Field::aliases`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldMap {
    names: [Option<String>; 7],
}

impl FieldMap {
    /// A map with every field found by its default names.
    pub fn new() -> FieldMap {
        FieldMap::default()
    }

    /// Reads `field` from the input field or column called exactly `name`.
    pub fn set(&mut self, field: Field, name: impl Into<String>) -> &mut FieldMap {
        self.names[field.index()] = Some(name.into());
        self
    }

    /// The explicit name for `field`, if one was set.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.names[field.index()].as_deref()
    }

    /// The fields with explicit names.
    pub fn explicit(&self) -> impl Iterator<Item = (Field, &str)> {
        Field::ALL
            .into_iter()
            .filter_map(|f| self.get(f).map(|name| (f, name)))
    }

    /// Which record field each of `names` fills (`None`: it goes to `meta`), and the explicitly
    /// named fields that are not among `names`.
    pub(crate) fn resolve<S: AsRef<str>>(&self, names: &[S]) -> Resolution {
        let mut roles = vec![None; names.len()];
        let mut missing = Vec::new();
        for (field, name) in self.explicit() {
            match names.iter().position(|n| n.as_ref() == name) {
                Some(i) if roles[i].is_none() => roles[i] = Some(field),
                _ => missing.push(field),
            }
        }
        let defaults: Vec<Field> = Field::ALL
            .into_iter()
            .filter(|f| self.get(*f).is_none())
            .collect();
        for field in &defaults {
            let exact = names.iter().position(|n| n.as_ref() == field.name());
            if let Some(i) = exact.filter(|i| roles[*i].is_none()) {
                roles[i] = Some(*field);
            }
        }
        for field in defaults {
            if roles.contains(&Some(field)) {
                continue;
            }
            'aliases: for alias in field.aliases() {
                for (i, name) in names.iter().enumerate() {
                    if roles[i].is_none() && name.as_ref().trim().eq_ignore_ascii_case(alias) {
                        roles[i] = Some(field);
                        break 'aliases;
                    }
                }
            }
        }
        Resolution { roles, missing }
    }
}

/// The outcome of [`FieldMap::resolve`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolution {
    /// Per input name, the record field it fills.
    pub roles: Vec<Option<Field>>,
    /// Explicitly named fields that are absent.
    pub missing: Vec<Field>,
}

impl Resolution {
    /// Whether some input field fills `field`.
    pub fn has(&self, field: Field) -> bool {
        self.roles.contains(&Some(field))
    }
}

/// Why one record cannot be built: the reject's kind, field and reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub kind: RejectKind,
    pub field: Option<String>,
    pub reason: String,
}

impl Problem {
    pub fn new(kind: RejectKind, field: Option<&str>, reason: String) -> Problem {
        Problem {
            kind,
            field: field.map(str::to_string),
            reason,
        }
    }
}

/// A record being assembled from input fields.
#[derive(Debug, Default)]
pub(crate) struct Draft {
    text: Option<String>,
    id: Option<String>,
    customer_id: Option<String>,
    channel: Option<String>,
    agent_id: Option<String>,
    timestamp: Option<jiff::Timestamp>,
    lang: Option<String>,
    meta: Map<String, Value>,
}

impl Draft {
    /// Keeps an input field that fills no record field. One that bears a record field's name
    /// (a `text` column when another column was named as the text) is kept as `input_<name>`, so
    /// that the record field does not hide it in the output.
    pub fn meta(&mut self, name: String, value: Value) {
        let name = if Field::ALL.iter().any(|f| f.name() == name) {
            format!("input_{name}")
        } else {
            name
        };
        self.meta.insert(name, value);
    }

    /// Fills `field` from the input field `name` holding `value`.
    pub fn assign(
        &mut self,
        field: Field,
        name: &str,
        value: Value,
        zone: &TimeZone,
    ) -> Result<(), Problem> {
        match field {
            Field::Text => {
                self.text = Some(text_value(name, value)?);
            }
            Field::Timestamp => self.timestamp = timestamp_value(name, value, zone)?,
            Field::Id => self.id = label_value(name, value)?,
            Field::CustomerId => self.customer_id = label_value(name, value)?,
            Field::Channel => self.channel = label_value(name, value)?,
            Field::AgentId => self.agent_id = label_value(name, value)?,
            Field::Lang => {
                self.lang = label_value(name, value)?.map(|l| l.trim().to_lowercase());
            }
        }
        Ok(())
    }

    /// The record; `text_name` is the input name the text was expected under, for the message when
    /// it is absent. A missing id is derived from the content.
    pub fn finish(self, text_name: &str) -> Result<Record, Problem> {
        let Some(text) = self.text else {
            return Err(Problem::new(
                RejectKind::MissingText,
                Some(text_name),
                format!("missing `{text_name}`"),
            ));
        };
        let mut record = Record {
            id: String::new(),
            text,
            customer_id: self.customer_id,
            channel: self.channel,
            agent_id: self.agent_id,
            timestamp: self.timestamp,
            lang: self.lang,
            meta: self.meta,
        };
        record.id = match self.id {
            Some(id) => id,
            None => derive_id(&record),
        };
        Ok(record)
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn text_value(name: &str, value: Value) -> Result<String, Problem> {
    match value {
        Value::String(s) if s.trim().is_empty() => Err(Problem::new(
            RejectKind::EmptyText,
            Some(name),
            format!("empty text in `{name}`"),
        )),
        Value::String(s) => Ok(s),
        Value::Null => Err(Problem::new(
            RejectKind::MissingText,
            Some(name),
            format!("missing `{name}` (it is null)"),
        )),
        other => Err(Problem::new(
            RejectKind::TextNotString,
            Some(name),
            format!("`{name}` is not a string (found {})", type_name(&other)),
        )),
    }
}

/// An identifier-like value: strings as given, numbers in their JSON form, null or blank as absent.
fn label_value(name: &str, value: Value) -> Result<Option<String>, Problem> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        other => Err(Problem::new(
            RejectKind::BadField,
            Some(name),
            format!(
                "`{name}` must be a string or a number (found {})",
                type_name(&other)
            ),
        )),
    }
}

fn timestamp_value(
    name: &str,
    value: Value,
    zone: &TimeZone,
) -> Result<Option<jiff::Timestamp>, Problem> {
    let bad = |what: String| {
        Problem::new(
            RejectKind::BadTimestamp,
            Some(name),
            format!("unparseable timestamp in `{name}`: {what}; expected {TIMESTAMP_FORMS}"),
        )
    };
    match value {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        // Longer than any accepted form: do not echo it.
        Value::String(s) if s.len() > 64 => Err(bad(format!("a {}-byte string", s.len()))),
        Value::String(s) => match parse_timestamp(&s, zone) {
            Ok(ts) => Ok(Some(ts)),
            Err(_) => Err(bad(format!("{:?}", s.trim()))),
        },
        other => Err(bad(type_name(&other).to_string())),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn roles(map: &FieldMap, names: &[&str]) -> Vec<Option<&'static str>> {
        map.resolve(names)
            .roles
            .into_iter()
            .map(|r| r.map(Field::name))
            .collect()
    }

    #[test]
    fn default_resolution() {
        type Case = (
            &'static str,
            &'static [&'static str],
            &'static [Option<&'static str>],
        );
        let cases: [Case; 7] = [
            (
                "canonical names",
                &[
                    "id",
                    "text",
                    "customer_id",
                    "channel",
                    "agent_id",
                    "timestamp",
                    "lang",
                ],
                &[
                    Some("id"),
                    Some("text"),
                    Some("customer_id"),
                    Some("channel"),
                    Some("agent_id"),
                    Some("timestamp"),
                    Some("lang"),
                ],
            ),
            (
                "aliases",
                &[
                    "ticket_id",
                    "Body",
                    "Customer",
                    "medium",
                    "rep_id",
                    "created_at",
                    "Language",
                ],
                &[
                    Some("id"),
                    Some("text"),
                    Some("customer_id"),
                    Some("channel"),
                    Some("agent_id"),
                    Some("timestamp"),
                    Some("lang"),
                ],
            ),
            (
                "exact name beats an earlier alias",
                &["body", "text"],
                &[None, Some("text")],
            ),
            (
                "alias order decides between aliases",
                &["comment", "message"],
                &[None, Some("text")],
            ),
            (
                "case-insensitive canonical",
                &["TEXT", "Id"],
                &[Some("text"), Some("id")],
            ),
            (
                "unknown columns stay meta",
                &["text", "priority"],
                &[Some("text"), None],
            ),
            ("header cells are trimmed", &[" note "], &[Some("text")]),
        ];
        for (name, names, want) in cases {
            assert_eq!(roles(&FieldMap::new(), names), want.to_vec(), "{name}");
        }
    }

    #[test]
    fn explicit_names() {
        let mut map = FieldMap::new();
        map.set(Field::Text, "Summary").set(Field::Id, "text");
        // `text` is taken by the id, so the text default does not claim it.
        assert_eq!(
            roles(&map, &["text", "Summary", "body"]),
            vec![Some("id"), Some("text"), None]
        );
        // Explicit names are exact.
        let resolution = map.resolve(&["summary", "id"]);
        assert_eq!(resolution.missing, vec![Field::Text, Field::Id]);
        assert!(!resolution.has(Field::Text));
        assert_eq!(map.explicit().count(), 2);
        assert_eq!(map.get(Field::Text), Some("Summary"));
    }

    fn build(fields: Vec<(Field, Value)>) -> Result<Record, Problem> {
        let mut draft = Draft::default();
        for (field, value) in fields {
            draft.assign(field, field.name(), value, &TimeZone::UTC)?;
        }
        draft.finish("text")
    }

    #[test]
    fn value_rules() {
        type Case = (&'static str, Vec<(Field, Value)>, Result<Value, RejectKind>);
        let cases: Vec<Case> = vec![
            (
                "numbers are stringified",
                vec![
                    (Field::Text, json!("hi")),
                    (Field::Id, json!(17)),
                    (Field::CustomerId, json!(42.5)),
                    (Field::AgentId, json!(-3)),
                ],
                Ok(json!({"id": "17", "customer_id": "42.5", "agent_id": "-3"})),
            ),
            (
                "null and blank are absent",
                vec![
                    (Field::Text, json!("hi")),
                    (Field::CustomerId, Value::Null),
                    (Field::Channel, json!(" ")),
                    (Field::Timestamp, json!("")),
                ],
                Ok(json!({})),
            ),
            (
                "lang is lower-cased",
                vec![(Field::Text, json!("hi")), (Field::Lang, json!(" HE "))],
                Ok(json!({"lang": "he"})),
            ),
            (
                "timestamp normalised",
                vec![
                    (Field::Text, json!("hi")),
                    (Field::Timestamp, json!("2026-03-01T10:15:00+02:00")),
                ],
                Ok(json!({"timestamp": "2026-03-01T08:15:00Z"})),
            ),
            (
                "missing text",
                vec![(Field::Id, json!("a"))],
                Err(RejectKind::MissingText),
            ),
            (
                "null text",
                vec![(Field::Text, Value::Null)],
                Err(RejectKind::MissingText),
            ),
            (
                "numeric text",
                vec![(Field::Text, json!(5))],
                Err(RejectKind::TextNotString),
            ),
            (
                "array text",
                vec![(Field::Text, json!(["a"]))],
                Err(RejectKind::TextNotString),
            ),
            (
                "empty text",
                vec![(Field::Text, json!(""))],
                Err(RejectKind::EmptyText),
            ),
            (
                "whitespace text",
                vec![(Field::Text, json!(" \n\t"))],
                Err(RejectKind::EmptyText),
            ),
            (
                "object customer",
                vec![
                    (Field::Text, json!("hi")),
                    (Field::CustomerId, json!({"a": 1})),
                ],
                Err(RejectKind::BadField),
            ),
            (
                "boolean channel",
                vec![(Field::Text, json!("hi")), (Field::Channel, json!(true))],
                Err(RejectKind::BadField),
            ),
            (
                "words as timestamp",
                vec![
                    (Field::Text, json!("hi")),
                    (Field::Timestamp, json!("yesterday")),
                ],
                Err(RejectKind::BadTimestamp),
            ),
            (
                "number as timestamp",
                vec![
                    (Field::Text, json!("hi")),
                    (Field::Timestamp, json!(1_700_000_000)),
                ],
                Err(RejectKind::BadTimestamp),
            ),
            (
                "huge timestamp",
                vec![
                    (Field::Text, json!("hi")),
                    (Field::Timestamp, json!("9".repeat(1000))),
                ],
                Err(RejectKind::BadTimestamp),
            ),
        ];
        for (name, fields, want) in cases {
            match (build(fields), want) {
                (Ok(record), Ok(want)) => {
                    let json = Value::Object(record.to_json());
                    for (key, value) in want.as_object().unwrap() {
                        assert_eq!(&json[key], value, "{name}: {key}");
                    }
                    for absent in ["customer_id", "channel", "timestamp"] {
                        if want.get(absent).is_none() {
                            assert!(json.get(absent).is_none(), "{name}: {absent}");
                        }
                    }
                }
                (Err(problem), Err(kind)) => assert_eq!(problem.kind, kind, "{name}: {problem:?}"),
                (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn messages_name_the_field_and_forms() {
        let mut draft = Draft::default();
        let problem = draft
            .assign(
                Field::Timestamp,
                "created_at",
                json!("yesterday"),
                &TimeZone::UTC,
            )
            .unwrap_err();
        assert_eq!(problem.field.as_deref(), Some("created_at"));
        assert_eq!(
            problem.reason,
            "unparseable timestamp in `created_at`: \"yesterday\"; expected RFC 3339 \
             (2026-03-01T10:15:00Z) or YYYY-MM-DD[ HH:MM[:SS]]"
        );
        let problem = Draft::default().finish("body").unwrap_err();
        assert_eq!(problem.reason, "missing `body`");
    }

    #[test]
    fn ids_are_derived_when_absent_and_kept_when_given() {
        let a = build(vec![(Field::Text, json!("שלום"))]).unwrap();
        let b = build(vec![(Field::Text, json!("שלום"))]).unwrap();
        assert_eq!(a.id, b.id);
        assert_eq!(a.id, Record::from_text("שלום").id);
        let given = build(vec![
            (Field::Text, json!("שלום")),
            (Field::Id, json!("T-1")),
        ])
        .unwrap();
        assert_eq!(given.id, "T-1");
    }
}
