//! Emoji sequences and ASCII emoticons as single tokens.
//!
//! An emoji token is one pictograph with what modifies it: the emoji presentation selector, skin-tone
//! modifiers, a keycap mark, tag characters, and further pictographs joined by ZWJ (👩‍💻), or a pair of
//! regional indicators (a flag). Its key drops the presentation selector and skin tones, so 👍🏽 and 👍
//! are the same key. Emoticons (`:(`, `:-)`, `<3`, `:'(`) are recognised from a list; a repeated last
//! character (`:((((`) is folded into the key and marks emphasis.

/// Whether `c` starts an emoji token.
#[inline]
pub fn is_emoji_start(c: char) -> bool {
    is_pictographic(c) || is_regional_indicator(c)
}

/// Pictographic code points (the ranges of Unicode's Extended_Pictographic property that hold emoji,
/// plus the few older symbols that are commonly used as emoji).
#[inline]
pub fn is_pictographic(c: char) -> bool {
    matches!(c,
        '\u{00A9}' | '\u{00AE}' | '\u{203C}' | '\u{2049}' | '\u{2122}' | '\u{2139}'
        | '\u{2194}'..='\u{2199}' | '\u{21A9}'..='\u{21AA}'
        | '\u{231A}'..='\u{231B}' | '\u{2328}' | '\u{23CF}' | '\u{23E9}'..='\u{23F3}' | '\u{23F8}'..='\u{23FA}'
        | '\u{24C2}' | '\u{25AA}'..='\u{25AB}' | '\u{25B6}' | '\u{25C0}' | '\u{25FB}'..='\u{25FE}'
        | '\u{2600}'..='\u{27BF}'
        | '\u{2934}'..='\u{2935}' | '\u{2B05}'..='\u{2B07}' | '\u{2B1B}'..='\u{2B1C}' | '\u{2B50}' | '\u{2B55}'
        | '\u{3030}' | '\u{303D}' | '\u{3297}' | '\u{3299}'
        | '\u{1F000}'..='\u{1F0FF}' | '\u{1F10D}'..='\u{1F10F}' | '\u{1F12F}' | '\u{1F16C}'..='\u{1F171}'
        | '\u{1F17E}'..='\u{1F17F}' | '\u{1F18E}' | '\u{1F191}'..='\u{1F19A}' | '\u{1F1AD}'..='\u{1F1E5}'
        | '\u{1F201}'..='\u{1F2FF}' | '\u{1F300}'..='\u{1F3FA}' | '\u{1F400}'..='\u{1F64F}'
        | '\u{1F680}'..='\u{1F6FF}' | '\u{1F774}'..='\u{1F77F}' | '\u{1F7D5}'..='\u{1F7FF}'
        | '\u{1F80C}'..='\u{1F80F}' | '\u{1F848}'..='\u{1F84F}' | '\u{1F85A}'..='\u{1F85F}'
        | '\u{1F888}'..='\u{1F88F}' | '\u{1F8AE}'..='\u{1F8FF}' | '\u{1F90C}'..='\u{1F93A}'
        | '\u{1F93C}'..='\u{1F945}' | '\u{1F947}'..='\u{1FAFF}' | '\u{1FC00}'..='\u{1FFFD}'
    )
}

