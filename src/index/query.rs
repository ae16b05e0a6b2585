//! The analysts' query language, parsed into a [`Node`] tree with the place of every part, so
//! that a mistake is reported as `column N: reason`.
//!
//! ```text
//! query   := or
//! or      := and ( "OR" and )*
//! and     := unary ( ["AND"] unary )*        adjacent parts are ANDed
//! unary   := ("NOT" | "-") unary | primary
//! primary := "(" or ")" | FIELD ":" value | value
//! value   := WORD | "quoted phrase"
//! ```
//!
//! Fields: `text` (the default), `label` (an exact label, or every label under a prefix with a
//! trailing `*`: `label:churn.*`), `group` (complaint, churn), `channel`, `customer`, `agent`,
//! `lang`, `sentiment` (positive, negative, neutral), `id`, and `date:FROM..TO` (either side may be
//! empty; days are whole: `date:2026-03-01..2026-03-31` includes the 31st). `AND`, `OR` and `NOT`
//! are operators only in capitals; in lower case they are words.

use std::fmt;

/// A field a query part is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryField {
    /// The text (words and phrases, through the analyzer).
    Text,
    /// A complaint or churn label.
    Label,
    /// A label group.
    Group,
    /// The channel.
    Channel,
    /// The customer id.
    Customer,
    /// The agent id.
    Agent,
    /// The language.
    Lang,
    /// The sentiment label.
    Sentiment,
    /// The record id.
    Id,
    /// The timestamp (a `FROM..TO` range).
    Date,
}

impl QueryField {
    /// Every field with its name in queries.
    pub const ALL: [(&'static str, QueryField); 10] = [
        ("text", QueryField::Text),
        ("label", QueryField::Label),
        ("group", QueryField::Group),
        ("channel", QueryField::Channel),
        ("customer", QueryField::Customer),
        ("agent", QueryField::Agent),
        ("lang", QueryField::Lang),
        ("sentiment", QueryField::Sentiment),
        ("id", QueryField::Id),
        ("date", QueryField::Date),
    ];

    fn named(name: &str) -> Option<QueryField> {
        let name = name.to_ascii_lowercase();
        let name = match name.as_str() {
            "labels" => "label",
            "customer_id" => "customer",
            "agent_id" => "agent",
            "language" => "lang",
            "time" | "timestamp" => "date",
            other => other,
        };
        QueryField::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
    }
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A word or phrase, in a field.
    Value {
        /// The field.
        field: QueryField,
        /// The text as written (without quotes).
        text: String,
        /// Whether it was quoted.
        phrase: bool,
        /// Its column (1-based, in characters) in the query.
        column: usize,
    },
    /// Every part must match.
    And(Vec<Node>),
    /// Any part may match.
    Or(Vec<Node>),
    /// The part must not match.
    Not(Box<Node>),
}

/// A malformed query: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// The column (1-based, in characters) of the problem.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "query, column {}: {}", self.column, self.message)
    }
}

impl std::error::Error for QueryError {}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open,
    Close,
    And,
    Or,
    Not,
    Minus,
    /// A value, with the field written before it (`label:`), if any.
    Value {
        field: Option<(String, usize)>,
        text: String,
        phrase: bool,
    },
}

