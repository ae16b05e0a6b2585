//! Hebrew: letters, marks, quote marks, key folding and prefix readings.
//!
//! The word scanner in [`super`] asks this module what a character is; the key builder folds a Hebrew
//! surface form to its key (niqqud and cantillation stripped, final letters folded, presentation forms
//! decomposed, every quote variant folded to `"` or `'`); [`prefix_readings`] enumerates the legal
//! prefix splits of a key for the lexicon matcher and the index tokenizer.

use unicode_normalization::char::decompose_compatible;

/// A Hebrew letter (א–ת, final forms included) or a Yiddish ligature.
#[inline]
pub fn is_letter(c: char) -> bool {
    matches!(c, '\u{05D0}'..='\u{05EA}' | '\u{05F0}'..='\u{05F2}')
}

/// A point, accent or cantillation mark that belongs to the letter before it (niqqud, dagesh, shin
/// dot, te'amim). Hebrew punctuation in the same block (maqaf, paseq, sof pasuq, nun hafukha) is not
/// a mark.
#[inline]
pub fn is_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0591}'..='\u{05BD}' | '\u{05BF}' | '\u{05C1}'..='\u{05C2}' | '\u{05C4}'..='\u{05C5}' | '\u{05C7}'
    )
}

/// A character from the Alphabetic Presentation Forms block that stands for Hebrew letters
/// (letters with dagesh, wide letters, the alef-lamed ligature).
#[inline]
pub fn is_presentation_form(c: char) -> bool {
    matches!(c, '\u{FB1D}'..='\u{FB4F}')
}

/// How a quote-like character is folded in keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    /// `"` ״ ” “ — gershayim, as in מנכ"ל.
    Double,
    /// `'` ׳ ’ ‘ and the backtick — geresh, as in צ'אט, and the English apostrophe.
    Single,
}

impl Quote {
    /// The character every variant folds to in keys.
    pub fn folded(self) -> char {
        match self {
            Quote::Double => '"',
            Quote::Single => '\'',
        }
    }
}

/// Classifies quote-like characters.
#[inline]
pub fn quote_kind(c: char) -> Option<Quote> {
    match c {
        '"' | '\u{05F4}' | '\u{201D}' | '\u{201C}' => Some(Quote::Double),
        '\'' | '\u{05F3}' | '\u{2019}' | '\u{2018}' | '`' => Some(Quote::Single),
        _ => None,
    }
}

/// Folds a final letter to its regular form; other letters are returned as they are.
#[inline]
pub fn fold_final(c: char) -> char {
    match c {
        'ך' => 'כ',
        'ם' => 'מ',
        'ן' => 'נ',
        'ף' => 'פ',
        'ץ' => 'צ',
        other => other,
    }
}

/// Appends the key form of one Hebrew-word character to `key`: letters with finals folded, Yiddish
/// ligatures spelled out, presentation forms decomposed, marks dropped, quotes folded. Returns
/// whether a letter was appended (for counting).
pub fn push_key_char(c: char, key: &mut String) -> bool {
    if ('\u{05D0}'..='\u{05EA}').contains(&c) {
        key.push(fold_final(c));
        return true;
    }
    match c {
        '\u{05F0}' => key.push_str("וו"),
        '\u{05F1}' => key.push_str("וי"),
        '\u{05F2}' => key.push_str("יי"),
        c if is_presentation_form(c) => {
            let mut any = false;
            decompose_compatible(c, |d| {
                if !is_presentation_form(d) && (is_letter(d) || quote_kind(d).is_some()) {
                    any |= push_key_char(d, key);
                }
            });
            return any;
        }
        c => {
            if let Some(q) = quote_kind(c) {
                key.push(q.folded());
            }
            return false;
        }
    }
    true
}

/// The letters that can be prefixed to a Hebrew word.
#[inline]
fn is_prefix_letter(c: char) -> bool {
    matches!(c, 'ו' | 'ה' | 'ב' | 'כ' | 'ל' | 'מ' | 'ש')
}

