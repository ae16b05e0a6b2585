//! Written ratings: "rated 9/10", "3 out of 5", "4/5 stars", "NPS 2", "ציון 3 מתוך 10", "נותן להם
//! 2/10". The score is read from the numbers and turned into sentiment by where it falls on its
//! scale.
//!
//! A rating needs a cue from the lexicon (`rating` in `modifiers.txt`) beside its numbers: a bare
//! 1/5 or 10/10 is as often a date ("called on 1/5"), and "3 out of 5" is as often a count ("3 out
//! of 5 calls dropped"). A cue's weight is the scale it implies for a bare number (NPS 10, CSAT 5,
//! stars 5, ציון 10), or 1 when the text must give the scale ("rated 9/10", "out of", מתוך).
//! Scales are 5, 10 and 100.

use crate::analyze::{Analysis, TokenKind};
use crate::lexicon::{EntryId, Group, Hit, Lexicon, ModifierKind};

/// A rating found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Rating {
    /// First token and one past the last.
    pub first: usize,
    pub last: usize,
    /// Byte span in the text.
    pub start: usize,
    pub end: usize,
    /// The score given and the scale it is given on.
    pub value: f64,
    pub scale: f64,
    /// The cue's lexicon entry.
    pub cue: EntryId,
}

impl Rating {
    /// The sentiment of a score, by where it falls on its scale, in the bands of a net promoter
    /// score: the bottom quarter is scathing, the rest of the lower half poor, up to 6 of 10 (3 of
    /// 5) lukewarm, 7 of 10 passive (no sentiment), 8 of 10 (4 of 5) good, the top tenth glowing.
    /// Matches the lexicon's star ratings ("1 star" −2.8, "4 stars" 1.8).
    pub fn valence(&self) -> f64 {
        let r = self.value / self.scale;
        if r < 0.25 {
            -3.0
        } else if r < 0.45 {
            -2.0
        } else if r < 0.65 {
            -0.8
        } else if r < 0.75 {
            0.0
        } else if r < 0.9 {
            1.8
        } else {
            2.8
        }
    }
}

/// Words after which a number is a date or a time, not a score: "give me a call on 1/5".
const DATE_WORDS: &[&str] = &[
    "on",
    "by",
    "until",
    "till",
    "since",
    "from",
    "before",
    "after",
    "due",
    "date",
    "dated",
    "עד",
    "מיומ",
    "ביומ",
    "יומ",
    "תאריכ",
    "בתאריכ",
    "מתאריכ",
    "לתאריכ",
];

/// How many words a cue may stand before its score: "rated the service 4/10".
const REACH: usize = 3;

/// The only words that may stand between a cue and a bare number: "NPS score 2", "הציון שלי: 95".
/// Anything else makes the number something else ("ציון דרך 5" is a milestone).
const BEFORE_BARE: &[&str] = &[
    "score", "is", "was", "of", "my", "our", "his", "her", "their", "given", "שלי", "שלו", "שלה",
    "שלנו", "שלכמ", "שלהמ", "היה", "הוא", "הינו",
];

/// The ratings of a text, in order, at most one per cue and none overlapping another.
pub fn find(text: &str, analysis: &Analysis, hits: &[Hit], lexicon: &Lexicon) -> Vec<Rating> {
    let cues: Vec<&Hit> = hits
        .iter()
        .filter(|h| {
            h.group == Group::Modifier
                && lexicon.entry(h.entry).modifier() == Some(ModifierKind::Rating)
        })
        .collect();
    let mut found: Vec<Rating> = Vec::new();
    if cues.is_empty() {
        return found;
    }
    let tokens = analysis.tokens();
    let cue_at = |i: usize| cues.iter().any(|c| c.tokens.start == i);
    for cue in &cues {
        let (a, b) = (cue.tokens.start, cue.tokens.end);
        let implied = f64::from(lexicon.entry(cue.entry).weight());
        let rating = |first: usize, last: usize, value: f64, scale: f64| Rating {
            first,
            last,
            start: tokens[first].start,
            end: tokens[last - 1].end,
            value,
            scale,
            cue: cue.entry,
        };
        let mut got = None;
        // The score before the cue: "4/5 stars", "3 out of 5", "3 כוכבים".
        if let Some((first, value, scale)) = fraction_ending_at(text, analysis, a) {
            got = Some(rating(first, b, value, scale));
        } else if let Some(value) = a.checked_sub(1).and_then(|i| number(analysis, i)) {
            if let Some(scale) = number(analysis, b).filter(|&s| valid(value, s)) {
                // A connector between two numbers: a count unless nothing but a cue follows.
                let after = b + 1;
                let count = tokens
                    .get(after)
                    .is_some_and(|t| t.kind != TokenKind::Punct && !cue_at(after));
                if !count {
                    got = Some(rating(a - 1, b + 1, value, scale));
                }
            } else if implied > 1.0 && valid(value, implied) && !cue_at(b) {
                got = Some(rating(a - 1, b, value, implied));
            }
        }
        // The score after the cue: "rated 9/10", "NPS 2", "ציון 85", "נותן להם 2/10".
        if got.is_none() {
            got = score_after(text, analysis, b, implied, &cue_at)
                .map(|(last, value, scale)| rating(a, last, value, scale));
        }
        if let Some(r) = got
            && !found.iter().any(|f| f.first < r.last && r.first < f.last)
        {
            found.push(r);
        }
    }
    found.sort_by_key(|r| r.first);
    found
}

