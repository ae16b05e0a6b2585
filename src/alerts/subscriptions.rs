//! The subscriptions file: who wants to hear about which signal, where, and how often.
//!
//! A TOML file of `[[subscription]]` tables, each with a `name`, a `rule`, optional filters, a
//! `destination`, a `cooldown` and an optional `digest` (the format is in the README, "Alert
//! subscriptions"). [`Subscriptions::parse`] walks the parsed document itself rather than through
//! serde so that it can report every problem at once, each as `file:line: message`
//! ([`Error::Config`]); labels and prefixes are checked against the lexicon's taxonomy. What it
//! hands on is the validated model the rule evaluator ([`super::rules`]) and delivery use.

use std::fmt;
use std::ops::Range;
use std::path::Path;

use jiff::SignedDuration;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Destination, Event};
use crate::error::{Error, Result};
use crate::index::trends::{Interval, SpikeTest};
use crate::lexicon::{Group, Lexicon};

/// The cooldown of a subscription that does not set one.
pub const DEFAULT_COOLDOWN: Duration = Duration::from_secs(24 * 3600);

/// The longest duration a subscription may use (100 years): beyond it, time arithmetic would
/// leave the range of timestamps.
pub const MAX_DURATION: Duration = Duration::from_secs(36_500 * 86_400);

/// The languages a record can be classified as.
const LANGUAGES: [&str; 4] = ["he", "en", "mixed", "und"];

/// The sentiment labels a record can carry.
const SENTIMENTS: [&str; 3] = ["positive", "negative", "neutral"];

/// Keys that would hold a secret: never accepted in the file.
const SECRET_KEYS: [&str; 5] = ["secret", "password", "token", "api_key", "auth"];

/// A length of time, to the second, written `90s`, `30m`, `24h`, `7d`, `2w` or combined (`1d12h`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Duration {
    seconds: u64,
}

impl Duration {
    /// A duration of `seconds`.
    pub const fn from_secs(seconds: u64) -> Duration {
        Duration { seconds }
    }

    /// Its length in seconds.
    pub fn seconds(self) -> u64 {
        self.seconds
    }

    /// As a jiff duration (saturating at the largest one).
    pub fn signed(self) -> SignedDuration {
        SignedDuration::from_secs(i64::try_from(self.seconds).unwrap_or(i64::MAX))
    }

    /// Parses `24h`, `7d`, `1d12h`: one or more groups of digits and a unit (`s`, `m`, `h`, `d`,
    /// `w`). Surrounding spaces are ignored.
    ///
    /// # Errors
    /// A message saying what is wrong (empty, a missing or unknown unit, zero, too long).
    pub fn parse(text: &str) -> std::result::Result<Duration, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err("empty duration (write e.g. \"24h\" or \"7d\")".into());
        }
        let mut seconds: u64 = 0;
        let mut rest = trimmed;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(format!(
                    "bad duration {text:?}: expected a number, then s, m, h, d or w"
                ));
            }
            let number: u64 = rest[..digits]
                .parse()
                .map_err(|_| format!("bad duration {text:?}: number too large"))?;
            rest = &rest[digits..];
            let unit = rest.chars().next();
            let scale: u64 = match unit {
                Some('s') => 1,
                Some('m') => 60,
                Some('h') => 3_600,
                Some('d') => 86_400,
                Some('w') => 7 * 86_400,
                Some(c) => {
                    return Err(format!(
                        "bad duration {text:?}: unknown unit {c:?} (use s, m, h, d or w)"
                    ));
                }
                None => {
                    return Err(format!(
                        "bad duration {text:?}: the number needs a unit (s, m, h, d or w)"
                    ));
                }
            };
            rest = &rest[1..];
            seconds = number
                .checked_mul(scale)
                .and_then(|s| seconds.checked_add(s))
                .ok_or_else(|| format!("bad duration {text:?}: too long"))?;
        }
        if seconds == 0 {
            return Err(format!("bad duration {text:?}: must be longer than 0"));
        }
        if seconds > MAX_DURATION.seconds {
            return Err(format!("bad duration {text:?}: longer than 100 years"));
        }
        Ok(Duration { seconds })
    }
}

impl fmt::Display for Duration {
    /// The largest unit that divides it: `14d`, `48h`, `90m`, `45s` (days from three on, so that
    /// `24h` and `48h` read as written).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.seconds;
        if s.is_multiple_of(86_400) && s >= 3 * 86_400 {
            write!(f, "{}d", s / 86_400)
        } else if s.is_multiple_of(3_600) && s > 0 {
            write!(f, "{}h", s / 3_600)
        } else if s.is_multiple_of(60) && s > 0 {
            write!(f, "{}m", s / 60)
        } else {
            write!(f, "{s}s")
        }
    }
}

/// Which labels a rule counts: one label, or every label under a prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LabelMatch {
    /// Exactly this label.
    Label(String),
    /// Any label starting with this prefix (`churn.`).
    Prefix(String),
}