/// Every legal prefix sequence, derived from the grammar
/// `[ו] [ש | כש | לכש | מש] [ה | ב | כ | ל | מ | מה]` (not empty): the conjunction ו first, then a
/// relative/temporal particle, then a preposition or the article. An article after ב כ ל is not
/// written (it merges into the vowel), so ה stands alone in the last slot or after מ.
/// Sorted, so membership is a binary search.
pub const LEGAL_PREFIXES: &[&str] = &[
    "ב",
    "ה",
    "ו",
    "וב",
    "וה",
    "וכ",
    "וכש",
    "וכשב",
    "וכשה",
    "וכשכ",
    "וכשל",
    "וכשמ",
    "וכשמה",
    "ול",
    "ולכש",
    "ולכשב",
    "ולכשה",
    "ולכשכ",
    "ולכשל",
    "ולכשמ",
    "ולכשמה",
    "ומ",
    "ומה",
    "ומש",
    "ומשב",
    "ומשה",
    "ומשכ",
    "ומשל",
    "ומשמ",
    "ומשמה",
    "וש",
    "ושב",
    "ושה",
    "ושכ",
    "ושל",
    "ושמ",
    "ושמה",
    "כ",
    "כש",
    "כשב",
    "כשה",
    "כשכ",
    "כשל",
    "כשמ",
    "כשמה",
    "ל",
    "לכש",
    "לכשב",
    "לכשה",
    "לכשכ",
    "לכשל",
    "לכשמ",
    "לכשמה",
    "מ",
    "מה",
    "מש",
    "משב",
    "משה",
    "משכ",
    "משל",
    "משמ",
    "משמה",
    "ש",
    "שב",
    "שה",
    "שכ",
    "של",
    "שמ",
    "שמה",
];

/// The longest legal prefix, in letters.
const MAX_PREFIX_LETTERS: usize = 6;

/// One way to read a Hebrew key as prefix + word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrefixReading<'a> {
    /// The prefix letters (`וה`).
    pub prefix: &'a str,
    /// What remains (`ביטול`).
    pub rest: &'a str,
}

/// The legal prefix readings of a Hebrew key, shortest prefix first, each leaving at least two
/// letters. No allocation: prefix and rest are slices of `key`.
///
/// The lexicon matcher takes a reading only when `rest` is a known key, so `מחיר` keeps its מ unless
/// `חיר` were a lexicon word.
///
/// # Examples
/// ```
/// use kashev::analyze::hebrew::prefix_readings;
/// let rests: Vec<_> = prefix_readings("והביטול").map(|r| r.rest).collect();
/// assert_eq!(rests, ["הביטול", "ביטול"]);
/// ```
pub fn prefix_readings(key: &str) -> PrefixReadings<'_> {
    let letters = key.chars().filter(|&c| is_letter(c)).count();
    PrefixReadings {
        key,
        end: 0,
        taken: 0,
        max: MAX_PREFIX_LETTERS.min(letters.saturating_sub(2)),
    }
}

/// Iterator returned by [`prefix_readings`].
#[derive(Debug, Clone)]
pub struct PrefixReadings<'a> {
    key: &'a str,
    /// Byte end of the prefix candidate examined last.
    end: usize,
    /// Letters in that candidate.
    taken: usize,
    max: usize,
}

impl<'a> Iterator for PrefixReadings<'a> {
    type Item = PrefixReading<'a>;

    fn next(&mut self) -> Option<PrefixReading<'a>> {
        while self.taken < self.max {
            let c = self.key[self.end..].chars().next()?;
            if !is_prefix_letter(c) {
                self.max = 0;
                return None;
            }
            self.end += c.len_utf8();
            self.taken += 1;
            let prefix = &self.key[..self.end];
            if LEGAL_PREFIXES.binary_search(&prefix).is_ok() {
                return Some(PrefixReading {
                    prefix,
                    rest: &self.key[self.end..],
                });
            }
        }
        None
    }
}