/// Splits a query into tokens with their columns.
fn lex(query: &str) -> Result<Vec<(Tok, usize)>, QueryError> {
    let chars: Vec<char> = query.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let is_break = |c: char| c.is_whitespace() || c == '(' || c == ')';
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match c {
            '(' => {
                out.push((Tok::Open, column));
                i += 1;
                continue;
            }
            ')' => {
                out.push((Tok::Close, column));
                i += 1;
                continue;
            }
            '-' if chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) => {
                out.push((Tok::Minus, column));
                i += 1;
                continue;
            }
            _ => {}
        }
        // A field name: letters and underscores followed by ':'.
        let mut field = None;
        let mut j = i;
        while j < chars.len() && (chars[j].is_ascii_alphabetic() || chars[j] == '_') {
            j += 1;
        }
        if j > i && chars.get(j) == Some(&':') {
            field = Some((chars[i..j].iter().collect::<String>(), column));
            i = j + 1;
            if i >= chars.len() || chars[i].is_whitespace() {
                return Err(QueryError {
                    column: j + 1,
                    message: "a value must follow the ':'".into(),
                });
            }
        }
        let value_column = i + 1;
        if chars[i] == '"' || chars[i] == '״' || chars[i] == '”' {
            let close = chars[i + 1..]
                .iter()
                .position(|&c| c == '"' || c == '״' || c == '”' || c == '“')
                .map(|p| i + 1 + p)
                .ok_or_else(|| QueryError {
                    column: value_column,
                    message: "this quote is never closed".into(),
                })?;
            let text: String = chars[i + 1..close].iter().collect();
            if text.trim().is_empty() {
                return Err(QueryError {
                    column: value_column,
                    message: "empty phrase".into(),
                });
            }
            out.push((
                Tok::Value {
                    field,
                    text,
                    phrase: true,
                },
                value_column,
            ));
            i = close + 1;
            continue;
        }
        // A word runs to whitespace or a parenthesis; a quote inside a Hebrew word (מנכ"ל) is part
        // of it.
        let start = i;
        while i < chars.len() && !is_break(chars[i]) {
            i += 1;
        }
        let text: String = chars[start..i].iter().collect();
        let tok = match (field.is_none(), text.as_str()) {
            (true, "AND" | "&&") => Tok::And,
            (true, "OR" | "||") => Tok::Or,
            (true, "NOT") => Tok::Not,
            _ => Tok::Value {
                field,
                text,
                phrase: false,
            },
        };
        out.push((tok, value_column));
    }
    Ok(out)
}

/// Parses a query. An empty (or blank) query parses to `None`: every record.
///
/// # Errors
/// A [`QueryError`] with the column of the first problem: an unknown field, an unclosed quote
/// or parenthesis, an operator with nothing on one side.
///
/// # Examples
/// ```
/// use kashev::index::query::{parse, Node, QueryField};
/// let q = parse("ביטול label:churn.cancel_intent").unwrap().unwrap();
/// let Node::And(parts) = q else { panic!() };
/// assert_eq!(parts.len(), 2);
/// assert!(parse("(unclosed").unwrap_err().to_string().contains("column 1"));
/// ```
pub fn parse(query: &str) -> Result<Option<Node>, QueryError> {
    let tokens = lex(query)?;
    if tokens.is_empty() {
        return Ok(None);
    }
    let mut p = Parser {
        tokens,
        pos: 0,
        end_column: query.chars().count() + 1,
    };
    let node = p.or()?;
    if let Some((tok, column)) = p.tokens.get(p.pos) {
        let message = match tok {
            Tok::Close => "this ')' closes nothing".to_string(),
            _ => "unexpected text".to_string(),
        };
        return Err(QueryError {
            column: *column,
            message,
        });
    }
    Ok(Some(node))
}