impl LabelMatch {
    /// Whether `label` is one this matches.
    pub fn matches(&self, label: &str) -> bool {
        match self {
            LabelMatch::Label(l) => label == l,
            LabelMatch::Prefix(p) => label.starts_with(p.as_str()),
        }
    }

    /// Whether the event carries a label this matches.
    pub fn matches_event(&self, event: &Event) -> bool {
        event.labels.iter().any(|hit| self.matches(&hit.label))
    }
}

impl fmt::Display for LabelMatch {
    /// `complaint.billing`, or `churn.*` for a prefix.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LabelMatch::Label(l) => f.write_str(l),
            LabelMatch::Prefix(p) => write!(f, "{p}*"),
        }
    }
}

/// What makes a subscription fire.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// A single record: every condition given must hold (at least one is).
    Record {
        /// The record carries this label.
        label: Option<String>,
        /// The record carries a label under this prefix.
        label_prefix: Option<String>,
        /// The record's churn risk is at least this.
        min_churn_risk: Option<f64>,
    },
    /// At least `count` records of one customer matching `labels` within `within` (both ends
    /// inclusive: a record exactly `within` before the newest one counts).
    Window {
        /// The labels counted.
        labels: LabelMatch,
        /// How many records.
        count: u32,
        /// Within how long.
        within: Duration,
    },
    /// A record matching `then` after a record matching `first` (observed earlier, another
    /// record), same customer, at most `within` apart (inclusive).
    Sequence {
        /// The earlier signal.
        first: LabelMatch,
        /// The later signal.
        then: LabelMatch,
        /// How far apart at most.
        within: Duration,
    },
    /// Records of one customer with this sentiment on at least `channels` distinct channels
    /// within `within` (inclusive).
    Channels {
        /// `negative`, `positive` or `neutral`.
        sentiment: String,
        /// How many distinct channels.
        channels: u32,
        /// Within how long.
        within: Duration,
    },
    /// A label's count in the current bucket far above its baseline (all customers together).
    Spike {
        /// The label counted.
        label: String,
        /// The bucket size.
        interval: Interval,
        /// When a count is a spike.
        test: SpikeTest,
    },
}

impl Rule {
    /// The kind as written in the file: `record`, `window`, `sequence`, `channels`, `spike`.
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::Record { .. } => "record",
            Rule::Window { .. } => "window",
            Rule::Sequence { .. } => "sequence",
            Rule::Channels { .. } => "channels",
            Rule::Spike { .. } => "spike",
        }
    }

    /// How far back the rule looks into one customer's records (none for record and spike rules).
    pub fn lookback(&self) -> Option<Duration> {
        match self {
            Rule::Window { within, .. }
            | Rule::Sequence { within, .. }
            | Rule::Channels { within, .. } => Some(*within),
            Rule::Record { .. } | Rule::Spike { .. } => None,
        }
    }

    /// The rule in words, as alerts carry it: `3 × complaint.billing in 14d`.
    pub fn describe(&self) -> String {
        match self {
            Rule::Record {
                label,
                label_prefix,
                min_churn_risk,
            } => {
                let mut parts = Vec::new();
                if let Some(l) = label {
                    parts.push(l.clone());
                }
                if let Some(p) = label_prefix {
                    parts.push(format!("{p}*"));
                }
                if let Some(r) = min_churn_risk {
                    parts.push(format!("churn risk ≥ {r}"));
                }
                format!("record with {}", parts.join(" and "))
            }
            Rule::Window {
                labels,
                count,
                within,
            } => format!("{count} × {labels} in {within}"),
            Rule::Sequence {
                first,
                then,
                within,
            } => format!("{then} after {first} within {within}"),
            Rule::Channels {
                sentiment,
                channels,
                within,
            } => format!("{sentiment} sentiment on {channels} channels within {within}"),
            Rule::Spike {
                label, interval, ..
            } => format!("spike of {label} per {}", interval.name()),
        }
    }
}

/// A filter on a field of the record's `meta` (a customer segment, a plan, a region).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// The field of [`Event::meta`].
    pub field: String,
    /// The values accepted (numbers and booleans are compared as written).
    pub values: Vec<String>,
}

/// Which records a subscription looks at at all; a record that fails them is invisible to its
/// rule (it neither counts in a window nor in a spike).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filters {
    /// Only these channels (any when empty).
    pub channels: Vec<String>,
    /// Only these languages (any when empty).
    pub languages: Vec<String>,
    /// Only records with a label under this prefix.
    pub label_prefix: Option<String>,
    /// Only records with at least this churn risk.
    pub min_churn_risk: Option<f64>,
    /// Only records whose `meta` field has one of these values.
    pub segment: Option<Segment>,
}

