//! Editing the subscriptions file through the API.
//!
//! The file stays the source of truth, and stays a file people edit: a subscription sent as JSON
//! (the keys of a `[[subscription]]` table) is written as a TOML block with one key per line, and
//! spliced in place of the block it replaces (or appended), so the comments and layout of the rest
//! of the file survive. Every change is validated exactly as `kashev alerts check` validates the
//! file — first the one subscription, so each problem can name the field at fault, then the whole
//! new file — and written atomically (a temporary file renamed over it).

use std::fmt::Write as _;
use std::ops::Range;
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::alerts::subscriptions::{Subscriptions, describe_destination};
use crate::error::{Error, Result};
use crate::lexicon::Lexicon;

/// A problem with a subscription sent to the API: the field at fault (`rule.within`, `name`) and
/// the message `kashev alerts check` would give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    /// The field, as a dotted path into the subscription object; empty for the whole object.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// Why an edit was refused.
#[derive(Debug)]
pub enum EditError {
    /// The subscription is not valid.
    Invalid(Vec<FieldProblem>),
    /// Another subscription has that name.
    Exists(String),
    /// No subscription has that name.
    NotFound(String),
    /// The edit cannot be made as asked (the last subscription, a file laid out in a way the
    /// editor does not splice).
    Conflict(String),
    /// The file could not be read or written, or is not valid as it stands.
    File(Error),
}

impl From<Error> for EditError {
    fn from(e: Error) -> EditError {
        EditError::File(e)
    }
}

/// The subscriptions of a file as JSON objects (the keys of each table), in file order, each with
/// a `describe` object (rule, filters, destination in words) when the file is valid.
///
/// # Errors
/// When the file cannot be read or is not TOML.
pub fn list(path: &Path, lexicon: &Lexicon) -> Result<Vec<Value>> {
    let text = read(path)?;
    let mut items = tables(&text, path)?;
    if let Ok(subs) = Subscriptions::parse(&text, &path.display().to_string(), lexicon) {
        for item in &mut items {
            let name = item.get("name").and_then(Value::as_str).unwrap_or_default();
            if let (Some(s), Some(obj)) = (subs.get(name), item.as_object_mut()) {
                obj.insert(
                    "describe".into(),
                    serde_json::json!({
                        "rule": s.rule.describe(),
                        "filters": s.filters.describe(),
                        "destination": describe_destination(&s.destination),
                    }),
                );
            }
        }
    }
    Ok(items)
}

/// Checks one subscription object as the file check would, without writing anything.
///
/// # Errors
/// [`EditError::Invalid`] with every problem and its field.
pub fn validate(subscription: &Value, lexicon: &Lexicon) -> std::result::Result<String, EditError> {
    let Some(obj) = subscription.as_object() else {
        return Err(EditError::Invalid(vec![FieldProblem {
            field: String::new(),
            message: "a subscription is a JSON object".into(),
        }]));
    };
    let (block, keys) = to_toml(obj);
    if let Err(e) = Subscriptions::parse(&block, "subscription", lexicon) {
        let problems = match e {
            Error::Config { problems } => problems
                .iter()
                .map(|p| field_problem(p, &keys, obj))
                .collect(),
            other => return Err(EditError::File(other)),
        };
        return Err(EditError::Invalid(problems));
    }
    Ok(block)
}

/// Adds a subscription at the end of the file (creating the file if there is none).
///
/// # Errors
/// As [`validate`]; [`EditError::Exists`] when the name is taken.
pub fn create(
    path: &Path,
    subscription: &Value,
    lexicon: &Lexicon,
) -> std::result::Result<(), EditError> {
    let block = validate(subscription, lexicon)?;
    let name = name_of(subscription);
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(path, e).into()),
    };
    let items = tables(&text, path)?;
    if items
        .iter()
        .any(|i| i.get("name").and_then(Value::as_str) == Some(&name))
    {
        return Err(EditError::Exists(name));
    }
    let mut new = text;
    if !new.is_empty() && !new.ends_with('\n') {
        new.push('\n');
    }
    if !new.is_empty() {
        new.push('\n');
    }
    new.push_str(&block);
    commit(path, &new, lexicon)
}

/// Replaces the subscription named `name` (the new one may carry another name, if free).
///
/// # Errors
/// As [`validate`]; [`EditError::NotFound`], [`EditError::Exists`].
pub fn replace(
    path: &Path,
    name: &str,
    subscription: &Value,
    lexicon: &Lexicon,
) -> std::result::Result<(), EditError> {
    let block = validate(subscription, lexicon)?;
    let text = read(path)?;
    let (i, blocks, items) = locate(&text, path, name)?;
    let new_name = name_of(subscription);
    if new_name != name
        && items
            .iter()
            .any(|x| x.get("name").and_then(Value::as_str) == Some(&new_name))
    {
        return Err(EditError::Exists(new_name));
    }
    let range = blocks[i].clone();
    let mut new = String::with_capacity(text.len() + block.len());
    new.push_str(&text[..range.start]);
    new.push_str(&block);
    if range.end < text.len() {
        new.push('\n');
    }
    new.push_str(&text[range.end..]);
    commit(path, &new, lexicon)
}

