//! Typed tokens: links, addresses, phone and ID numbers, cards, money, percentages, dates, times and
//! plain numbers.
//!
//! The scanner in [`super`] calls [`TypedMatcher::numeric_at`] where a digit, `+` or currency sign
//! starts and [`TypedMatcher::link_at`] where a chunk may hold a URL or e-mail address, before any word
//! splitting. Each returns the byte length of the token, its kind and its key (a canonical form: digits
//! only for phone numbers, lower case for addresses, `100ils` for money). Check digits are verified:
//! an Israeli ID number with a wrong check digit, or a card number failing Luhn, is a plain number.

use regex::Regex;

use super::TokenKind;

/// Compiled patterns for typed tokens. Built once per [`super::Analyzer`]; each [`super::Analysis`]
/// uses its own clone (a cloned `Regex` shares the compiled program but has its own pool of search
/// caches, so threads analysing in parallel do not contend for one pool).
#[derive(Debug, Clone)]
pub struct TypedMatcher {
    url: Regex,
    bare_domain: Regex,
    email: Regex,
    date: Regex,
    time: Regex,
    card: Regex,
    phone_il: Regex,
    phone_toll_free: Regex,
    phone_intl: Regex,
    phone_us: Regex,
    money_prefix: Regex,
    money_suffix: Regex,
    percent: Regex,
    number: Regex,
}

/// A recognised typed token: its byte length from the start position, kind and key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typed {
    /// Byte length of the surface form.
    pub len: usize,
    /// What it is.
    pub kind: TokenKind,
    /// Its canonical key.
    pub key: String,
}

/// Longest surface form looked at for a numeric token.
const NUMERIC_WINDOW: usize = 48;

impl Default for TypedMatcher {
    fn default() -> Self {
        Self::new()
    }
}