impl Filters {
    /// Whether the event passes every filter.
    pub fn accepts(&self, event: &Event) -> bool {
        if !self.channels.is_empty()
            && !event
                .channel
                .as_ref()
                .is_some_and(|c| self.channels.contains(c))
        {
            return false;
        }
        if !self.languages.is_empty() && !self.languages.contains(&event.lang) {
            return false;
        }
        if let Some(prefix) = &self.label_prefix
            && !event
                .labels
                .iter()
                .any(|l| l.label.starts_with(prefix.as_str()))
        {
            return false;
        }
        if let Some(min) = self.min_churn_risk
            && event.churn_risk < min
        {
            return false;
        }
        if let Some(segment) = &self.segment {
            let value = match event.meta.get(&segment.field) {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => {
                    v.to_string()
                }
                _ => return false,
            };
            if !segment.values.contains(&value) {
                return false;
            }
        }
        true
    }

    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    /// The filters in words (`channels chat, phone; churn risk ≥ 0.5`), empty when none.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.channels.is_empty() {
            parts.push(format!("channels {}", self.channels.join(", ")));
        }
        if !self.languages.is_empty() {
            parts.push(format!("languages {}", self.languages.join(", ")));
        }
        if let Some(p) = &self.label_prefix {
            parts.push(format!("labels {p}*"));
        }
        if let Some(r) = self.min_churn_risk {
            parts.push(format!("churn risk ≥ {r}"));
        }
        if let Some(s) = &self.segment {
            parts.push(format!("{} in {}", s.field, s.values.join(", ")));
        }
        parts.join("; ")
    }
}

/// One subscription.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    /// Unique in its file.
    pub name: String,
    /// What makes it fire.
    pub rule: Rule,
    /// Which records it looks at.
    pub filters: Filters,
    /// Where its alerts go.
    pub destination: Destination,
    /// One alert per (subscription, customer, rule) per cooldown; triggers within it update the
    /// alert.
    pub cooldown: Duration,
    /// When set, alerts are batched per destination per interval of this length.
    pub digest: Option<Duration>,
    /// The line of its `[[subscription]]` header.
    pub line: usize,
}

/// The destination in words, without anything secret: a webhook's URL is shown as scheme, host
/// and port only (paths and queries of webhook URLs often are credentials themselves).
pub fn describe_destination(destination: &Destination) -> String {
    match destination {
        Destination::Webhook {
            url,
            secret_env,
            slack,
            timeout_ms,
            max_attempts,
        } => {
            let (scheme, rest) = url.split_once("://").unwrap_or(("", url.as_str()));
            let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
            let host = authority.rsplit('@').next().unwrap_or_default();
            let elided = if rest.len() > authority.len() {
                "/…"
            } else {
                ""
            };
            let mut s = format!(
                "{}webhook {scheme}://{host}{elided}",
                if *slack { "Slack " } else { "" }
            );
            match secret_env {
                Some(var) => s.push_str(&format!(", signed with ${var}")),
                None => s.push_str(", unsigned"),
            }
            s.push_str(&format!(
                ", timeout {timeout_ms} ms, {max_attempts} attempts"
            ));
            s
        }
        Destination::File { path } => format!("file {path}"),
        Destination::Stdout => "stdout".into(),
        Destination::Email {
            relay,
            from,
            to,
            max_attempts,
        } => format!(
            "e-mail via {relay} from {from} to {}, {max_attempts} attempts",
            to.join(", ")
        ),
    }
}

/// Whether a destination can carry several alerts in one delivery (a digest).
pub fn can_batch(destination: &Destination) -> bool {
    matches!(
        destination,
        Destination::Webhook { .. } | Destination::Email { .. }
    )
}

/// The validated subscriptions of one file, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscriptions {
    file: String,
    list: Vec<Subscription>,
}

