//! English (and other Latin-script) words: contractions, possessives, laughter and stems.
//!
//! The scanner hands a Latin word span here once its lower-cased key is built; this module says how
//! the span splits (`don't` → `do` + `n't`, whose key is `not` and which is flagged as a negator;
//! `I'll` → `i` + `will`; `customer's` → `customer`) and recognises laughter (`haha`, `lol`, `lmao`).
//! Stems come from the Snowball English stemmer (rust-stemmers).

/// How a Latin word splits into a base and an optional clitic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Byte length of the base's surface form (from the word's start).
    pub base_len: usize,
    /// The base's key.
    pub base_key: String,
    /// The clitic's key (`not`, `will`, `are`, …) when the word splits in two; its surface form is
    /// the rest of the word.
    pub clitic: Option<&'static str>,
}

/// Contractions written without an apostrophe, as people type them in chats: base length in bytes,
/// base key. The clitic is always `not`.
const BARE_NEGATIONS: &[(&str, usize, &str)] = &[
    ("dont", 2, "do"),
    ("didnt", 3, "did"),
    ("doesnt", 4, "does"),
    ("isnt", 2, "is"),
    ("wasnt", 3, "was"),
    ("werent", 4, "were"),
    ("arent", 3, "are"),
    ("cant", 2, "can"),
    ("couldnt", 5, "could"),
    ("wouldnt", 5, "would"),
    ("shouldnt", 6, "should"),
    ("wont", 2, "will"),
    ("havent", 4, "have"),
    ("hasnt", 3, "has"),
    ("hadnt", 3, "had"),
    ("aint", 2, "is"),
    ("mustnt", 4, "must"),
    ("neednt", 4, "need"),
    ("cannot", 3, "can"),
];

/// Splits a lower-cased Latin key (apostrophes already folded to `'`). `key` and the surface have
/// the same byte layout up to case folding of ASCII letters; for non-ASCII keys no split is made.
pub fn split(key: &str) -> Option<Split> {
    let bare = key.ends_with("nt") || key == "cannot";
    if !bare && !key.contains('\'') {
        return None;
    }
    if bare
        && let Some(&(_, base_len, base)) = BARE_NEGATIONS.iter().find(|(word, _, _)| *word == key)
    {
        return Some(Split {
            base_len,
            base_key: base.to_string(),
            clitic: Some("not"),
        });
    }
    let apostrophe = key.rfind('\'')?;
    if apostrophe == 0 {
        return None;
    }
    if let Some(base) = key.strip_suffix("n't")
        && !base.is_empty()
    {
        let base_key = match base {
            "ca" => "can",
            "wo" => "will",
            "sha" => "shall",
            "ai" => "is",
            other => other,
        };
        return Some(Split {
            base_len: base.len(),
            base_key: base_key.to_string(),
            clitic: Some("not"),
        });
    }
    let (base, suffix) = key.split_at(apostrophe);
    let clitic = match suffix {
        "'s" => None,
        "'re" => Some("are"),
        "'ve" => Some("have"),
        "'ll" => Some("will"),
        "'d" => Some("would"),
        "'m" => Some("am"),
        _ => return None,
    };
    Some(Split {
        base_len: if clitic.is_some() {
            base.len()
        } else {
            key.len()
        },
        base_key: base.to_string(),
        clitic,
    })
}

/// Whether a lower-cased key, with elongation folded to single letters, is laughter, and the key it
/// is recognised by: `haha` for ha/he/hi runs, else the key itself (`lol`, `lmao`, `rofl`, `xd`).
#[inline]
pub fn laughter_key(single: &str) -> Option<&'static str> {
    // Every form below starts with one of these letter pairs; most words stop here.
    let b = single.as_bytes();
    if b.len() < 2
        || !matches!(
            (b[0], b[1]),
            (b'l', b'o' | b'u' | b'm')
                | (b'r', b'o')
                | (b'x', b'd')
                | (b'h', b'a' | b'e' | b'i')
                | (b'a', b'h')
        )
    {
        return None;
    }
    laughter_form(single)
}

/// [`laughter_key`] past its first-letters filter.
fn laughter_form(single: &str) -> Option<&'static str> {
    match single {
        "lol" | "lolz" | "lul" => return Some("lol"),
        "lmao" | "lmfao" => return Some("lmao"),
        "rofl" | "roflmao" => return Some("rofl"),
        "xd" => return Some("xd"),
        _ => {}
    }
    // "ha", "he", "hi" repeated at least twice, optionally with a trailing h: haha, hahah, hehe.
    let b = single.as_bytes();
    if b.len() >= 4 {
        let body = if b.len() % 2 == 1 && b[b.len() - 1] == b'h' {
            &b[..b.len() - 1]
        } else {
            b
        };
        if body.len() % 2 == 0
            && body
                .chunks(2)
                .all(|p| p[0] == b'h' && matches!(p[1], b'a' | b'e' | b'i'))
        {
            return Some("haha");
        }
        // "ahahah", "bwahaha"-like runs: mostly alternating h and a.
        if body.iter().all(|&c| c == b'h' || c == b'a')
            && body.iter().filter(|&&c| c == b'h').count() >= 2
        {
            return Some("haha");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contractions_split() {
        /// Key, and the expected base length, base key and clitic.
        type Case = (
            &'static str,
            Option<(usize, &'static str, Option<&'static str>)>,
        );
        let cases: &[Case] = &[
            ("don't", Some((2, "do", Some("not")))),
            ("can't", Some((2, "can", Some("not")))),
            ("won't", Some((2, "will", Some("not")))),
            ("isn't", Some((2, "is", Some("not")))),
            ("dont", Some((2, "do", Some("not")))),
            ("cannot", Some((3, "can", Some("not")))),
            ("i'll", Some((1, "i", Some("will")))),
            ("we're", Some((2, "we", Some("are")))),
            ("i'm", Some((1, "i", Some("am")))),
            ("customer's", Some((10, "customer", None))),
            ("it's", Some((4, "it", None))),
            ("o'clock", None),
            ("cancel", None),
            ("'tis", None),
        ];
        for (key, want) in cases {
            let got = split(key).map(|s| (s.base_len, s.base_key.clone(), s.clitic));
            let want = want.map(|(l, k, c)| (l, k.to_string(), c));
            assert_eq!(got, want, "{key}");
        }
    }

    #[test]
    fn laughter() {
        for (input, want) in [
            ("haha", Some("haha")),
            ("hahaha", Some("haha")),
            ("hahah", Some("haha")),
            ("hehe", Some("haha")),
            ("ahahaha", Some("haha")),
            ("lol", Some("lol")),
            ("lmao", Some("lmao")),
            ("ha", None),
            ("hah", None),
            ("hash", None),
            ("have", None),
        ] {
            assert_eq!(laughter_key(input), want, "{input}");
        }
    }
}