impl TypedMatcher {
    /// Compiles the patterns.
    pub fn new() -> TypedMatcher {
        let re = |p: &str| Regex::new(p).expect("typed-token patterns are valid");
        TypedMatcher {
            url: re(r"(?i)\A(?:https?://|www\.)[^\s<>\x22]+"),
            bare_domain: re(
                r"(?i)\A[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|il|io|co|gov|edu|info|biz|app|me|uk)(?:/[^\s<>\x22]*)?",
            ),
            email: re(r"\A[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
            date: re(
                r"\A(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{1,2}/\d{1,2})",
            ),
            time: re(r"\A\d{1,2}:\d{2}(?::\d{2})?"),
            card: re(
                r"\A(?:\d{4} \d{4} \d{4} \d{1,7}|\d{4}-\d{4}-\d{4}-\d{1,7}|\d{4}[ -]\d{6}[ -]\d{5}|\d{13,19})",
            ),
            phone_il: re(r"\A(?:\+972[- ]?|972[- ]?|0)(?:5\d|7\d|[2-489])[- ]?\d{3}[- ]?\d{4}"),
            phone_toll_free: re(r"\A1-?[78]00-?\d{2,3}-?\d{3,4}"),
            phone_intl: re(r"\A\+[1-9]\d{0,2}(?:[- ]?\(?\d{1,4}\)?){1,5}"),
            phone_us: re(r"\A\d{3}-\d{3}-\d{4}"),
            money_prefix: re(r"\A[$€£₪][ ]?\d[\d,]*(?:\.\d+)?"),
            money_suffix: re(
                "\\A\\d[\\d,]*(?:\\.\\d+)?[ ]?(?:[$€£₪]|ש[\"״]ח|ש''ח|NIS|nis|ILS|ils|USD|usd|EUR|eur|GBP|gbp|שקלים|שקל|דולרים|דולר|יורו)",
            ),
            percent: re(r"\A\d+(?:[.,]\d+)?[ ]?(?:%|אחוזים|אחוז)"),
            number: re(r"\A\d+(?:[,.]\d+)*"),
        }
    }

    /// A typed token starting at the beginning of `s` where `s` starts with a digit, `+` or a
    /// currency sign. `None` when what follows the longest candidate is a letter or digit (`4G`,
    /// `100MB` are words, not numbers).
    pub fn numeric_at(&self, s: &str) -> Option<Typed> {
        self.numeric_with(s, true)
    }

    /// [`TypedMatcher::numeric_at`], with the byte checks that rule patterns out before they run
    /// (`checks`), or without them (every pattern runs, for tests that compare the two).
    fn numeric_with(&self, s: &str, checks: bool) -> Option<Typed> {
        let window = window(s, NUMERIC_WINDOW);
        let first = window.chars().next()?;
        let may = |pattern: Pattern| !checks || pattern.may_match(window);
        if matches!(first, '$' | '€' | '£' | '₪') {
            let m = self.money_prefix.find(window)?;
            return bounded(s, m.end()).then(|| Typed {
                len: m.end(),
                kind: TokenKind::Money,
                key: money_key(m.as_str()),
            });
        }
        if first == '+' {
            return self.phone(window, s);
        }
        // Money and percent extend a number with a unit, so they are tried first.
        if may(Pattern::MoneySuffix)
            && let Some(m) = self.money_suffix.find(window)
            && bounded(s, m.end())
        {
            return Some(Typed {
                len: m.end(),
                kind: TokenKind::Money,
                key: money_key(m.as_str()),
            });
        }
        if may(Pattern::Percent)
            && let Some(m) = self.percent.find(window)
            && bounded(s, m.end())
        {
            let digits: String = m
                .as_str()
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            return Some(Typed {
                len: m.end(),
                kind: TokenKind::Percent,
                key: format!("{digits}%"),
            });
        }
        if may(Pattern::Card)
            && let Some(m) = self.card.find(window)
            && bounded(s, m.end())
        {
            let digits = digits_of(m.as_str());
            if (13..=19).contains(&digits.len()) && luhn_valid(&digits) {
                return Some(Typed {
                    len: m.end(),
                    kind: TokenKind::Card,
                    key: digits,
                });
            }
        }
        if may(Pattern::IsraeliId)
            && let Some(m) = self.number.find(window)
            && m.end() == 9
            && bounded(s, 9)
            && m.as_str().bytes().all(|b| b.is_ascii_digit())
            && israeli_id_valid(m.as_str())
        {
            return Some(Typed {
                len: 9,
                kind: TokenKind::IsraeliId,
                key: m.as_str().to_string(),
            });
        }
        if may(Pattern::Phone)
            && let Some(phone) = self.phone(window, s)
        {
            return Some(phone);
        }
        if may(Pattern::Date)
            && let Some(m) = self.date.find(window)
            && bounded(s, m.end())
            && plausible_date(m.as_str())
        {
            return Some(Typed {
                len: m.end(),
                kind: TokenKind::Date,
                key: m.as_str().replace(['.', '/'], "-"),
            });
        }
        if may(Pattern::Time)
            && let Some(m) = self.time.find(window)
            && bounded(s, m.end())
            && plausible_time(m.as_str())
        {
            return Some(Typed {
                len: m.end(),
                kind: TokenKind::Time,
                key: m.as_str().to_string(),
            });
        }
        let m = self.number.find(window)?;
        // A trailing separator is punctuation, not part of the number ("עלה ל-300.").
        bounded(s, m.end()).then(|| Typed {
            len: m.end(),
            kind: TokenKind::Number,
            key: m.as_str().replace(',', ""),
        })
    }

    fn phone(&self, window: &str, s: &str) -> Option<Typed> {
        for re in [
            &self.phone_il,
            &self.phone_toll_free,
            &self.phone_intl,
            &self.phone_us,
        ] {
            if let Some(m) = re.find(window) {
                let digits = digits_of(m.as_str());
                if (7..=15).contains(&digits.len()) && bounded(s, m.end()) {
                    return Some(Typed {
                        len: m.end(),
                        kind: TokenKind::Phone,
                        key: digits,
                    });
                }
            }
        }
        None
    }

    /// A URL, e-mail address or bare domain at the start of `chunk` (a run without whitespace).
    /// Trailing punctuation that closes a sentence is left out.
    pub fn link_at(&self, chunk: &str) -> Option<Typed> {
        if let Some(m) = self.email.find(chunk) {
            return Some(Typed {
                len: m.end(),
                kind: TokenKind::Email,
                key: m.as_str().to_lowercase(),
            });
        }
        let (m, kind) = match self.url.find(chunk) {
            Some(m) => (m, TokenKind::Url),
            None => (self.bare_domain.find(chunk)?, TokenKind::Url),
        };
        let mut end = m.end();
        let bytes = chunk.as_bytes();
        while end > 0
            && matches!(
                bytes[end - 1],
                b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b')'
            )
        {
            let part = &chunk[..end];
            if bytes[end - 1] == b')' && part.matches('(').count() >= part.matches(')').count() {
                break;
            }
            end -= 1;
        }
        (end > 0 && bounded(chunk, end)).then(|| Typed {
            len: end,
            kind,
            key: chunk[..end].to_lowercase(),
        })
    }
}

/// The numeric patterns that byte checks can rule out before they run.
#[derive(Debug, Clone, Copy)]
enum Pattern {
    MoneySuffix,
    Percent,
    Card,
    IsraeliId,
    Phone,
    Date,
    Time,
}

impl Pattern {
    /// Whether the pattern may match at the start of `window` (which starts with a digit). `false`
    /// only when it cannot: every pattern is ASCII digits and punctuation up to its unit, so the
    /// leading run of digits and the pattern's punctuation decides, unless it stops at a non-ASCII
    /// number (which `\d` also matches).
    fn may_match(self, window: &str) -> bool {
        match self {
            Pattern::MoneySuffix | Pattern::Percent => {
                // The unit can only follow the whole run of digits, commas and dots (every shorter
                // match is followed by one of those), after at most one space.
                let lead = Lead::of(window, |c| c == b',' || c == b'.');
                let b = window.as_bytes();
                let unit = match b.get(lead.len) {
                    Some(b' ') => b.get(lead.len + 1),
                    other => other,
                };
                lead.number_follows
                    || unit.is_some_and(|&c| {
                        c >= 0x80
                            || match self {
                                Pattern::MoneySuffix => matches!(
                                    c,
                                    b'$' | b'N'
                                        | b'n'
                                        | b'I'
                                        | b'i'
                                        | b'U'
                                        | b'u'
                                        | b'E'
                                        | b'e'
                                        | b'G'
                                        | b'g'
                                ),
                                _ => c == b'%',
                            }
                    })
            }
            Pattern::Card => {
                let lead = Lead::of(window, |c| c == b' ' || c == b'-');
                lead.number_follows || lead.digits >= 13
            }
            Pattern::Phone => {
                // The number of a phone match has 7 to 15 digits.
                let lead = Lead::of(window, |c| matches!(c, b' ' | b'-' | b'(' | b')' | b'+'));
                lead.number_follows || lead.digits >= 7
            }
            Pattern::IsraeliId => {
                let lead = Lead::of(window, |_| false);
                lead.number_follows || lead.len == 9
            }
            Pattern::Date | Pattern::Time => {
                let lead = Lead::of(window, |_| false);
                let (longest, separators): (usize, &[u8]) = match self {
                    Pattern::Date => (4, b"./-"),
                    _ => (2, b":"),
                };
                lead.number_follows
                    || ((1..=longest).contains(&lead.len)
                        && window
                            .as_bytes()
                            .get(lead.len)
                            .is_some_and(|c| separators.contains(c)))
            }
        }
    }
}

/// The leading run of a window made of ASCII digits and the bytes a pattern allows between them.
#[derive(Debug)]
struct Lead {
    /// Its length in bytes.
    len: usize,
    /// How many ASCII digits it holds.
    digits: usize,
    /// Whether it stops at a non-ASCII number character.
    number_follows: bool,
}

impl Lead {
    fn of(window: &str, between: impl Fn(u8) -> bool) -> Lead {
        let run = window
            .bytes()
            .take_while(|&c| c.is_ascii_digit() || between(c));
        let (mut len, mut digits) = (0, 0);
        for c in run {
            len += 1;
            digits += usize::from(c.is_ascii_digit());
        }
        // Every byte of the run is ASCII, so `len` is a char boundary.
        let number_follows = window[len..]
            .chars()
            .next()
            .is_some_and(|c| !c.is_ascii() && c.is_numeric());
        Lead {
            len,
            digits,
            number_follows,
        }
    }
}

/// Up to `max` bytes of `s`, cut on a char boundary.
fn window(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A token may end at `end` when what follows is not a letter or digit.
fn bounded(s: &str, end: usize) -> bool {
    s[end..].chars().next().is_none_or(|c| !c.is_alphanumeric())
}

fn digits_of(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn money_key(surface: &str) -> String {
    let amount: String = surface
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let lower = surface.to_lowercase();
    let currency = if lower.contains('$') || lower.contains("usd") || lower.contains("דולר") {
        "usd"
    } else if lower.contains('€') || lower.contains("eur") || lower.contains("יורו") {
        "eur"
    } else if lower.contains('£') || lower.contains("gbp") {
        "gbp"
    } else {
        "ils"
    };
    format!("{amount}{currency}")
}

/// The Luhn check used by payment cards.
pub fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// The check digit of an Israeli ID number (teudat zehut): digits weighted 1,2,1,2,…, two-digit
/// products summed by their digits, total divisible by 10. All zeros is not an ID.
pub fn israeli_id_valid(digits: &str) -> bool {
    if digits.len() != 9
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || digits.bytes().all(|b| b == b'0')
    {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 2 };
            if d > 9 { d - 9 } else { d }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn plausible_date(s: &str) -> bool {
    let parts: Vec<u32> = s
        .split(['-', '.', '/'])
        .filter_map(|p| p.parse().ok())
        .collect();
    match parts.as_slice() {
        [y, m, d] if *y >= 1000 => (1..=12).contains(m) && (1..=31).contains(d),
        [a, b, _] | [a, b] => {
            ((1..=31).contains(a) && (1..=12).contains(b))
                || ((1..=12).contains(a) && (1..=31).contains(b))
        }
        _ => false,
    }
}

fn plausible_time(s: &str) -> bool {
    let mut parts = s.split(':').map(|p| p.parse::<u32>().unwrap_or(99));
    let h = parts.next().unwrap_or(99);
    let m = parts.next().unwrap_or(99);
    let sec = parts.next().unwrap_or(0);
    h < 24 && m < 60 && sec < 60
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Numeric tokens of every kind, and their beginnings: what a generated text starts with.
    const STARTS: &[&str] = &[
        "0",
        "1",
        "2",
        "3",
        "5",
        "7",
        "9",
        "12",
        "054",
        "054-1234567",
        "03-6123456",
        "052 123 4567",
        "0501234567",
        "972541234567",
        "1-800-800-800",
        "555-123-4567",
        "123456782",
        "123456789",
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "5500000000000004",
        "12/05/2024",
        "2024-05-12",
        "3.4.24",
        "12/5",
        "14:30",
        "9:05:10",
        "99.99",
        "1,250",
        "1,250.50",
        "50",
        "100",
        "15.5",
    ];

    /// Pieces that may follow.
    const PIECES: &[&str] = &[
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
        "7",
        "8",
        "9",
        "05",
        "972",
        "1800",
        "4111",
        "1234",
        "123456",
        ",",
        ".",
        " ",
        "  ",
        "-",
        "/",
        ":",
        "%",
        "$",
        "₪",
        "€",
        "£",
        "(",
        ")",
        "+",
        "ש\"ח",
        "ש״ח",
        "ש''ח",
        "שקל",
        "שקלים",
        "דולר",
        "יורו",
        "אחוז",
        "NIS",
        "nis",
        "usd",
        "EUR",
        "gbp",
        "GBP",
        "a",
        "x",
        "ימים",
        "٣",
        "۵",
        "\t",
        "\n",
        "'",
    ];

    static MATCHER: std::sync::LazyLock<TypedMatcher> = std::sync::LazyLock::new(TypedMatcher::new);

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// The byte checks only skip patterns that cannot match: with or without them, every
        /// numeric token comes out the same.
        #[test]
        fn byte_checks_change_no_result(
            start in 0usize..STARTS.len(),
            rest in proptest::collection::vec(0usize..PIECES.len(), 0..6),
        ) {
            let m = &*MATCHER;
            let mut text = STARTS[start].to_string();
            for i in rest {
                text.push_str(PIECES[i]);
            }
            prop_assert_eq!(m.numeric_with(&text, true), m.numeric_with(&text, false), "{}", text);
        }
    }

    #[test]
    fn numeric_tokens() {
        let m = TypedMatcher::new();
        /// Name, input, and the expected surface, kind and key.
        type Case = (
            &'static str,
            &'static str,
            Option<(&'static str, TokenKind, &'static str)>,
        );
        let cases: &[Case] = &[
            (
                "mobile with dash",
                "054-1234567 שלום",
                Some(("054-1234567", TokenKind::Phone, "0541234567")),
            ),
            (
                "mobile spaced groups",
                "052 123 4567",
                Some(("052 123 4567", TokenKind::Phone, "0521234567")),
            ),
            (
                "mobile plain",
                "0501234567",
                Some(("0501234567", TokenKind::Phone, "0501234567")),
            ),
            (
                "landline",
                "03-6123456",
                Some(("03-6123456", TokenKind::Phone, "036123456")),
            ),
            (
                "+972",
                "+972-54-1234567",
                Some(("+972-54-1234567", TokenKind::Phone, "972541234567")),
            ),
            (
                "+972 compact",
                "+972541234567",
                Some(("+972541234567", TokenKind::Phone, "972541234567")),
            ),
            (
                "international",
                "+44 20 7946 0958",
                Some(("+44 20 7946 0958", TokenKind::Phone, "442079460958")),
            ),
            (
                "toll free",
                "1-800-800-800",
                Some(("1-800-800-800", TokenKind::Phone, "1800800800")),
            ),
            (
                "us phone",
                "555-123-4567",
                Some(("555-123-4567", TokenKind::Phone, "5551234567")),
            ),
            (
                "id valid",
                "123456782",
                Some(("123456782", TokenKind::IsraeliId, "123456782")),
            ),
            (
                "id invalid check digit",
                "123456789",
                Some(("123456789", TokenKind::Number, "123456789")),
            ),
            (
                "card visa test",
                "4111 1111 1111 1111",
                Some(("4111 1111 1111 1111", TokenKind::Card, "4111111111111111")),
            ),
            (
                "card dashes",
                "4111-1111-1111-1111",
                Some(("4111-1111-1111-1111", TokenKind::Card, "4111111111111111")),
            ),
            (
                "card compact",
                "5500000000000004",
                Some(("5500000000000004", TokenKind::Card, "5500000000000004")),
            ),
            (
                "card bad luhn",
                "4111111111111112",
                Some(("4111111111111112", TokenKind::Number, "4111111111111112")),
            ),
            (
                "shekel sign after",
                "250₪",
                Some(("250₪", TokenKind::Money, "250ils")),
            ),
            (
                "shekel sign before",
                "₪ 1,250.50",
                Some(("₪ 1,250.50", TokenKind::Money, "1250.50ils")),
            ),
            (
                "shach gershayim",
                "89 ש\"ח לחודש",
                Some(("89 ש\"ח", TokenKind::Money, "89ils")),
            ),
            (
                "shach hebrew gershayim",
                "89 ש״ח",
                Some(("89 ש״ח", TokenKind::Money, "89ils")),
            ),
            (
                "shekels word",
                "100 שקלים",
                Some(("100 שקלים", TokenKind::Money, "100ils")),
            ),
            ("nis", "40 NIS", Some(("40 NIS", TokenKind::Money, "40ils"))),
            (
                "dollar",
                "$19.99",
                Some(("$19.99", TokenKind::Money, "19.99usd")),
            ),
            ("euro", "€5", Some(("€5", TokenKind::Money, "5eur"))),
            (
                "usd word",
                "30 USD",
                Some(("30 USD", TokenKind::Money, "30usd")),
            ),
            (
                "percent",
                "15% הנחה",
                Some(("15%", TokenKind::Percent, "15%")),
            ),
            (
                "percent hebrew",
                "20 אחוז",
                Some(("20 אחוז", TokenKind::Percent, "20%")),
            ),
            (
                "iso date",
                "2026-03-01",
                Some(("2026-03-01", TokenKind::Date, "2026-03-01")),
            ),
            (
                "dotted date",
                "1.3.26",
                Some(("1.3.26", TokenKind::Date, "1-3-26")),
            ),
            (
                "slashed date",
                "12/05/2026",
                Some(("12/05/2026", TokenKind::Date, "12-05-2026")),
            ),
            (
                "day month",
                "12/05",
                Some(("12/05", TokenKind::Date, "12-05")),
            ),
            ("time", "14:30", Some(("14:30", TokenKind::Time, "14:30"))),
            ("bad time", "25:99", Some(("25", TokenKind::Number, "25"))),
            (
                "number",
                "1,000 ",
                Some(("1,000", TokenKind::Number, "1000")),
            ),
            ("decimal", "3.5", Some(("3.5", TokenKind::Number, "3.5"))),
            ("number then letters is a word", "4G", None),
            ("megabytes is a word", "100MB", None),
        ];
        for (name, input, want) in cases {
            let got = m.numeric_at(input);
            match (want, got) {
                (None, None) => {}
                (Some((surface, kind, key)), Some(t)) => {
                    assert_eq!(&&input[..t.len], surface, "{name}");
                    assert_eq!(t.kind, *kind, "{name}");
                    assert_eq!(t.key, *key, "{name}");
                }
                (want, got) => panic!("{name}: want {want:?}, got {got:?}"),
            }
        }
    }

    #[test]
    fn links() {
        let m = TypedMatcher::new();
        let cases: &[(&str, &str, &str, TokenKind)] = &[
            (
                "https",
                "https://bezeq.co.il/help?x=1.",
                "https://bezeq.co.il/help?x=1",
                TokenKind::Url,
            ),
            (
                "www",
                "www.Partner.co.il,",
                "www.Partner.co.il",
                TokenKind::Url,
            ),
            (
                "bare domain",
                "hot.net.il/support",
                "hot.net.il/support",
                TokenKind::Url,
            ),
            (
                "email",
                "Dana.Levi+cx@Example.co.il.",
                "Dana.Levi+cx@Example.co.il",
                TokenKind::Email,
            ),
            (
                "paren url",
                "https://en.wikipedia.org/wiki/A_(b))",
                "https://en.wikipedia.org/wiki/A_(b)",
                TokenKind::Url,
            ),
        ];
        for (name, input, surface, kind) in cases {
            let t = m
                .link_at(input)
                .unwrap_or_else(|| panic!("{name}: no link"));
            assert_eq!(&input[..t.len], *surface, "{name}");
            assert_eq!(t.kind, *kind, "{name}");
            assert_eq!(t.key, surface.to_lowercase(), "{name}");
        }
        for no in ["hello", "e.g.", "a@b", "3.5"] {
            assert_eq!(m.link_at(no), None, "{no}");
        }
    }

    #[test]
    fn check_digits() {
        assert!(israeli_id_valid("123456782"));
        assert!(israeli_id_valid("000000018"));
        assert!(!israeli_id_valid("123456789"));
        assert!(!israeli_id_valid("000000000"));
        assert!(!israeli_id_valid("12345678"));
        assert!(luhn_valid("4111111111111111"));
        assert!(luhn_valid("378282246310005"));
        assert!(!luhn_valid("4111111111111112"));
        assert!(!luhn_valid(""));
    }
}