struct Parser {
    tokens: Vec<(Tok, usize)>,
    pos: usize,
    end_column: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|(t, _)| t)
    }

    fn column(&self) -> usize {
        self.tokens
            .get(self.pos)
            .map_or(self.end_column, |(_, c)| *c)
    }

    fn or(&mut self) -> Result<Node, QueryError> {
        let mut parts = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().expect("one part")
        } else {
            Node::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Node, QueryError> {
        let mut parts = vec![self.unary()?];
        loop {
            match self.peek() {
                Some(Tok::And) => {
                    self.pos += 1;
                    parts.push(self.unary()?);
                }
                Some(Tok::Or | Tok::Close) | None => break,
                Some(_) => parts.push(self.unary()?),
            }
        }
        Ok(if parts.len() == 1 {
            parts.pop().expect("one part")
        } else {
            Node::And(parts)
        })
    }

    fn unary(&mut self) -> Result<Node, QueryError> {
        match self.peek() {
            Some(Tok::Not | Tok::Minus) => {
                self.pos += 1;
                Ok(Node::Not(Box::new(self.unary()?)))
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<Node, QueryError> {
        let column = self.column();
        let Some((tok, _)) = self.tokens.get(self.pos).cloned() else {
            return Err(QueryError {
                column,
                message: "the query ends where a word, phrase or field was expected".into(),
            });
        };
        self.pos += 1;
        match tok {
            Tok::Open => {
                if self.peek() == Some(&Tok::Close) {
                    return Err(QueryError {
                        column,
                        message: "empty parentheses".into(),
                    });
                }
                let node = self.or()?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(QueryError {
                        column,
                        message: "this '(' is never closed".into(),
                    });
                }
                self.pos += 1;
                Ok(node)
            }
            Tok::Value {
                field,
                text,
                phrase,
            } => {
                let field = match field {
                    None => QueryField::Text,
                    Some((name, field_column)) => {
                        QueryField::named(&name).ok_or_else(|| QueryError {
                            column: field_column,
                            message: format!(
                                "unknown field '{name}' (fields: {})",
                                QueryField::ALL
                                    .iter()
                                    .map(|(n, _)| *n)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        })?
                    }
                };
                Ok(Node::Value {
                    field,
                    text,
                    phrase,
                    column,
                })
            }
            Tok::Close => Err(QueryError {
                column,
                message: "this ')' closes nothing".into(),
            }),
            Tok::And | Tok::Or => Err(QueryError {
                column,
                message: "an operator needs a word, phrase or field on both sides".into(),
            }),
            Tok::Not | Tok::Minus => unreachable!("handled by unary"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(field: QueryField, text: &str, phrase: bool, column: usize) -> Node {
        Node::Value {
            field,
            text: text.into(),
            phrase,
            column,
        }
    }

    #[test]
    fn parses_words_phrases_fields_and_operators() {
        use QueryField::*;
        let cases: Vec<(&str, Node)> = vec![
            ("ביטול", value(Text, "ביטול", false, 1)),
            ("\"לבטל את המנוי\"", value(Text, "לבטל את המנוי", true, 1)),
            ("מנכ\"ל", value(Text, "מנכ\"ל", false, 1)),
            (
                "bill AND refund",
                Node::And(vec![
                    value(Text, "bill", false, 1),
                    value(Text, "refund", false, 10),
                ]),
            ),
            (
                "bill refund",
                Node::And(vec![
                    value(Text, "bill", false, 1),
                    value(Text, "refund", false, 6),
                ]),
            ),
            (
                "a OR b c",
                Node::Or(vec![
                    value(Text, "a", false, 1),
                    Node::And(vec![value(Text, "b", false, 6), value(Text, "c", false, 8)]),
                ]),
            ),
            (
                "(a OR b) c",
                Node::And(vec![
                    Node::Or(vec![value(Text, "a", false, 2), value(Text, "b", false, 7)]),
                    value(Text, "c", false, 10),
                ]),
            ),
            (
                "NOT label:churn.*",
                Node::Not(Box::new(value(Label, "churn.*", false, 11))),
            ),
            (
                "-channel:chat",
                Node::Not(Box::new(value(Channel, "chat", false, 10))),
            ),
            (
                "channel:\"agent note\"",
                value(Channel, "agent note", true, 9),
            ),
            ("date:2026-01-01..", value(Date, "2026-01-01..", false, 6)),
            ("and", value(Text, "and", false, 1)),
            ("customer_id:C1", value(Customer, "C1", false, 13)),
        ];
        for (query, want) in cases {
            assert_eq!(parse(query).unwrap(), Some(want), "{query}");
        }
        assert_eq!(parse("   ").unwrap(), None);
    }

    #[test]
    fn errors_name_the_column_and_the_reason() {
        let cases = [
            ("(bill", 1, "never closed"),
            ("bill)", 5, "closes nothing"),
            ("\"open phrase", 1, "never closed"),
            ("bill AND", 9, "ends where"),
            ("OR bill", 1, "operator"),
            ("bill AND OR x", 10, "operator"),
            ("colour:red", 1, "unknown field 'colour'"),
            ("label:", 6, "must follow"),
            ("()", 1, "empty parentheses"),
            ("\"\"", 1, "empty phrase"),
        ];
        for (query, column, reason) in cases {
            let err = parse(query).unwrap_err();
            assert_eq!(err.column, column, "{query}: {err}");
            assert!(err.message.contains(reason), "{query}: {err}");
        }
    }
}