/// Removes the subscription named `name`.
///
/// # Errors
/// [`EditError::NotFound`]; [`EditError::Conflict`] for the last one (a subscriptions file holds
/// at least one).
pub fn delete(path: &Path, name: &str, lexicon: &Lexicon) -> std::result::Result<(), EditError> {
    let text = read(path)?;
    let (i, blocks, _) = locate(&text, path, name)?;
    if blocks.len() == 1 {
        return Err(EditError::Conflict(
            "the last subscription cannot be deleted: a subscriptions file holds at least one"
                .into(),
        ));
    }
    let range = blocks[i].clone();
    let mut new = String::with_capacity(text.len());
    new.push_str(&text[..range.start]);
    new.push_str(&text[range.end..]);
    commit(path, &new, lexicon)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
}

fn name_of(subscription: &Value) -> String {
    subscription
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// The `[[subscription]]` tables of a file as JSON objects.
fn tables(text: &str, path: &Path) -> Result<Vec<Value>> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let doc: Value = toml::from_str(text).map_err(|e| Error::Config {
        problems: vec![format!("{}: {}", path.display(), e.message())],
    })?;
    Ok(match doc.get("subscription") {
        Some(Value::Array(items)) => items.clone(),
        _ => Vec::new(),
    })
}

/// The byte ranges of the `[[subscription]]` blocks: each from its header line to the next header
/// (or the end), without the blank and comment lines that lead into the next one.
fn blocks(text: &str) -> Vec<Range<usize>> {
    let mut headers = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with("[[")
            && t.trim_start_matches('[')
                .trim_start()
                .starts_with("subscription")
        {
            headers.push(at);
        }
        at += line.len();
    }
    let mut out = Vec::with_capacity(headers.len());
    for (i, &start) in headers.iter().enumerate() {
        let end = headers.get(i + 1).copied().unwrap_or(text.len());
        // Leave the blank lines and comments just before the next header to it.
        let body = &text[start..end];
        let mut keep = body.len();
        if i + 1 < headers.len() {
            let mut lines: Vec<&str> = body.split_inclusive('\n').collect();
            while lines.len() > 1 {
                let last = lines[lines.len() - 1].trim();
                if last.is_empty() || last.starts_with('#') {
                    keep -= lines.pop().map_or(0, str::len);
                } else {
                    break;
                }
            }
        }
        out.push(start..start + keep);
    }
    out
}

/// Finds the block of the subscription named `name`.
#[allow(clippy::type_complexity)]
fn locate(
    text: &str,
    path: &Path,
    name: &str,
) -> std::result::Result<(usize, Vec<Range<usize>>, Vec<Value>), EditError> {
    let items = tables(text, path)?;
    let Some(i) = items
        .iter()
        .position(|x| x.get("name").and_then(Value::as_str) == Some(name))
    else {
        return Err(EditError::NotFound(name.to_string()));
    };
    let blocks = blocks(text);
    if blocks.len() != items.len() {
        return Err(EditError::Conflict(format!(
            "{} is not laid out as one [[subscription]] block per subscription; edit it by hand",
            path.display()
        )));
    }
    Ok((i, blocks, items))
}

/// Validates the whole new file, then writes it atomically.
fn commit(path: &Path, text: &str, lexicon: &Lexicon) -> std::result::Result<(), EditError> {
    if let Err(e) = Subscriptions::parse(text, &path.display().to_string(), lexicon) {
        return Err(match e {
            Error::Config { problems } => EditError::Invalid(
                problems
                    .into_iter()
                    .map(|message| FieldProblem {
                        field: String::new(),
                        message,
                    })
                    .collect(),
            ),
            other => EditError::File(other),
        });
    }
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
    let tmp = path.with_extension("toml.tmp");
    let write = || -> std::io::Result<()> {
        use std::io::Write as _;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        if let Some(dir) = dir {
            // Make the rename itself durable.
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    };
    write().map_err(|e| EditError::File(Error::io(path, e)))
}

/// The subscription as a TOML `[[subscription]]` block, one key per line (nested objects as inline
/// tables), and the key on each line (line 1 is the header).
fn to_toml(obj: &Map<String, Value>) -> (String, Vec<String>) {
    let mut out = String::from("[[subscription]]\n");
    let mut keys = vec![String::new()];
    // The name first, as people write it.
    let mut entries: Vec<(&String, &Value)> = obj.iter().collect();
    entries.sort_by_key(|(k, _)| *k != "name");
    for (key, value) in entries {
        if value.is_null() || key == "describe" || key == "status" {
            continue;
        }
        let _ = writeln!(out, "{} = {}", toml_key(key), toml_value(value));
        keys.push(key.clone());
    }
    (out, keys)
}

fn toml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_string()
    } else {
        // A JSON string is a valid TOML basic string.
        Value::String(key.to_string()).to_string()
    }
}

