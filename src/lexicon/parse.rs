//! The syntax of lexicon lines: comments, `|`-separated fields, weights and flags.
//!
//! Everything here is about one line at a time and knows nothing of labels or the analyzer; the
//! problems it finds are plain messages that the loader prefixes with `file:line:`.

/// The text of a line before its comment, trimmed. A `#` starts a comment when it begins the line
/// or follows whitespace, so a `#` inside a word (`c#`) stays part of it.
pub(crate) fn strip_comment(line: &str) -> &str {
    let mut prev_space = true;
    for (i, c) in line.char_indices() {
        if c == '#' && prev_space {
            return line[..i].trim();
        }
        prev_space = c.is_whitespace();
    }
    line.trim()
}

/// The trimmed `|`-separated fields of a line whose comment is already stripped.
pub(crate) fn fields(content: &str) -> Vec<&str> {
    content.split('|').map(str::trim).collect()
}

/// Parses a weight: an optional sign, digits, and an optional decimal fraction (`1`, `0.3`, `-2.5`).
pub(crate) fn parse_weight(s: &str) -> Result<f32, String> {
    if s.is_empty() {
        return Err("missing weight".to_string());
    }
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let well_formed = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(digits.contains('.') && frac.is_empty());
    match s.parse::<f32>() {
        Ok(w) if well_formed && w.is_finite() => Ok(w),
        _ => Err(format!(
            "bad weight `{s}`: not a number (write it like `1`, `0.3` or `-2.5`)"
        )),
    }
}

/// The flags of an entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize)]
pub struct EntryFlags {
    /// English words are matched by their exact key, not their stem.
    pub exact: bool,
    /// Hebrew words are never matched through a prefix reading.
    pub noprefix: bool,
    /// Up to this many extra tokens may stand between consecutive words (0: none).
    pub gap: u8,
    /// A sentiment entry that a negator before it does not flip: an expletive says how the writer
    /// feels whatever the sentence denies ("I can't find the damn bill").
    pub nonegate: bool,
    /// A brand name (competitors file only).
    pub brand: bool,
    /// The brand's sector (competitors file only; informational).
    pub sector: Option<Box<str>>,
}

impl EntryFlags {
    /// The flags as they are written in a lexicon file (`exact, gap=2`), in a fixed order.
    pub fn to_text(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.exact {
            parts.push("exact".into());
        }
        if self.noprefix {
            parts.push("noprefix".into());
        }
        if self.gap > 0 {
            parts.push(format!("gap={}", self.gap));
        }
        if self.nonegate {
            parts.push("nonegate".into());
        }
        if self.brand {
            parts.push("brand".into());
        }
        if let Some(sector) = &self.sector {
            parts.push(format!("sector={sector}"));
        }
        parts.join(", ")
    }

    /// Whether no flag is set.
    pub fn is_empty(&self) -> bool {
        *self == EntryFlags::default()
    }
}

/// The largest `gap=N`.
pub(crate) const MAX_GAP: u8 = 3;

/// Parses the comma-separated flags field. Returns the flags that parsed and one message per
/// malformed flag. `competitors` allows `brand` and `sector=`.
pub(crate) fn parse_flags(field: &str, competitors: bool) -> (EntryFlags, Vec<String>) {
    let mut flags = EntryFlags::default();
    let mut problems = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for raw in field.split(',') {
        let flag = raw.trim();
        if flag.is_empty() {
            problems.push(
                "malformed flag: empty flag (flags are separated by single commas)".to_string(),
            );
            continue;
        }
        let (name, value) = match flag.split_once('=') {
            Some((n, v)) => (n.trim(), Some(v.trim())),
            None => (flag, None),
        };
        if seen.contains(&name) {
            problems.push(format!("malformed flag: `{name}` given twice"));
            continue;
        }
        seen.push(name);
        match (name, value) {
            ("exact", None) => flags.exact = true,
            ("noprefix", None) => flags.noprefix = true,
            ("nonegate", None) => flags.nonegate = true,
            ("brand", None) if competitors => flags.brand = true,
            ("gap", Some(v)) => match v.parse::<u8>() {
                Ok(n) if (1..=MAX_GAP).contains(&n) && v.bytes().all(|b| b.is_ascii_digit()) => {
                    flags.gap = n
                }
                _ => problems.push(format!(
                    "malformed flag: `gap={v}`: the gap must be 1, 2 or 3"
                )),
            },
            ("sector", Some(v)) if competitors => {
                if !v.is_empty()
                    && v.bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'-')
                {
                    flags.sector = Some(v.into());
                } else {
                    problems.push(format!(
                        "malformed flag: `sector={v}`: a sector is a lower-case word (telecom, isp, bank, …)"
                    ));
                }
            }
            ("brand", None) | ("sector", Some(_)) => {
                problems.push(format!(
                    "malformed flag: `{flag}` is only allowed in competitors.txt"
                ));
            }
            ("exact" | "noprefix" | "nonegate" | "brand", Some(_)) => {
                problems.push(format!("malformed flag: `{flag}`: `{name}` takes no value"));
            }
            ("gap" | "sector", None) => {
                problems.push(format!(
                    "malformed flag: `{name}` needs a value (`{name}=…`)"
                ));
            }
            _ => problems.push(format!(
                "malformed flag: unknown flag `{flag}` (known: exact, noprefix, nonegate, gap=N{})",
                if competitors {
                    ", brand, sector=NAME"
                } else {
                    ""
                }
            )),
        }
    }
    (flags, problems)
}