#[inline]
fn is_regional_indicator(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

#[inline]
fn is_skin_tone(c: char) -> bool {
    ('\u{1F3FB}'..='\u{1F3FF}').contains(&c)
}

const ZWJ: char = '\u{200D}';
const VS16: char = '\u{FE0F}';
const VS15: char = '\u{FE0E}';
const KEYCAP: char = '\u{20E3}';

/// Scans one emoji token at the start of `s` (which starts with [`is_emoji_start`]). Returns its
/// byte length and appends its key to `key`.
pub fn scan_emoji(s: &str, key: &mut String) -> usize {
    let mut chars = s.char_indices().peekable();
    let Some((_, first)) = chars.next() else {
        return 0;
    };
    key.push(first);
    let mut end = first.len_utf8();
    if is_regional_indicator(first) {
        if let Some(&(i, c)) = chars.peek()
            && is_regional_indicator(c)
        {
            key.push(c);
            end = i + c.len_utf8();
        }
        return end;
    }
    while let Some(&(i, c)) = chars.peek() {
        if c == VS16 || c == VS15 || is_skin_tone(c) {
            end = i + c.len_utf8();
            chars.next();
        } else if c == KEYCAP || ('\u{E0020}'..='\u{E007F}').contains(&c) {
            key.push(c);
            end = i + c.len_utf8();
            chars.next();
        } else if c == ZWJ {
            let mut ahead = chars.clone();
            ahead.next();
            match ahead.peek() {
                Some(&(j, next)) if is_pictographic(next) => {
                    key.push(ZWJ);
                    key.push(next);
                    end = j + next.len_utf8();
                    chars = ahead;
                    chars.next();
                }
                _ => break,
            }
        } else {
            break;
        }
    }
    end
}

/// Emoticons and the key each folds to (noses dropped). Longest first within a shared start.
const EMOTICONS: &[(&str, &str)] = &[
    (">:-(", ">:("),
    (">:(", ">:("),
    (":'-(", ":'("),
    (":'(", ":'("),
    (":'-)", ":')"),
    (":')", ":')"),
    (":-)", ":)"),
    (":-(", ":("),
    (":-D", ":D"),
    (":-P", ":P"),
    (":-p", ":P"),
    (":-/", ":/"),
    (":-\\", ":/"),
    (":-|", ":|"),
    (":-O", ":O"),
    (":-o", ":O"),
    (":-*", ":*"),
    (";-)", ";)"),
    (":)", ":)"),
    (":(", ":("),
    (":D", ":D"),
    (":P", ":P"),
    (":p", ":P"),
    (":/", ":/"),
    (":\\", ":/"),
    (":|", ":|"),
    (":O", ":O"),
    (":o", ":O"),
    (":*", ":*"),
    (":]", ":)"),
    (":[", ":("),
    (";)", ";)"),
    (";(", ":'("),
    ("=)", ":)"),
    ("=(", ":("),
    ("=D", ":D"),
    ("=/", ":/"),
    ("</3", "</3"),
    ("<3", "<3"),
    ("^_^", "^_^"),
    ("^^", "^_^"),
    ("-_-", "-_-"),
    ("(:", ":)"),
    ("):", ":("),
];

/// Whether `b` starts with the first two bytes of some emoticon: most punctuation (a comma, a
/// full stop, a dash or a bracket before a space or a word) is rejected here.
#[inline]
pub fn may_start_emoticon(b: &[u8]) -> bool {
    matches!(
        b.first(),
        Some(b':' | b';' | b'=' | b'<' | b'>' | b'^' | b'-' | b'(' | b')')
    ) && matches!(
        b.get(1),
        Some(
            b'-' | b'\''
                | b')'
                | b'('
                | b'D'
                | b'P'
                | b'p'
                | b'/'
                | b'\\'
                | b'|'
                | b'O'
                | b'o'
                | b'*'
                | b']'
                | b'['
                | b'3'
                | b'_'
                | b'^'
                | b':'
        )
    )
}

/// An emoticon at the start of `s`: its byte length, its key, and whether its last character was
/// repeated for emphasis (`:((((`). `prev` gives the character before it, if any (asked only when
/// `s` may start an emoticon): an emoticon must not be glued to a letter or digit on either side.
pub fn scan_emoticon(
    s: &str,
    prev: impl FnOnce() -> Option<char>,
) -> Option<(usize, &'static str, bool)> {
    if !may_start_emoticon(s.as_bytes()) {
        return None;
    }
    if prev().is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    let (surface, key) = EMOTICONS
        .iter()
        .find(|(surface, _)| s.starts_with(surface))?;
    let mut end = surface.len();
    let last = surface.as_bytes()[surface.len() - 1];
    let mut repeated = false;
    // Mouths repeat for emphasis; noses, eyes and hearts do not.
    if matches!(last, b'(' | b')' | b'D' | b'P' | b'/' | b'|' | b'[' | b']') {
        while s.as_bytes().get(end) == Some(&last) {
            end += 1;
            repeated = true;
        }
    }
    let next_ok = s[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
    next_ok.then_some((end, *key, repeated))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_sequences_are_single_tokens_with_folded_keys() {
        let cases = [
            ("simple", "😡!", "😡", "😡"),
            ("skin tone", "👍🏽 ok", "👍🏽", "👍"),
            ("presentation selector", "❤️", "❤️", "❤"),
            ("zwj family", "👨‍👩‍👧 hi", "👨‍👩‍👧", "👨\u{200D}👩\u{200D}👧"),
            ("zwj with skin tone", "👩🏾‍💻", "👩🏾‍💻", "👩\u{200D}💻"),
            ("flag", "🇮🇱🇺🇸", "🇮🇱", "🇮🇱"),
            ("repeated emoji split", "😭😭", "😭", "😭"),
            ("dangling zwj", "😀\u{200D}x", "😀", "😀"),
        ];
        for (name, input, surface, want_key) in cases {
            let mut key = String::new();
            let len = scan_emoji(input, &mut key);
            assert_eq!(&input[..len], surface, "{name}");
            assert_eq!(key, want_key, "{name}");
        }
    }

    #[test]
    fn every_emoticon_passes_the_first_bytes_filter() {
        for (surface, _) in EMOTICONS {
            assert!(may_start_emoticon(surface.as_bytes()), "{surface}");
        }
        for text in [", ", ". ", "- ", "(a", ") ", ":", "-"] {
            assert!(!may_start_emoticon(text.as_bytes()), "{text:?}");
        }
    }

    #[test]
    fn emoticons() {
        /// Input, and the expected surface, key and emphasis.
        type Case = (&'static str, Option<(&'static str, &'static str, bool)>);
        let cases: &[Case] = &[
            (":( ", Some((":(", ":(", false))),
            (":-)", Some((":-)", ":)", false))),
            (":((((", Some((":((((", ":(", true))),
            (":)))", Some((":)))", ":)", true))),
            ("<3", Some(("<3", "<3", false))),
            ("</3", Some(("</3", "</3", false))),
            (":'(", Some((":'(", ":'(", false))),
            (":D!", Some((":D", ":D", false))),
            (":Dana", None),
            ("-_-", Some(("-_-", "-_-", false))),
        ];
        for (input, want) in cases {
            let got =
                scan_emoticon(input, || None).map(|(len, key, rep)| (&input[..len], key, rep));
            assert_eq!(got, *want, "{input}");
        }
        assert_eq!(scan_emoticon(":)", || Some('a')), None);
    }
}