fn toml_value(value: &Value) -> String {
    match value {
        Value::Null => "\"\"".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(_) => value.to_string(),
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .filter(|v| !v.is_null())
                .map(toml_value)
                .collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| format!("{} = {}", toml_key(k), toml_value(v)))
                .collect();
            if parts.is_empty() {
                "{}".into()
            } else {
                format!("{{ {} }}", parts.join(", "))
            }
        }
    }
}

/// Turns `subscription:LINE: message` into a problem with its field: the key on that line, and,
/// when the message starts with a key of that (inline table) value, that key too.
fn field_problem(problem: &str, keys: &[String], obj: &Map<String, Value>) -> FieldProblem {
    let rest = problem.strip_prefix("subscription:").unwrap_or(problem);
    let (line, message) = match rest.split_once(": ") {
        Some((n, m)) => (n.parse::<usize>().ok(), m.to_string()),
        None => (None, rest.to_string()),
    };
    let mut field = line
        .and_then(|n| keys.get(n.wrapping_sub(1)))
        .cloned()
        .unwrap_or_default();
    if let Some(Value::Object(inner)) = obj.get(&field) {
        // `within: bad duration …`, or a key named in the words before the first quote
        // (`webhook url "ftp://x" is not …`).
        let head = message.split(['"', ':']).next().unwrap_or_default();
        if let Some(key) = head.split_whitespace().find(|w| inner.contains_key(*w)) {
            field = format!("{field}.{key}");
        }
    }
    // A missing key is reported on the header line: find the key it names.
    if field.is_empty()
        && let Some(key) = message
            .strip_prefix("missing ")
            .and_then(|m| m.split(['\'', '"', '`']).nth(1))
    {
        field = key.to_string();
    }
    FieldProblem { field, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        Lexicon::embedded().expect("embedded lexicons")
    }

    const FILE: &str = "# retention team\n\n[[subscription]]\nname = \"a\"\nrule = { kind = \"record\", label = \"churn.cancel_intent\" }\ndestination = { type = \"stdout\" }\n\n# the billing one\n[[subscription]]\nname = \"b\"\nrule = { kind = \"window\", label_prefix = \"complaint.billing\", count = 3, within = \"14d\" }\ndestination = { type = \"stdout\" }\n";

    #[test]
    fn blocks_end_before_the_comments_that_lead_into_the_next() {
        let b = blocks(FILE);
        assert_eq!(b.len(), 2);
        assert!(FILE[b[0].clone()].starts_with("[[subscription]]\nname = \"a\""));
        assert!(FILE[b[0].clone()].ends_with("type = \"stdout\" }\n"));
        assert!(FILE[b[1].clone()].starts_with("[[subscription]]\nname = \"b\""));
        assert_eq!(b[1].end, FILE.len());
    }

    #[test]
    fn edits_keep_the_rest_of_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("subs.toml");
        std::fs::write(&path, FILE).unwrap();
        let lex = lexicon();
        let new = serde_json::json!({
            "name": "c",
            "rule": {"kind": "sequence", "first": "complaint.", "then": "churn.", "within": "30d"},
            "channels": ["chat"],
            "destination": {"type": "file", "path": "alerts.jsonl"},
            "cooldown": "3d"
        });
        create(&path, &new, &lex).unwrap();
        let replaced = serde_json::json!({
            "name": "a",
            "rule": {"kind": "record", "min_churn_risk": 0.7},
            "destination": {"type": "stdout"}
        });
        replace(&path, "a", &replaced, &lex).unwrap();
        delete(&path, "b", &lex).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# retention team\n\n[[subscription]]\nname = \"a\"\n"));
        assert!(text.contains("# the billing one\n"), "{text}");
        assert!(!text.contains("name = \"b\""));
        assert!(text.contains("channels = [\"chat\"]"));
        let subs = Subscriptions::parse(&text, "x", &lex).unwrap();
        let names: Vec<&str> = subs.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["a", "c"]);
        let listed = list(&path, &lex).unwrap();
        assert_eq!(listed[0]["rule"]["min_churn_risk"], 0.7);
        assert!(listed[1]["describe"]["rule"].as_str().is_some());
        assert!(matches!(create(&path, &new, &lex), Err(EditError::Exists(n)) if n == "c"));
        assert!(matches!(
            delete(&path, "zz", &lex),
            Err(EditError::NotFound(_))
        ));
        delete(&path, "a", &lex).unwrap();
        assert!(matches!(
            delete(&path, "c", &lex),
            Err(EditError::Conflict(_))
        ));
    }

    #[test]
    fn problems_name_their_field() {
        let bad = serde_json::json!({
            "name": "x",
            "rule": {"kind": "window", "label": "complaint.biling", "count": 3, "within": "2 weeks"},
            "destination": {"type": "stdout"},
            "cooldown": "soon"
        });
        let Err(EditError::Invalid(problems)) = validate(&bad, &lexicon()) else {
            panic!("accepted");
        };
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert!(fields.contains(&"rule.label"), "{problems:?}");
        assert!(fields.contains(&"rule.within"), "{problems:?}");
        assert!(fields.contains(&"cooldown"), "{problems:?}");
    }
}
