//! Masking personal data: the phone numbers, e-mail addresses, Israeli ID numbers and payment card
//! numbers the analyzer recognises ([`super::TokenKind::is_pii`]) are overwritten with `*`.
//!
//! A mask never changes the length of the text: each letter or digit becomes one `*`, separators
//! (`-`, `.`, `@`, `+`, spaces) stay, and a non-ASCII character becomes as many `*` as it has bytes.
//! So every byte offset computed on the original text — label evidence, search highlights — stays
//! valid on the masked one, and `text[start..end]` still lies on character boundaries.

use super::{Analysis, Analyzer};

/// The character a masked letter or digit becomes.
pub const MASK: char = '*';

/// `text` with its personal data masked, or `None` when it has none. `analysis` is scratch space.
pub fn mask(analyzer: &Analyzer, text: &str, analysis: &mut Analysis) -> Option<String> {
    analyzer.analyze_into(text, analysis);
    let spans: Vec<(usize, usize)> = analysis
        .tokens()
        .iter()
        .filter(|t| t.kind.is_pii())
        .map(|t| (t.start, t.end))
        .collect();
    if spans.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in spans {
        if start < at || end > text.len() {
            continue;
        }
        out.push_str(&text[at..start]);
        for c in text[start..end].chars() {
            if c.is_ascii_alphanumeric() {
                out.push(MASK);
            } else if c.is_ascii() {
                out.push(c);
            } else {
                out.extend(std::iter::repeat_n(MASK, c.len_utf8()));
            }
        }
        at = end;
    }
    out.push_str(&text[at..]);
    debug_assert_eq!(out.len(), text.len());
    Some(out)
}

/// Masks the personal data in every string of a JSON value (object values and array items,
/// recursively; keys are left alone). Returns whether anything changed.
pub fn mask_json(
    analyzer: &Analyzer,
    value: &mut serde_json::Value,
    analysis: &mut Analysis,
) -> bool {
    match value {
        serde_json::Value::String(s) => match mask(analyzer, s, analysis) {
            Some(masked) => {
                *s = masked;
                true
            }
            None => false,
        },
        serde_json::Value::Array(items) => items.iter_mut().fold(false, |changed, v| {
            mask_json(analyzer, v, analysis) | changed
        }),
        serde_json::Value::Object(map) => map.values_mut().fold(false, |changed, v| {
            mask_json(analyzer, v, analysis) | changed
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str) -> Option<String> {
        mask(&Analyzer::new(), text, &mut Analysis::new())
    }

    #[test]
    fn phones_mails_ids_and_cards_are_masked_in_place() {
        let cases = [
            ("תתקשרו ל-054-1234567 מחר", "תתקשרו ל-***-******* מחר"),
            ("mail dana@example.co.il.", "mail ****@*******.**.**."),
            ("card 4111 1111 1111 1111 ok", "card **** **** **** **** ok"),
            ("call +1 212 555 0100 now", "call +* *** *** **** now"),
        ];
        for (text, want) in cases {
            let got = masked(text).unwrap_or_else(|| panic!("no PII found in {text:?}"));
            assert_eq!(got, want, "{text}");
            assert_eq!(got.len(), text.len());
        }
    }

    #[test]
    fn text_without_personal_data_is_left_alone() {
        assert_eq!(masked("החיוב כפול, 120 ש\"ח, card 4111111111111112"), None);
        assert_eq!(masked(""), None);
    }

    #[test]
    fn json_strings_are_masked_recursively() {
        let mut v = serde_json::json!({"phone": "0541234567", "n": 3, "notes": ["no", "x@y.com"]});
        assert!(mask_json(&Analyzer::new(), &mut v, &mut Analysis::new()));
        assert_eq!(
            v,
            serde_json::json!({"phone": "**********", "n": 3, "notes": ["no", "*@*.***"]})
        );
    }
}