impl Subscriptions {
    /// Reads and validates a subscriptions file; labels are checked against `lexicon`.
    ///
    /// # Errors
    /// An I/O error when the file cannot be read; [`Error::Config`] with every problem as
    /// `file:line: message` when it is not valid.
    pub fn load(path: &Path, lexicon: &Lexicon) -> Result<Subscriptions> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let name = path.display().to_string();
        match String::from_utf8(bytes) {
            Ok(text) => Subscriptions::parse(&text, &name, lexicon),
            Err(e) => {
                let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
                Err(Error::Config {
                    problems: vec![format!("{name}:{line}: not valid UTF-8")],
                })
            }
        }
    }

    /// Validates the text of a subscriptions file; `file` names it in messages.
    ///
    /// # Errors
    /// [`Error::Config`] with every problem found, each as `file:line: message`, in line order.
    pub fn parse(text: &str, file: &str, lexicon: &Lexicon) -> Result<Subscriptions> {
        let mut checker = Checker::new(text, lexicon);
        let list = checker.document();
        if checker.problems.is_empty() {
            Ok(Subscriptions {
                file: file.to_owned(),
                list,
            })
        } else {
            // In the order an editor would visit them.
            checker.problems.sort_by_key(|(offset, _, _)| *offset);
            Err(Error::Config {
                problems: checker
                    .problems
                    .into_iter()
                    .map(|(_, line, message)| format!("{file}:{line}: {message}"))
                    .collect(),
            })
        }
    }

    /// The file they came from, as named when loading.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Every subscription, in file order.
    pub fn iter(&self) -> std::slice::Iter<'_, Subscription> {
        self.list.iter()
    }

    /// The subscription named `name`.
    pub fn get(&self, name: &str) -> Option<&Subscription> {
        self.list.iter().find(|s| s.name == name)
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none (a loaded file always has at least one).
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

impl<'a> IntoIterator for &'a Subscriptions {
    type Item = &'a Subscription;
    type IntoIter = std::slice::Iter<'a, Subscription>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

type Table<'i> = DeTable<'i>;
type Value<'i> = Spanned<DeValue<'i>>;

/// Walks a parsed document, collecting the subscriptions and every problem.
struct Checker<'t> {
    text: &'t str,
    /// Byte offsets where lines start.
    line_starts: Vec<usize>,
    /// The complaint and churn labels of the taxonomy.
    labels: Vec<String>,
    /// (byte offset, line, message).
    problems: Vec<(usize, usize, String)>,
}

impl<'t> Checker<'t> {
    fn new(text: &'t str, lexicon: &Lexicon) -> Checker<'t> {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let labels = lexicon
            .labels()
            .iter()
            .filter(|l| matches!(l.group(), Group::Complaint | Group::Churn))
            .map(|l| l.name().to_owned())
            .collect();
        Checker {
            text,
            line_starts,
            labels,
            problems: Vec::new(),
        }
    }

    fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    fn problem(&mut self, span: &Range<usize>, message: impl Into<String>) {
        let line = self.line(span.start);
        self.problems.push((span.start, line, message.into()));
    }

    fn document(&mut self) -> Vec<Subscription> {
        let (root, errors) = DeTable::parse_recoverable(self.text);
        if !errors.is_empty() {
            for e in errors {
                let span = e.span().unwrap_or(0..0);
                self.problem(&span, format!("TOML: {}", e.message()));
            }
            return Vec::new();
        }
        let root = root.get_ref();
        let mut list = Vec::new();
        for (key, _) in root.iter() {
            if key.get_ref() != "subscription" {
                self.problem(
                    &key.span(),
                    format!(
                        "unknown key {:?} (a subscriptions file holds [[subscription]] tables)",
                        key.get_ref()
                    ),
                );
            }
        }
        match root.get("subscription") {
            None => self.problem(&(0..0), "no [[subscription]] tables"),
            Some(value) => match value.get_ref() {
                DeValue::Array(items) => {
                    let mut names: Vec<(String, usize)> = Vec::new();
                    for item in items.iter() {
                        let DeValue::Table(table) = item.get_ref() else {
                            self.problem(
                                &item.span(),
                                "a subscription must be a table ([[subscription]])",
                            );
                            continue;
                        };
                        let line = self.line(item.span().start);
                        if let Some(DeValue::String(name)) = table.get("name").map(|v| v.get_ref())
                        {
                            match names.iter().find(|(n, _)| n == name.as_ref()) {
                                Some((_, first)) => {
                                    let message = format!(
                                        "duplicate subscription name {name:?} (first at line {first})"
                                    );
                                    self.problem(&item.span(), message);
                                }
                                None => names.push((name.to_string(), line)),
                            }
                        }
                        if let Some(s) = self.subscription(table, &item.span()) {
                            list.push(s);
                        }
                    }
                }
                _ => self.problem(
                    &value.span(),
                    "write [[subscription]] (an array of tables), not [subscription]",
                ),
            },
        }
        list
    }

    /// Reports keys of `table` that are not in `allowed`.
    fn known_keys(&mut self, table: &Table<'_>, allowed: &[&str], what: &str) {
        for (key, _) in table.iter() {
            let k = key.get_ref().as_ref();
            if allowed.contains(&k) {
                continue;
            }
            if SECRET_KEYS.contains(&k) {
                self.secret_written(key);
            } else {
                self.problem(
                    &key.span(),
                    format!(
                        "unknown key {k:?} in {what} (expected one of: {})",
                        allowed.join(", ")
                    ),
                );
            }
        }
    }

    fn secret_written(&mut self, key: &Spanned<toml::de::DeString<'_>>) {
        self.problem(
            &key.span(),
            format!(
                "{:?} is not allowed: secrets are never written in this file; put the secret in \
                 an environment variable and name it with secret_env",
                key.get_ref()
            ),
        );
    }

    fn string(&mut self, value: &Value<'_>, what: &str) -> Option<String> {
        match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                self.problem(
                    &value.span(),
                    format!("{what} must be a string, not {}", other.type_str()),
                );
                None
            }
        }
    }

    fn non_empty_string(&mut self, value: &Value<'_>, what: &str) -> Option<String> {
        let s = self.string(value, what)?;
        if s.trim().is_empty() {
            self.problem(&value.span(), format!("{what} is empty"));
            return None;
        }
        Some(s)
    }

    fn strings(&mut self, value: &Value<'_>, what: &str) -> Option<Vec<String>> {
        match value.get_ref() {
            DeValue::String(s) => Some(vec![s.to_string()]),
            DeValue::Array(items) => {
                let mut out = Vec::new();
                let mut ok = true;
                for item in items.iter() {
                    match self.non_empty_string(item, &format!("each of {what}")) {
                        Some(s) => out.push(s),
                        None => ok = false,
                    }
                }
                ok.then_some(out)
            }
            other => {
                self.problem(
                    &value.span(),
                    format!("{what} must be a list of strings, not {}", other.type_str()),
                );
                None
            }
        }
    }

    fn integer(&mut self, value: &Value<'_>, what: &str) -> Option<i64> {
        match value.get_ref() {
            DeValue::Integer(i) => {
                let digits: String = i.as_str().chars().filter(|&c| c != '_').collect();
                let parsed = i64::from_str_radix(&digits, i.radix()).ok();
                if parsed.is_none() {
                    self.problem(&value.span(), format!("{what} is out of range"));
                }
                parsed
            }
            other => {
                self.problem(
                    &value.span(),
                    format!("{what} must be an integer, not {}", other.type_str()),
                );
                None
            }
        }
    }

    fn positive_u32(&mut self, value: &Value<'_>, what: &str) -> Option<u32> {
        let n = self.integer(value, what)?;
        match u32::try_from(n) {
            Ok(n) if n >= 1 => Some(n),
            _ if n < 1 => {
                self.problem(&value.span(), format!("{what} must be at least 1, not {n}"));
                None
            }
            _ => {
                self.problem(&value.span(), format!("{what} is too large"));
                None
            }
        }
    }

    /// A number in [0, 1].
    fn fraction(&mut self, value: &Value<'_>, what: &str) -> Option<f64> {
        let n = match value.get_ref() {
            DeValue::Float(f) => {
                let digits: String = f.as_str().chars().filter(|&c| c != '_').collect();
                digits.parse::<f64>().ok()
            }
            DeValue::Integer(_) => self.integer(value, what).map(|i| i as f64),
            other => {
                self.problem(
                    &value.span(),
                    format!("{what} must be a number, not {}", other.type_str()),
                );
                return None;
            }
        };
        match n {
            Some(n) if (0.0..=1.0).contains(&n) => Some(n),
            _ => {
                self.problem(&value.span(), format!("{what} must lie between 0 and 1"));
                None
            }
        }
    }

    fn boolean(&mut self, value: &Value<'_>, what: &str) -> Option<bool> {
        match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                self.problem(
                    &value.span(),
                    format!("{what} must be true or false, not {}", other.type_str()),
                );
                None
            }
        }
    }

    fn duration(&mut self, value: &Value<'_>, what: &str) -> Option<Duration> {
        let text = self.string(value, what)?;
        match Duration::parse(&text) {
            Ok(d) => Some(d),
            Err(message) => {
                self.problem(&value.span(), format!("{what}: {message}"));
                None
            }
        }
    }

    fn table<'v, 'i>(&mut self, value: &'v Value<'i>, what: &str) -> Option<&'v Table<'i>> {
        match value.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                self.problem(
                    &value.span(),
                    format!("{what} must be a table ({{ … }}), not {}", other.type_str()),
                );
                None
            }
        }
    }

    /// A label of the taxonomy's complaint and churn groups.
    fn label(&mut self, value: &Value<'_>, what: &str) -> Option<String> {
        let label = self.non_empty_string(value, what)?;
        if self.labels.contains(&label) {
            return Some(label);
        }
        let hint = if self.labels.iter().any(|l| l.starts_with(label.as_str())) {
            " (it is a prefix: use label_prefix)".to_owned()
        } else {
            let closest = self
                .labels
                .iter()
                .map(|l| (edit_distance(l, &label), l))
                .min();
            match closest {
                Some((d, l)) if d <= 3 => format!(" (did you mean {l:?}?)"),
                _ => " (labels are complaint.* and churn.* names of the taxonomy)".to_owned(),
            }
        };
        self.problem(
            &value.span(),
            format!("{what}: unknown label {label:?}{hint}"),
        );
        None
    }

    /// A prefix of at least one complaint or churn label.
    fn prefix(&mut self, value: &Value<'_>, what: &str) -> Option<String> {
        let prefix = self.non_empty_string(value, what)?;
        if self.labels.iter().any(|l| l.starts_with(prefix.as_str())) {
            return Some(prefix);
        }
        self.problem(
            &value.span(),
            format!("{what}: the prefix {prefix:?} matches no label"),
        );
        None
    }

    /// A label when the value names one, else a prefix of at least one.
    fn label_or_prefix(&mut self, value: &Value<'_>, what: &str) -> Option<LabelMatch> {
        let s = self.non_empty_string(value, what)?;
        if self.labels.contains(&s) {
            Some(LabelMatch::Label(s))
        } else if self.labels.iter().any(|l| l.starts_with(s.as_str())) {
            Some(LabelMatch::Prefix(s))
        } else {
            self.problem(
                &value.span(),
                format!("{what}: {s:?} is neither a label nor the prefix of one"),
            );
            None
        }
    }

    fn subscription(&mut self, table: &Table<'_>, span: &Range<usize>) -> Option<Subscription> {
        const KEYS: [&str; 10] = [
            "name",
            "rule",
            "destination",
            "cooldown",
            "digest",
            "channels",
            "languages",
            "label_prefix",
            "min_churn_risk",
            "segment",
        ];
        let line = self.line(span.start);
        let before = self.problems.len();
        self.known_keys(table, &KEYS, "a subscription");
        let name = match table.get("name") {
            Some(v) => self.non_empty_string(v, "name"),
            None => {
                self.problem(span, "subscription without a name");
                None
            }
        };
        let label = name.as_deref().map_or_else(
            || "subscription".to_owned(),
            |n| format!("subscription {n:?}"),
        );
        let rule = match table.get("rule") {
            Some(v) => self.rule(v),
            None => {
                self.problem(span, format!("{label} has no rule"));
                None
            }
        };
        let destination = match table.get("destination") {
            Some(v) => self.destination(v),
            None => {
                self.problem(span, format!("{label} has no destination"));
                None
            }
        };
        let cooldown = match table.get("cooldown") {
            Some(v) => self.duration(v, "cooldown"),
            None => Some(DEFAULT_COOLDOWN),
        };
        let digest = match table.get("digest") {
            Some(v) => self.duration(v, "digest").map(Some),
            None => Some(None),
        };
        if let (Some(Some(_)), Some(d), Some(v)) = (digest, &destination, table.get("digest"))
            && !can_batch(d)
        {
            self.problem(
                &v.span(),
                "digest needs a destination that can batch alerts (webhook or email); a file \
                 or stdout gets one line per alert",
            );
        }
        let filters = self.filters(table);
        if self.problems.len() > before {
            return None;
        }
        Some(Subscription {
            name: name?,
            rule: rule?,
            filters: filters?,
            destination: destination?,
            cooldown: cooldown?,
            digest: digest?,
            line,
        })
    }

    fn filters(&mut self, table: &Table<'_>) -> Option<Filters> {
        let before = self.problems.len();
        let mut filters = Filters::default();
        if let Some(v) = table.get("channels") {
            filters.channels = self.strings(v, "channels").unwrap_or_default();
        }
        if let Some(v) = table.get("languages") {
            let languages = self.strings(v, "languages").unwrap_or_default();
            for l in &languages {
                if !LANGUAGES.contains(&l.as_str()) {
                    self.problem(
                        &v.span(),
                        format!(
                            "languages: unknown language {l:?} (one of {})",
                            LANGUAGES.join(", ")
                        ),
                    );
                }
            }
            filters.languages = languages;
        }
        if let Some(v) = table.get("label_prefix") {
            filters.label_prefix = self.prefix(v, "label_prefix");
        }
        if let Some(v) = table.get("min_churn_risk") {
            filters.min_churn_risk = self.fraction(v, "min_churn_risk");
        }
        if let Some(v) = table.get("segment")
            && let Some(t) = self.table(v, "segment")
        {
            self.known_keys(t, &["field", "values"], "segment");
            let field = match t.get("field") {
                Some(f) => self.non_empty_string(f, "segment.field"),
                None => {
                    self.problem(
                        &v.span(),
                        "segment needs a field (a key of the record's meta)",
                    );
                    None
                }
            };
            let values = match t.get("values") {
                Some(vs) => match self.strings(vs, "segment.values") {
                    Some(list) if list.is_empty() => {
                        self.problem(&vs.span(), "segment.values is empty");
                        None
                    }
                    other => other,
                },
                None => {
                    self.problem(&v.span(), "segment needs values");
                    None
                }
            };
            if let (Some(field), Some(values)) = (field, values) {
                filters.segment = Some(Segment { field, values });
            }
        }
        (self.problems.len() == before).then_some(filters)
    }

    fn rule(&mut self, value: &Value<'_>) -> Option<Rule> {
        let table = self.table(value, "rule")?;
        let span = value.span();
        let Some(kind_value) = table.get("kind") else {
            self.problem(
                &span,
                "rule needs a kind (record, window, sequence, channels or spike)",
            );
            return None;
        };
        let kind = self.string(kind_value, "rule kind")?;
        let before = self.problems.len();
        let required = |checker: &mut Checker<'_>, key: &str| -> Option<&Value<'_>> {
            let v = table.get(key);
            if v.is_none() {
                checker.problem(&span, format!("a {kind} rule needs {key}"));
            }
            v
        };
        let rule = match kind.as_str() {
            "record" => {
                self.known_keys(
                    table,
                    &["kind", "label", "label_prefix", "min_churn_risk"],
                    "a record rule",
                );
                let label = table.get("label").and_then(|v| self.label(v, "label"));
                let label_prefix = table
                    .get("label_prefix")
                    .and_then(|v| self.prefix(v, "label_prefix"));
                let min_churn_risk = table
                    .get("min_churn_risk")
                    .and_then(|v| self.fraction(v, "min_churn_risk"));
                if ["label", "label_prefix", "min_churn_risk"]
                    .iter()
                    .all(|k| table.get(*k).is_none())
                {
                    self.problem(
                        &span,
                        "a record rule needs label, label_prefix or min_churn_risk",
                    );
                }
                Rule::Record {
                    label,
                    label_prefix,
                    min_churn_risk,
                }
            }
            "window" => {
                self.known_keys(
                    table,
                    &["kind", "label", "label_prefix", "count", "within"],
                    "a window rule",
                );
                let labels = match (table.get("label"), table.get("label_prefix")) {
                    (Some(l), None) => self.label(l, "label").map(LabelMatch::Label),
                    (None, Some(p)) => self.prefix(p, "label_prefix").map(LabelMatch::Prefix),
                    (Some(_), Some(_)) => {
                        self.problem(&span, "a window rule takes label or label_prefix, not both");
                        None
                    }
                    (None, None) => {
                        self.problem(&span, "a window rule needs label or label_prefix");
                        None
                    }
                };
                let count = required(self, "count").and_then(|v| self.positive_u32(v, "count"));
                let within = required(self, "within").and_then(|v| self.duration(v, "within"));
                Rule::Window {
                    labels: labels?,
                    count: count?,
                    within: within?,
                }
            }
            "sequence" => {
                self.known_keys(
                    table,
                    &["kind", "first", "then", "within"],
                    "a sequence rule",
                );
                let first = required(self, "first").and_then(|v| self.label_or_prefix(v, "first"));
                let then = required(self, "then").and_then(|v| self.label_or_prefix(v, "then"));
                let within = required(self, "within").and_then(|v| self.duration(v, "within"));
                Rule::Sequence {
                    first: first?,
                    then: then?,
                    within: within?,
                }
            }
            "channels" => {
                self.known_keys(
                    table,
                    &["kind", "sentiment", "channels", "within"],
                    "a channels rule",
                );
                let sentiment = match table.get("sentiment") {
                    Some(v) => self.string(v, "sentiment").and_then(|s| {
                        if SENTIMENTS.contains(&s.as_str()) {
                            Some(s)
                        } else {
                            self.problem(
                                &v.span(),
                                format!("sentiment: {s:?} is not one of {}", SENTIMENTS.join(", ")),
                            );
                            None
                        }
                    }),
                    None => Some("negative".to_owned()),
                };
                let channels =
                    required(self, "channels").and_then(|v| self.positive_u32(v, "channels"));
                let within = required(self, "within").and_then(|v| self.duration(v, "within"));
                Rule::Channels {
                    sentiment: sentiment?,
                    channels: channels?,
                    within: within?,
                }
            }
            "spike" => {
                self.known_keys(
                    table,
                    &["kind", "label", "interval", "min_count", "history"],
                    "a spike rule",
                );
                let label = required(self, "label").and_then(|v| self.label(v, "label"));
                let interval = match table.get("interval") {
                    Some(v) => self.string(v, "interval").and_then(|s| match s.as_str() {
                        "day" => Some(Interval::Day),
                        "week" => Some(Interval::Week),
                        "month" => Some(Interval::Month),
                        _ => {
                            self.problem(
                                &v.span(),
                                format!("interval: {s:?} is not one of day, week, month"),
                            );
                            None
                        }
                    }),
                    None => Some(Interval::Day),
                };
                let mut test = SpikeTest::default();
                if let Some(v) = table.get("min_count") {
                    test.min_count = u64::from(self.positive_u32(v, "min_count").unwrap_or(1));
                }
                if let Some(v) = table.get("history") {
                    let n = self.positive_u32(v, "history").unwrap_or(1) as usize;
                    test.window = n;
                    test.min_history = test.min_history.min(n);
                }
                Rule::Spike {
                    label: label?,
                    interval: interval?,
                    test,
                }
            }
            other => {
                self.problem(
                    &kind_value.span(),
                    format!(
                        "unknown rule kind {other:?} (one of record, window, sequence, channels, \
                         spike)"
                    ),
                );
                return None;
            }
        };
        (self.problems.len() == before).then_some(rule)
    }

    fn destination(&mut self, value: &Value<'_>) -> Option<Destination> {
        let table = self.table(value, "destination")?;
        let span = value.span();
        let Some(type_value) = table.get("type") else {
            self.problem(
                &span,
                "destination needs a type (webhook, file, stdout or email)",
            );
            return None;
        };
        let kind = self.string(type_value, "destination type")?;
        let before = self.problems.len();
        let destination = match kind.as_str() {
            "webhook" => {
                self.known_keys(
                    table,
                    &[
                        "type",
                        "url",
                        "secret_env",
                        "slack",
                        "timeout_ms",
                        "max_attempts",
                    ],
                    "a webhook destination",
                );
                let url = match table.get("url") {
                    Some(v) => self.non_empty_string(v, "url").and_then(|url| {
                        let host = url
                            .strip_prefix("http://")
                            .or_else(|| url.strip_prefix("https://"));
                        match host {
                            Some(rest)
                                if !rest.is_empty()
                                    && !rest.starts_with('/')
                                    && !url.chars().any(char::is_whitespace) =>
                            {
                                Some(url)
                            }
                            Some(_) => {
                                self.problem(&v.span(), format!("webhook url {url:?} has no host"));
                                None
                            }
                            None => {
                                self.problem(
                                    &v.span(),
                                    format!("webhook url {url:?} is not http:// or https://"),
                                );
                                None
                            }
                        }
                    }),
                    None => {
                        self.problem(&span, "a webhook destination needs a url");
                        None
                    }
                };
                let secret_env = table.get("secret_env").and_then(|v| {
                    let name = self.non_empty_string(v, "secret_env")?;
                    let valid = name
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                    if !valid {
                        self.problem(
                            &v.span(),
                            format!(
                                "secret_env {name:?} is not an environment variable name \
                                 (letters, digits, _): it names the variable, it is not the secret"
                            ),
                        );
                        return None;
                    }
                    Some(name)
                });
                let slack = table
                    .get("slack")
                    .and_then(|v| self.boolean(v, "slack"))
                    .unwrap_or(false);
                let timeout_ms = match table.get("timeout_ms") {
                    Some(v) => u64::from(self.positive_u32(v, "timeout_ms").unwrap_or(1)),
                    None => 5_000,
                };
                let max_attempts = match table.get("max_attempts") {
                    Some(v) => self.positive_u32(v, "max_attempts").unwrap_or(1),
                    None => 8,
                };
                Destination::Webhook {
                    url: url?,
                    secret_env,
                    slack,
                    timeout_ms,
                    max_attempts,
                }
            }
            "file" => {
                self.known_keys(table, &["type", "path"], "a file destination");
                let path = match table.get("path") {
                    Some(v) => self.non_empty_string(v, "path"),
                    None => {
                        self.problem(&span, "a file destination needs a path");
                        None
                    }
                };
                Destination::File { path: path? }
            }
            "stdout" => {
                self.known_keys(table, &["type"], "a stdout destination");
                Destination::Stdout
            }
            "email" => {
                self.known_keys(
                    table,
                    &["type", "relay", "from", "to", "max_attempts"],
                    "an email destination",
                );
                let relay = match table.get("relay") {
                    Some(v) => self.non_empty_string(v, "relay").and_then(|relay| {
                        let port_ok = relay.rsplit_once(':').is_some_and(|(host, port)| {
                            !host.is_empty() && port.parse::<u16>().is_ok()
                        });
                        if port_ok {
                            Some(relay)
                        } else {
                            self.problem(&v.span(), format!("relay {relay:?} is not host:port"));
                            None
                        }
                    }),
                    None => {
                        self.problem(&span, "an email destination needs a relay (host:port)");
                        None
                    }
                };
                let from = match table.get("from") {
                    Some(v) => self.address(v, "from"),
                    None => {
                        self.problem(&span, "an email destination needs a from address");
                        None
                    }
                };
                let to = match table.get("to") {
                    Some(v) => match self.strings(v, "to") {
                        Some(list) if list.is_empty() => {
                            self.problem(
                                &v.span(),
                                "an email destination without recipients (to is empty)",
                            );
                            None
                        }
                        Some(list) => {
                            for address in &list {
                                if !address.contains('@') {
                                    self.problem(
                                        &v.span(),
                                        format!("to: {address:?} is not an e-mail address"),
                                    );
                                }
                            }
                            Some(list)
                        }
                        None => None,
                    },
                    None => {
                        self.problem(
                            &span,
                            "an email destination without recipients (add to = [\"…\"])",
                        );
                        None
                    }
                };
                let max_attempts = match table.get("max_attempts") {
                    Some(v) => self.positive_u32(v, "max_attempts").unwrap_or(1),
                    None => 8,
                };
                Destination::Email {
                    relay: relay?,
                    from: from?,
                    to: to?,
                    max_attempts,
                }
            }
            other => {
                self.problem(
                    &type_value.span(),
                    format!(
                        "unknown destination type {other:?} (one of webhook, file, stdout, email)"
                    ),
                );
                // Still flag secrets written inline: they must not stay in the file.
                for (key, _) in table.iter() {
                    if SECRET_KEYS.contains(&key.get_ref().as_ref()) {
                        self.secret_written(key);
                    }
                }
                return None;
            }
        };
        (self.problems.len() == before).then_some(destination)
    }

    fn address(&mut self, value: &Value<'_>, what: &str) -> Option<String> {
        let address = self.non_empty_string(value, what)?;
        if address.contains('@') {
            Some(address)
        } else {
            self.problem(
                &value.span(),
                format!("{what}: {address:?} is not an e-mail address"),
            );
            None
        }
    }
}

/// The Levenshtein distance between two short strings, in chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests;
