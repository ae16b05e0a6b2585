//! The taxonomy (`taxonomy.txt`): every label an entry may carry, its group and its descriptions,
//! and the fixed modifier kinds that `modifiers.txt` uses instead of labels.

use std::fmt;
use std::sync::Arc;

use super::parse::{fields, strip_comment};

/// What a label is about. Hits of different groups may overlap; within a group they do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    /// Valence, `sentiment`.
    Sentiment,
    /// `complaint.*`.
    Complaint,
    /// `churn.*`.
    Churn,
    /// Negators, boosters and the other modifier kinds (`modifiers.txt`).
    Modifier,
}

impl Group {
    /// Every group, in a fixed order.
    pub const ALL: [Group; 4] = [
        Group::Sentiment,
        Group::Complaint,
        Group::Churn,
        Group::Modifier,
    ];

    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Sentiment => "sentiment",
            Group::Complaint => "complaint",
            Group::Churn => "churn",
            Group::Modifier => "modifier",
        }
    }

    /// The group a taxonomy may name (`modifier` is not one).
    fn from_taxonomy(s: &str) -> Option<Group> {
        match s {
            "sentiment" => Some(Group::Sentiment),
            "complaint" => Some(Group::Complaint),
            "churn" => Some(Group::Churn),
            _ => None,
        }
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of a modifier entry: the label of every line in `modifiers.txt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ModifierKind {
    /// Flips what follows: לא, not, never. Weight always 1.
    Negator,
    /// Scales the next sentiment word up by its weight (0.1–1): מאוד, very.
    Booster,
    /// Scales the next sentiment word down by its weight (0.1–1): קצת, a bit.
    Diminisher,
    /// Gives its weight (0.5–1) of the sentence's weight to the clause after it: אבל, but.
    Contrast,
    /// Marks a hypothetical or conditional clause: אם, if. Weight always 1.
    Conditional,
    /// Marks a question: האם, how. Weight always 1.
    Question,
    /// A politeness formula, never positive: בבקשה, please. Weight always 1.
    Politeness,
    /// Something whose cancellation is not leaving: an order, a payment, an appointment, a
    /// newsletter. A cancel intent about it is not a churn signal. Weight always 1.
    Transaction,
    /// The customer stays: החליט להישאר, decided to stay, cust retained. After a churn signal it
    /// halves the churn risk. Weight always 1.
    Retained,
    /// A good state that is over, said after it: "until yesterday", "for a day", עד אתמול,
    /// ליומיים. Praise just before it counts as its opposite. Weight always 1.
    Ended,
    /// A good state that is over, said before it: "used to", "in the past", פעם היה, בעבר.
    /// Praise just after it counts as its opposite. Weight always 1.
    Formerly,
    /// A cue beside a written score: "rated 9/10", "3 out of 5", "4/5 stars", "NPS 2", ציון 3
    /// מתוך 10. The score's place on its scale is the sentiment. Weight: the scale the cue implies
    /// for a bare number (5, 10 or 100), 1 when the text must give it.
    Rating,
    /// The complaint before it was put right: תוקן, זוכה, fixed, refunded. A complaint label whose
    /// evidence all comes before it stands, but weighs nothing on sentiment. Weight always 1.
    Resolved,
}

impl ModifierKind {
    /// Every kind, in a fixed order.
    pub const ALL: [ModifierKind; 13] = [
        ModifierKind::Negator,
        ModifierKind::Booster,
        ModifierKind::Diminisher,
        ModifierKind::Contrast,
        ModifierKind::Conditional,
        ModifierKind::Question,
        ModifierKind::Politeness,
        ModifierKind::Transaction,
        ModifierKind::Retained,
        ModifierKind::Ended,
        ModifierKind::Formerly,
        ModifierKind::Rating,
        ModifierKind::Resolved,
    ];

    /// The name used as the label in `modifiers.txt`.
    pub fn as_str(self) -> &'static str {
        match self {
            ModifierKind::Negator => "negator",
            ModifierKind::Booster => "booster",
            ModifierKind::Diminisher => "diminisher",
            ModifierKind::Contrast => "contrast",
            ModifierKind::Conditional => "conditional",
            ModifierKind::Question => "question",
            ModifierKind::Politeness => "politeness",
            ModifierKind::Transaction => "transaction",
            ModifierKind::Retained => "retained",
            ModifierKind::Ended => "ended",
            ModifierKind::Formerly => "formerly",
            ModifierKind::Rating => "rating",
            ModifierKind::Resolved => "resolved",
        }
    }

    /// The kind named `s`.
    pub fn from_name(s: &str) -> Option<ModifierKind> {
        ModifierKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The inclusive range a weight of this kind must lie in.
    pub fn weight_range(self) -> (f32, f32) {
        match self {
            ModifierKind::Booster | ModifierKind::Diminisher => (0.1, 1.0),
            ModifierKind::Contrast => (0.5, 1.0),
            ModifierKind::Rating => (1.0, 100.0),
            _ => (1.0, 1.0),
        }
    }

    fn description(self) -> (&'static str, &'static str) {
        match self {
            ModifierKind::Negator => ("שלילה", "negation"),
            ModifierKind::Booster => ("מגביר", "intensifier"),
            ModifierKind::Diminisher => ("מחליש", "diminisher"),
            ModifierKind::Contrast => ("ניגוד", "contrast"),
            ModifierKind::Conditional => ("תנאי", "hypothetical or conditional"),
            ModifierKind::Question => ("שאלה", "question"),
            ModifierKind::Politeness => ("נימוס", "politeness, never positive"),
            ModifierKind::Transaction => ("עסקה", "a transaction: cancelling it is not leaving"),
            ModifierKind::Retained => ("שימור", "the customer stays: the churn risk is halved"),
            ModifierKind::Ended => (
                "עד שנגמר",
                "a good state that ended: praise before it turns",
            ),
            ModifierKind::Formerly => {
                ("פעם היה", "a good state of the past: praise after it turns")
            }
            ModifierKind::Rating => ("דירוג", "a written score: its place on its scale"),
            ModifierKind::Resolved => (
                "טופל",
                "the complaint before it was put right: no weight on sentiment",
            ),
        }
    }
}

impl fmt::Display for ModifierKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Index of a label in [`super::Lexicon::labels`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LabelId(pub(crate) u16);

impl LabelId {
    /// The index into [`super::Lexicon::labels`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A label: a taxonomy line, or one of the built-in modifier kinds.
#[derive(Debug, Clone)]
pub struct Label {
    pub(crate) name: Arc<str>,
    pub(crate) group: Group,
    pub(crate) modifier: Option<ModifierKind>,
    pub(crate) he: Box<str>,
    pub(crate) en: Box<str>,
    /// Line in `taxonomy.txt` (0 for modifier kinds).
    pub(crate) line: usize,
}

impl Label {
    /// The label (`complaint.billing`, or `negator` for a modifier kind).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its group.
    pub fn group(&self) -> Group {
        self.group
    }

    /// The modifier kind, for the labels of `modifiers.txt`.
    pub fn modifier(&self) -> Option<ModifierKind> {
        self.modifier
    }

    /// The Hebrew description.
    pub fn description_he(&self) -> &str {
        &self.he
    }

    /// The English description.
    pub fn description_en(&self) -> &str {
        &self.en
    }

    /// The line of `taxonomy.txt` that defines it (0 for a modifier kind).
    pub fn line(&self) -> usize {
        self.line
    }

    pub(crate) fn modifier_label(kind: ModifierKind) -> Label {
        let (he, en) = kind.description();
        Label {
            name: kind.as_str().into(),
            group: Group::Modifier,
            modifier: Some(kind),
            he: he.into(),
            en: en.into(),
            line: 0,
        }
    }
}

/// A problem found on a line of the taxonomy: (line, message, is_error).
pub(crate) type LineProblem = (usize, String, bool);

/// Parses `taxonomy.txt` into its labels, reporting every malformed line.
pub(crate) fn parse_taxonomy(text: &str) -> (Vec<Label>, Vec<LineProblem>) {
    let mut labels: Vec<Label> = Vec::new();
    let mut problems = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        let content = strip_comment(raw);
        if content.is_empty() {
            continue;
        }
        let f = fields(content);
        if f.len() != 4 {
            problems.push((
                line,
                format!(
                    "expected `label | group | Hebrew description | English description`, found {} field{}",
                    f.len(),
                    if f.len() == 1 { "" } else { "s" }
                ),
                true,
            ));
            continue;
        }
        let (name, group, he, en) = (f[0], f[1], f[2], f[3]);
        let mut ok = true;
        let mut error = |msg: String| {
            problems.push((line, msg, true));
            ok = false;
        };
        if name.is_empty() {
            error("missing label".into());
        } else if !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
        {
            error(format!(
                "bad label `{name}`: use lower-case letters, digits, `_` and `.`"
            ));
        } else if ModifierKind::from_name(name).is_some() {
            error(format!("`{name}` is a modifier kind, not a taxonomy label"));
        }
        let group = match Group::from_taxonomy(group) {
            Some(g) => {
                let prefix = format!("{}.", g.as_str());
                if !name.is_empty() && name != g.as_str() && !name.starts_with(&prefix) {
                    error(format!(
                        "label `{name}` is in group `{g}`: its name must start with `{prefix}`"
                    ));
                } else if name == g.as_str() && g != Group::Sentiment {
                    error(format!("label `{name}` needs a name after `{prefix}`"));
                }
                Some(g)
            }
            None => {
                error(format!(
                    "unknown group `{group}` (sentiment, complaint or churn)"
                ));
                None
            }
        };
        if he.is_empty() {
            error("missing Hebrew description".into());
        }
        if en.is_empty() {
            error("missing English description".into());
        }
        if let Some(first) = labels.iter().find(|l| &*l.name == name) {
            let first = first.line;
            error(format!("duplicate label `{name}` (first at line {first})"));
        }
        if !he.is_empty() && !he.chars().any(crate::analyze::hebrew::is_letter) {
            problems.push((
                line,
                "the Hebrew description has no Hebrew letters".into(),
                false,
            ));
        }
        if let (true, Some(group)) = (ok, group) {
            labels.push(Label {
                name: name.into(),
                group,
                modifier: None,
                he: he.into(),
                en: en.into(),
                line,
            });
        }
    }
    (labels, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_taxonomy() {
        let text = "# comment\nsentiment | sentiment | רגש | feeling\n\ncomplaint.billing | complaint | חיוב | billing  # x\n";
        let (labels, problems) = parse_taxonomy(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(labels.len(), 2);
        assert_eq!(labels[1].name(), "complaint.billing");
        assert_eq!(labels[1].group(), Group::Complaint);
        assert_eq!(labels[1].line(), 4);
    }

    #[test]
    fn every_taxonomy_problem_with_its_line() {
        let cases = [
            (
                "unknown group",
                "churn.x | churm | א | x",
                1,
                "unknown group `churm`",
            ),
            (
                "group and prefix disagree",
                "complaint.x | churn | א | x",
                1,
                "must start with `churn.`",
            ),
            (
                "missing Hebrew description",
                "churn.x | churn |  | x",
                1,
                "missing Hebrew description",
            ),
            (
                "missing English description",
                "churn.x | churn | א | ",
                1,
                "missing English description",
            ),
            ("too few fields", "churn.x | churn | א", 1, "found 3 fields"),
            (
                "duplicate",
                "churn.x | churn | א | x\nchurn.x | churn | ב | y",
                2,
                "duplicate label `churn.x` (first at line 1)",
            ),
            (
                "modifier kind",
                "negator | sentiment | א | x",
                1,
                "modifier kind",
            ),
            ("bad name", "churn.Cancel | churn | א | x", 1, "bad label"),
            (
                "bare group",
                "churn | churn | א | x",
                1,
                "needs a name after",
            ),
        ];
        for (name, text, line, want) in cases {
            let (_, problems) = parse_taxonomy(text);
            assert!(
                problems
                    .iter()
                    .any(|(l, m, e)| *l == line && *e && m.contains(want)),
                "{name}: {problems:?}"
            );
        }
    }
}
