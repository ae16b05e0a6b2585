//! Per-record language from script proportions.
//!
//! Hebrew and Latin letters are counted in one pass over the bytes (Hebrew letters are the UTF-8
//! sequences D7 90–D7 AA; Latin letters are ASCII). A record whose minority script holds at least
//! [`MIXED_SHARE`] of the letters and at least [`MIXED_MIN_LETTERS`] letters is `mixed`; a few brand
//! names in Latin letters inside a Hebrew note do not make it mixed.

use std::fmt;

/// Share of letters the minority script needs for a text to count as mixed.
pub const MIXED_SHARE: f64 = 0.25;
/// Letters the minority script needs for a text to count as mixed.
pub const MIXED_MIN_LETTERS: usize = 8;

/// The language of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Hebrew.
    He,
    /// English (any Latin-script text).
    En,
    /// Both in meaningful amounts.
    Mixed,
    /// Undetermined: no Hebrew or Latin letters.
    Und,
}

impl Lang {
    /// Detects the language of a text from its letters.
    pub fn detect(text: &str) -> Lang {
        let (he, en) = count_letters(text);
        Lang::from_counts(he, en)
    }

    /// The language for the given Hebrew and Latin letter counts.
    pub fn from_counts(he: usize, en: usize) -> Lang {
        let total = he + en;
        if total == 0 {
            return Lang::Und;
        }
        let minority = he.min(en);
        if minority >= MIXED_MIN_LETTERS && minority as f64 >= MIXED_SHARE * total as f64 {
            Lang::Mixed
        } else if he >= en {
            Lang::He
        } else {
            Lang::En
        }
    }

    /// `he`, `en`, `mixed` or `und`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::He => "he",
            Lang::En => "en",
            Lang::Mixed => "mixed",
            Lang::Und => "und",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Hebrew and Latin letters in `text`. Branch-free, so that the compiler vectorises both counts:
/// a Hebrew letter is counted at its lead byte D7 (which is never a continuation byte), a Latin
/// letter is an ASCII byte that folds to `a`–`z` (no byte ≥ 0x80 does).
fn count_letters(text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    let en = bytes
        .iter()
        .map(|&b| usize::from((b | 0x20).wrapping_sub(b'a') < 26))
        .sum();
    let he = bytes
        .windows(2)
        .map(|w| usize::from(w[0] == 0xD7 && (0x90..=0xAA).contains(&w[1])))
        .sum();
    (he, en)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection() {
        let cases = [
            ("hebrew", "הלקוח מבקש לבטל את המנוי", Lang::He),
            ("english", "customer wants to cancel", Lang::En),
            (
                "hebrew with a brand",
                "עברתי לPartner כי המחיר אצלכם עלה שוב ושוב",
                Lang::He,
            ),
            (
                "mixed",
                "the router keeps dropping, הטכנאי לא הגיע בכלל היום",
                Lang::Mixed,
            ),
            ("digits only", "054-1234567", Lang::Und),
            ("emoji only", "😡😡", Lang::Und),
            ("empty", "", Lang::Und),
            ("russian", "спасибо", Lang::Und),
        ];
        for (name, text, want) in cases {
            assert_eq!(Lang::detect(text), want, "{name}");
        }
    }

    proptest::proptest! {
        #[test]
        fn letters_are_counted_as_characters(text in "[a-zA-Z0-9 ,.!?@\\[`{\u{5b0}-\u{5ff}\u{600}-\u{6ff}\u{430}-\u{44f}😀]{0,80}") {
            let he = text.chars().filter(|c| ('\u{5d0}'..='\u{5ea}').contains(c)).count();
            let en = text.chars().filter(|c| c.is_ascii_alphabetic()).count();
            proptest::prop_assert_eq!(count_letters(&text), (he, en));
        }
    }
}