/// Whether a Hebrew key is laughter: only ח and ה, at least three letters with two ח (חחח, חחחה,
/// חהחה) or none (ההה), or exactly חח.
pub fn is_laughter(key: &str) -> bool {
    let mut het = 0usize;
    let mut total = 0usize;
    for c in key.chars() {
        match c {
            'ח' => het += 1,
            'ה' => {}
            _ => return false,
        }
        total += 1;
    }
    (total >= 3 && (het >= 2 || het == 0)) || (total == 2 && het == 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix_grammar() -> Vec<String> {
        let conj = ["", "ו"];
        let particle = ["", "ש", "כש", "לכש", "מש"];
        let prep = ["", "ה", "ב", "כ", "ל", "מ", "מה"];
        let mut all = Vec::new();
        for a in conj {
            for b in particle {
                for c in prep {
                    let p = format!("{a}{b}{c}");
                    if !p.is_empty() {
                        all.push(p);
                    }
                }
            }
        }
        all.sort();
        all.dedup();
        all
    }

    #[test]
    fn legal_prefixes_are_the_grammar_sorted() {
        let listed: Vec<String> = LEGAL_PREFIXES.iter().map(|s| s.to_string()).collect();
        assert_eq!(listed, prefix_grammar());
        assert!(
            LEGAL_PREFIXES
                .iter()
                .all(|p| p.chars().count() <= MAX_PREFIX_LETTERS)
        );
    }

    #[test]
    fn the_prefixes_named_in_the_design_are_legal() {
        for p in [
            "ו", "ה", "ב", "כ", "ל", "מ", "ש", "וה", "וב", "וכ", "ול", "ומ", "וש", "שה", "שב",
            "שכ", "של", "כש", "לכש", "מש", "מה", "וכש", "ושה",
        ] {
            assert!(LEGAL_PREFIXES.binary_search(&p).is_ok(), "{p}");
        }
        for p in ["בה", "לה", "הו", "שו", "בל", "הב"] {
            assert!(
                LEGAL_PREFIXES.binary_search(&p).is_err(),
                "{p} must not be legal"
            );
        }
    }

    #[test]
    fn readings_are_shortest_first_and_leave_two_letters() {
        let cases: &[(&str, &str, &[&str])] = &[
            ("conjunction and article", "והביטול", &["הביטול", "ביטול"]),
            ("she-be", "שבחשבונית", &["בחשבונית", "חשבונית"]),
            ("kshe", "כשהתקשרתי", &["שהתקשרתי", "התקשרתי", "תקשרתי"]),
            ("mem is a letter too", "מחיר", &["חיר"]),
            ("no prefix letters", "חשבון", &[]),
            ("two letters stay", "לו", &[]),
            ("three letters", "לנו", &["נו"]),
            ("conjunction", "ולא", &["לא"]),
            ("acronym", "במנכ\"ל", &["מנכ\"ל"]),
            ("empty", "", &[]),
        ];
        for (name, key, want) in cases {
            let got: Vec<&str> = prefix_readings(key).map(|r| r.rest).collect();
            assert_eq!(&got, want, "{name}");
            for r in prefix_readings(key) {
                assert_eq!(format!("{}{}", r.prefix, r.rest), *key, "{name}");
            }
        }
    }

    #[test]
    fn keys_fold_finals_marks_quotes_and_presentation_forms() {
        let cases = [
            ("finals", "ביטולים", "ביטולימ"),
            ("niqqud", "שָׁלוֹם", "שלומ"),
            ("gershayim", "מנכ״ל", "מנכ\"ל"),
            ("right double quote", "מנכ”ל", "מנכ\"ל"),
            ("geresh", "צ׳אט", "צ'אט"),
            ("typographic apostrophe", "צ’אט", "צ'אט"),
            ("presentation forms", "\u{FB2A}\u{FB4B}\u{FB4C}", "שוב"),
            ("alef-lamed ligature", "\u{FB4F}", "אל"),
            ("yiddish ligature", "\u{05F0}", "וו"),
        ];
        for (name, input, want) in cases {
            let mut key = String::new();
            for c in input.chars() {
                if !is_mark(c) {
                    push_key_char(c, &mut key);
                }
            }
            assert_eq!(key, want, "{name}");
        }
    }

    #[test]
    fn laughter() {
        for yes in ["חחח", "חחחחחח", "חח", "חהחה", "חחחה", "ההה", "הההה"]
        {
            assert!(is_laughter(yes), "{yes}");
        }
        for no in ["ח", "החה", "חחר", "הה", "ה", ""] {
            assert!(!is_laughter(no), "{no}");
        }
    }
}