/// A score within [`REACH`] words after token `from`, in the same sentence, and no date word
/// before it; a bare number only after words of [`BEFORE_BARE`]: (one past its last token, value,
/// scale).
fn score_after(
    text: &str,
    analysis: &Analysis,
    from: usize,
    implied: f64,
    cue_at: &dyn Fn(usize) -> bool,
) -> Option<(usize, f64, f64)> {
    let tokens = analysis.tokens();
    let mut words = 0;
    let mut bare_ok = true;
    let mut i = from;
    while i < tokens.len() && words <= REACH {
        let t = &tokens[i];
        let key = analysis.key(t);
        if t.kind == TokenKind::Punct {
            // "NPS: 2", "ציון - 3"; anything else ends the search.
            if !matches!(key, ":" | "-" | "–" | "=") {
                return None;
            }
            i += 1;
            continue;
        }
        if let Some((last, value, scale)) = fraction(text, analysis, i) {
            return Some((last, value, scale));
        }
        if let Some(value) = number(analysis, i) {
            // "3 out of 5" is read from the connector's side.
            if cue_at(i + 1) || !bare_ok {
                return None;
            }
            let scale = if valid(value, implied) {
                implied
            } else if implied == 10.0 && valid(value, 100.0) {
                100.0
            } else {
                return None;
            };
            return (implied > 1.0).then_some((i + 1, value, scale));
        }
        if t.kind != TokenKind::Word || DATE_WORDS.contains(&key) || cue_at(i) {
            return None;
        }
        bare_ok &= BEFORE_BARE.contains(&key);
        words += 1;
        i += 1;
    }
    None
}

/// Whether `value` is a score on `scale`.
fn valid(value: f64, scale: f64) -> bool {
    matches!(scale as u32, 5 | 10 | 100) && scale.fract() == 0.0 && (0.0..=scale).contains(&value)
}

/// A plain number token's value: "3", "4.5".
fn number(analysis: &Analysis, i: usize) -> Option<f64> {
    let t = analysis.tokens().get(i)?;
    if t.kind != TokenKind::Number {
        return None;
    }
    analysis.key(t).parse().ok()
}

/// A score written as a fraction starting at token `i`, "9/10" (read as a date token) or
/// "4.5/5" (a number, a slash and a number, nothing between): (one past its last token, value,
/// scale).
fn fraction(text: &str, analysis: &Analysis, i: usize) -> Option<(usize, f64, f64)> {
    let tokens = analysis.tokens();
    let t = tokens.get(i)?;
    let (last, value, scale) = match t.kind {
        TokenKind::Date => {
            let surface = t.surface(text);
            let (v, s) = surface.split_once('/')?;
            if s.contains('/') {
                return None;
            }
            (i + 1, v.parse().ok()?, s.parse().ok()?)
        }
        TokenKind::Number => {
            let (slash, denominator) = (tokens.get(i + 1)?, tokens.get(i + 2)?);
            if slash.start != t.end || denominator.start != slash.end || analysis.key(slash) != "/"
            {
                return None;
            }
            (i + 3, number(analysis, i)?, number(analysis, i + 2)?)
        }
        _ => return None,
    };
    valid(value, scale).then_some((last, value, scale))
}

/// A fraction that ends just before token `end`: (its first token, value, scale).
fn fraction_ending_at(text: &str, analysis: &Analysis, end: usize) -> Option<(usize, f64, f64)> {
    [1, 3].into_iter().find_map(|len| {
        let first = end.checked_sub(len)?;
        fraction(text, analysis, first)
            .filter(|&(last, ..)| last == end)
            .map(|(_, value, scale)| (first, value, scale))
    })
}