/// Levenshtein distance, for "did you mean" suggestions over short names.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The closest of `names` to `name`, if it is close enough to be a likely typo.
pub(crate) fn suggest<'a>(name: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    names
        .into_iter()
        .map(|n| (edit_distance(name, n), n))
        .filter(|(d, n)| *d <= 3.max(n.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments() {
        let cases = [
            ("whole line", "# a comment", ""),
            ("indented", "   # a comment", ""),
            (
                "trailing",
                "חיוב כפול | complaint.billing | 1   # double charge",
                "חיוב כפול | complaint.billing | 1",
            ),
            (
                "hash inside a word",
                "c# | sentiment | 1",
                "c# | sentiment | 1",
            ),
            (
                "no comment",
                " good | sentiment | 2 ",
                "good | sentiment | 2",
            ),
            (
                "tab before hash",
                "good | sentiment | 2\t#x",
                "good | sentiment | 2",
            ),
        ];
        for (name, line, want) in cases {
            assert_eq!(strip_comment(line), want, "{name}");
        }
    }

    #[test]
    fn weights() {
        let good = [
            ("1", 1.0),
            ("0.3", 0.3),
            ("-2.5", -2.5),
            ("+2", 2.0),
            ("4", 4.0),
        ];
        for (s, want) in good {
            assert_eq!(parse_weight(s), Ok(want), "{s}");
        }
        for bad in [
            "", "x", "1e2", "inf", "NaN", "1.", ".5", "1,5", "--1", "0x1",
        ] {
            assert!(parse_weight(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn flags() {
        let (f, p) = parse_flags("exact, gap=2", false);
        assert!(p.is_empty(), "{p:?}");
        assert!(f.exact && f.gap == 2 && !f.noprefix);
        let (f, p) = parse_flags("brand, sector=telecom", true);
        assert!(p.is_empty(), "{p:?}");
        assert!(f.brand && f.sector.as_deref() == Some("telecom"));
        assert_eq!(f.to_text(), "brand, sector=telecom");
        let (f, p) = parse_flags("exact, nonegate", false);
        assert!(p.is_empty() && f.exact && f.nonegate, "{p:?}");
        assert_eq!(f.to_text(), "exact, nonegate");
        let bad = [
            ("gap too large", "gap=4", false, "gap must be 1, 2 or 3"),
            ("gap zero", "gap=0", false, "gap must be 1, 2 or 3"),
            ("gap not a number", "gap=x", false, "gap must be 1, 2 or 3"),
            ("gap without value", "gap", false, "needs a value"),
            ("unknown", "fuzzy", false, "unknown flag `fuzzy`"),
            (
                "brand outside competitors",
                "brand",
                false,
                "only allowed in competitors.txt",
            ),
            (
                "sector outside competitors",
                "sector=tv",
                false,
                "only allowed in competitors.txt",
            ),
            (
                "bad sector",
                "sector=Big Telco",
                true,
                "a sector is a lower-case word",
            ),
            ("twice", "exact, exact", false, "given twice"),
            ("empty", "exact,", false, "empty flag"),
            ("value on exact", "exact=1", false, "takes no value"),
        ];
        for (name, field, competitors, want) in bad {
            let (_, p) = parse_flags(field, competitors);
            assert!(p.iter().any(|m| m.contains(want)), "{name}: {p:?}");
        }
    }

    #[test]
    fn suggestions() {
        let names = [
            "churn.cancel_intent",
            "churn.legal_threat",
            "complaint.billing",
        ];
        assert_eq!(
            suggest("churn.cancle_intent", names),
            Some("churn.cancel_intent")
        );
        assert_eq!(
            suggest("complaint.biling", names),
            Some("complaint.billing")
        );
        assert_eq!(suggest("totally.different", names), None);
    }
}
