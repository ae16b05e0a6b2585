//! The analyzer: text in, tokens out, the same at classification, index and query time.
//!
//! [`Analyzer::analyze_into`] splits a text into [`Token`]s that carry byte offsets into the original
//! text (never into a normalised copy), a [`TokenKind`], a [`Script`], [`Flags`] and a normalised key
//! for matching and indexing: Hebrew with niqqud stripped, final letters and quote variants folded;
//! Latin lower-cased with contractions split; elongated words with the folded candidates the matcher
//! needs. Typed tokens (links, phone and ID numbers, cards, money, dates, …), emoji sequences and
//! emoticons are recognised before word splitting. Punctuation is kept as tokens, because the
//! classifier needs it (negation scope ends at a comma, `!!!` is emphasis); the index tokenizer in
//! [`index_tokenizer`] drops it.
//!
//! The [`Analysis`] a text is analysed into holds every key in one string, so analysing many texts
//! into one reused `Analysis` allocates nothing in the steady state.

pub mod emoji;
pub mod english;
pub mod hebrew;
pub mod index_tokenizer;
pub mod lang;
pub mod pii;
pub mod typed;

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use rust_stemmers::{Algorithm, Stemmer};

use crate::hash::{InlineMap, PACKED_KEY, PackedKey};
use unicode_normalization::UnicodeNormalization;

pub use index_tokenizer::{IndexTerm, KashevTokenizer, KnownKeys, TOKENIZER_NAME, index_terms};
pub use lang::Lang;

use hebrew::Quote;
use typed::TypedMatcher;

/// The writing system of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    /// Hebrew letters.
    Hebrew,
    /// Latin letters (English and other Latin-script words, `4G`).
    Latin,
    /// Digits: numbers and every numeric typed token.
    Digit,
    /// Emoji and emoticons.
    Emoji,
    /// Anything else: other alphabets, punctuation, symbols.
    Other,
}

impl Script {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Script::Hebrew => "hebrew",
            Script::Latin => "latin",
            Script::Digit => "digit",
            Script::Emoji => "emoji",
            Script::Other => "other",
        }
    }
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A word (or part of a contraction).
    Word,
    /// A web address.
    Url,
    /// An e-mail address.
    Email,
    /// A phone number (Israeli or international).
    Phone,
    /// An Israeli ID number with a valid check digit.
    IsraeliId,
    /// A payment card number that passes the Luhn check.
    Card,
    /// An amount with a currency.
    Money,
    /// A percentage.
    Percent,
    /// A date.
    Date,
    /// A time of day.
    Time,
    /// Any other number.
    Number,
    /// An emoji sequence.
    Emoji,
    /// An ASCII emoticon.
    Emoticon,
    /// A run of one punctuation character.
    Punct,
}

impl TokenKind {
    /// The snake-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Word => "word",
            TokenKind::Url => "url",
            TokenKind::Email => "email",
            TokenKind::Phone => "phone",
            TokenKind::IsraeliId => "israeli_id",
            TokenKind::Card => "card",
            TokenKind::Money => "money",
            TokenKind::Percent => "percent",
            TokenKind::Date => "date",
            TokenKind::Time => "time",
            TokenKind::Number => "number",
            TokenKind::Emoji => "emoji",
            TokenKind::Emoticon => "emoticon",
            TokenKind::Punct => "punct",
        }
    }

    /// Whether the token is personal data that redaction masks.
    pub fn is_pii(self) -> bool {
        matches!(
            self,
            TokenKind::Email | TokenKind::Phone | TokenKind::IsraeliId | TokenKind::Card
        )
    }
}

/// Token properties, as a small bit set.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Flags(u16);

impl Flags {
    /// No flag.
    pub const NONE: Flags = Flags(0);
    /// A Latin word of two or more letters written in capitals (emphasis, or an acronym).
    pub const ALL_CAPS: Flags = Flags(1);
    /// A letter (or `!`/`?`, or an emoticon's mouth) repeated three or more times: emphasis.
    pub const ELONGATED: Flags = Flags(1 << 1);
    /// The `n't` / `not` half of a split contraction.
    pub const NEGATOR: Flags = Flags(1 << 2);
    /// Laughter: חחח, ההה, haha, lol.
    pub const LAUGHTER: Flags = Flags(1 << 3);
    /// A Hebrew acronym or loanword with gershayim/geresh inside (מנכ"ל, צ'אט) or dots (ת.ז).
    pub const ACRONYM: Flags = Flags(1 << 4);
    /// A Hebrew abbreviation with a trailing geresh (לק', מס').
    pub const ABBREVIATION: Flags = Flags(1 << 5);
    /// The second half of a split English contraction (`'ll`, `n't`).
    pub const CLITIC: Flags = Flags(1 << 6);
    /// Hebrew prefix letters glued to a Latin word or number (ה in הwifi, ב in ב-50): not a word.
    pub const PREFIX_ONLY: Flags = Flags(1 << 7);
    /// The surface form carried niqqud or cantillation marks.
    pub const POINTED: Flags = Flags(1 << 8);
    /// A Hebrew word spelled out letter by letter for emphasis ("ב ה צ ל ח ה", "מ ד ה י ם"): one
    /// token, its key the letters joined.
    pub const SPACED: Flags = Flags(1 << 9);

    const NAMES: [(Flags, &'static str); 10] = [
        (Flags::ALL_CAPS, "all_caps"),
        (Flags::ELONGATED, "elongated"),
        (Flags::NEGATOR, "negator"),
        (Flags::LAUGHTER, "laughter"),
        (Flags::ACRONYM, "acronym"),
        (Flags::ABBREVIATION, "abbreviation"),
        (Flags::CLITIC, "clitic"),
        (Flags::PREFIX_ONLY, "prefix_only"),
        (Flags::POINTED, "pointed"),
        (Flags::SPACED, "spaced"),
    ];

    /// Whether every flag in `other` is set.
    #[inline]
    pub fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    /// Sets the flags in `other`.
    #[inline]
    pub fn insert(&mut self, other: Flags) {
        self.0 |= other.0;
    }

    /// Whether no flag is set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The names of the flags set, in a fixed order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Flags::NAMES
            .into_iter()
            .filter(move |(f, _)| self.contains(*f))
            .map(|(_, name)| name)
    }
}

impl std::ops::BitOr for Flags {
    type Output = Flags;
    fn bitor(self, rhs: Flags) -> Flags {
        Flags(self.0 | rhs.0)
    }
}

impl fmt::Debug for Flags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

/// One token. Its key, alternative key and stem live in the [`Analysis`] that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte of the surface form in the original text.
    pub start: usize,
    /// Byte offset one past the surface form.
    pub end: usize,
    /// What the token is.
    pub kind: TokenKind,
    /// Its writing system.
    pub script: Script,
    /// Its properties.
    pub flags: Flags,
    key: Range<u32>,
    alt: Range<u32>,
    stem: Range<u32>,
}

impl Token {
    /// The surface form: `&text[start..end]`.
    pub fn surface<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// The tokens of one text and the keys they refer to. Reuse one per thread with
/// [`Analyzer::analyze_into`].
#[derive(Debug, Default, Clone)]
pub struct Analysis {
    tokens: Vec<Token>,
    keys: String,
    scratch: String,
    stem_cache: StemCache,
    /// This analysis's clone of the analyzer's typed-token patterns (see [`TypedMatcher`]).
    typed: Option<TypedMatcher>,
}

/// Word → Snowball stem, per [`Analysis`]: words and stems of up to [`PACKED_KEY`] bytes held
/// inline (longer words are stemmed every time).
#[derive(Debug, Clone)]
struct StemCache(InlineMap<PackedStem>);

/// Slots of the stem cache (half of them used at most) before it starts over.
const STEM_CACHE_LIMIT: usize = 1 << 16;

impl Default for StemCache {
    fn default() -> Self {
        StemCache(InlineMap::with_limit(STEM_CACHE_LIMIT))
    }
}

/// A cached stem: `len == SAME` when the word is its own stem; `prefix` when it is the word's first
/// `len` bytes (billing → bill), which then need no copy (`bytes` is unused).
#[derive(Debug, Clone, Copy, Default)]
struct PackedStem {
    bytes: [u8; PACKED_KEY],
    len: u8,
    prefix: bool,
}

impl PackedStem {
    const SAME: u8 = u8::MAX;
}

impl Analysis {
    /// An empty analysis.
    pub fn new() -> Analysis {
        Analysis::default()
    }

    /// The tokens, in text order.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    fn slice(&self, r: &Range<u32>) -> &str {
        &self.keys[r.start as usize..r.end as usize]
    }

    /// The token's normalised key.
    pub fn key(&self, t: &Token) -> &str {
        self.slice(&t.key)
    }

    /// For an elongated word, the other folded candidate: `goooood` has key `good` and alternative
    /// `god`; `מעולללה` has key `מעולה` and alternative `מעוללה`.
    pub fn alt_key(&self, t: &Token) -> Option<&str> {
        (!t.alt.is_empty()).then(|| self.slice(&t.alt))
    }

    /// The Snowball stem of a Latin word's key (the key itself for every other token, and when
    /// stemming is off).
    pub fn stem(&self, t: &Token) -> &str {
        if t.stem.is_empty() {
            self.key(t)
        } else {
            self.slice(&t.stem)
        }
    }

    /// The tokens with their keys.
    pub fn iter(&self) -> impl Iterator<Item = TokenRef<'_>> {
        self.tokens.iter().map(move |t| TokenRef {
            token: t,
            key: self.key(t),
            alt: self.alt_key(t),
            stem: self.stem(t),
        })
    }

    fn clear(&mut self) {
        self.tokens.clear();
        self.keys.clear();
    }

    /// Appends `s` to the key arena, returning its range.
    fn push_key(&mut self, s: &str) -> Range<u32> {
        let start = self.keys.len() as u32;
        self.keys.push_str(s);
        start..self.keys.len() as u32
    }
}

/// A token with its keys resolved.
#[derive(Debug, Clone, Copy)]
pub struct TokenRef<'a> {
    /// The token.
    pub token: &'a Token,
    /// Its key.
    pub key: &'a str,
    /// Its alternative key (elongated words).
    pub alt: Option<&'a str>,
    /// Its stem (its key where there is none).
    pub stem: &'a str,
}

impl<'a> TokenRef<'a> {
    /// Whether prefix readings apply: a Hebrew word that is not laughter or a bare prefix.
    pub fn has_prefix_readings(&self) -> bool {
        self.token.kind == TokenKind::Word
            && self.token.script == Script::Hebrew
            && !self.token.flags.contains(Flags::LAUGHTER)
            && !self.token.flags.contains(Flags::PREFIX_ONLY)
    }

    /// The legal prefix readings of the key (none for tokens other than Hebrew words).
    pub fn prefix_readings(&self) -> hebrew::PrefixReadings<'a> {
        if self.has_prefix_readings() {
            hebrew::prefix_readings(self.key)
        } else {
            hebrew::prefix_readings("")
        }
    }
}

/// Builds an [`Analyzer`].
#[derive(Debug, Clone)]
pub struct AnalyzerBuilder {
    stems: bool,
}

impl Default for AnalyzerBuilder {
    fn default() -> Self {
        AnalyzerBuilder { stems: true }
    }
}

impl AnalyzerBuilder {
    /// Whether Latin words get Snowball stems (on by default).
    pub fn stems(&mut self, yes: bool) -> &mut AnalyzerBuilder {
        self.stems = yes;
        self
    }

    /// Builds the analyzer.
    pub fn build(&self) -> Analyzer {
        Analyzer {
            inner: Arc::new(Inner {
                typed: TypedMatcher::new(),
                stemmer: Stemmer::create(Algorithm::English),
                stems: self.stems,
            }),
        }
    }
}

struct Inner {
    typed: TypedMatcher,
    stemmer: Stemmer,
    stems: bool,
}

/// The Kashev analyzer. Cheap to clone; `Send + Sync`.
#[derive(Clone)]
pub struct Analyzer {
    inner: Arc<Inner>,
}

impl fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Analyzer")
            .field("stems", &self.inner.stems)
            .finish()
    }
}

impl Default for Analyzer {
    fn default() -> Self {
        AnalyzerBuilder::default().build()
    }
}

impl Analyzer {
    /// An analyzer with the default settings.
    pub fn new() -> Analyzer {
        Analyzer::default()
    }

    /// A builder for non-default settings.
    pub fn builder() -> AnalyzerBuilder {
        AnalyzerBuilder::default()
    }

    /// Analyses `text` into a new [`Analysis`].
    ///
    /// # Examples
    /// ```
    /// use kashev::analyze::Analyzer;
    /// let text = "והמנכ״ל לא חזר אליי :(";
    /// let analysis = Analyzer::new().analyze(text);
    /// let keys: Vec<&str> = analysis.iter().map(|t| t.key).collect();
    /// assert_eq!(keys, ["והמנכ\"ל", "לא", "חזר", "אליי", ":("]);
    /// assert_eq!(analysis.tokens()[0].surface(text), "והמנכ״ל");
    /// ```
    pub fn analyze(&self, text: &str) -> Analysis {
        let mut analysis = Analysis::new();
        self.analyze_into(text, &mut analysis);
        analysis
    }

    /// Analyses `text` into `out`, replacing what it held.
    pub fn analyze_into(&self, text: &str, out: &mut Analysis) {
        out.clear();
        let mut scan = Scan {
            inner: &self.inner,
            text,
            pos: 0,
            out,
            open_quote: false,
        };
        scan.run();
    }

    /// The Snowball English stem of a lower-case word.
    pub fn stem<'w>(&self, word: &'w str) -> std::borrow::Cow<'w, str> {
        self.inner.stemmer.stem(word)
    }

    /// Whether Latin words are stemmed.
    pub fn stems(&self) -> bool {
        self.inner.stems
    }
}

/// A short run of digits that no typed-token pattern could extend: followed by the end, or by
/// whitespace or punctuation that cannot continue a date, time, amount, percentage or phone number,
/// and (after one space) by nothing that could be a currency, a percentage word or another digit
/// group. Most numbers in notes ("3 days", "ה-3,") take this path and skip the patterns.
fn plain_number(b: &[u8]) -> Option<usize> {
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits >= 7 {
        return None;
    }
    match b.get(digits) {
        None => Some(digits),
        Some(b' ' | b'\t' | b'\n' | b'\r') => {
            let after = &b[digits + 1..];
            match after.first() {
                // Digit groups (052 123 4567), currency signs (₪ € £ $) and percent signs.
                Some(c) if c.is_ascii_digit() || matches!(c, b'$' | b'%' | 0xE2 | 0xC2) => None,
                Some(_) if starts_with_unit(after) => None,
                _ => Some(digits),
            }
        }
        Some(c) if c.is_ascii_alphabetic() && glued_unit(&b[digits..]) => Some(digits),
        Some(c) if c.is_ascii_alphanumeric() => None,
        Some(b'-' | b'.' | b',' | b':' | b'/' | b'%' | b'\'' | b'"') => None,
        Some(c) if *c >= 0x80 => None,
        Some(_) => Some(digits),
    }
}

/// The currency and percent words an amount or a percentage may end with after a space (the
/// money and percent patterns in [`typed`]): when one follows, the number is left to them.
const UNIT_WORDS: [&str; 17] = [
    "ש\"", "ש״", "ש''", "שקל", "דולר", "יורו", "אחוז", "NIS", "nis", "ILS", "ils", "USD", "usd",
    "EUR", "eur", "GBP", "gbp",
];

/// Units of time and of speed or size that notes glue to a number ("held 50mins", "down 3days",
/// "2mbps"): the number and the unit are two tokens, as when a space parts them. Not ordinals
/// (3rd), network generations (4g), times of day (5pm), decades (90s) or 3d, which stay one word.
const GLUED_UNITS: [&str; 28] = [
    "sec", "secs", "min", "mins", "minute", "minutes", "h", "hr", "hrs", "hour", "hours", "day",
    "days", "wk", "wks", "week", "weeks", "mo", "mth", "mths", "month", "months", "yr", "yrs",
    "year", "years", "mbps", "gb",
];

/// Whether `b` starts with a unit of [`GLUED_UNITS`] (any case) and nothing more of the word.
fn glued_unit(b: &[u8]) -> bool {
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let word_ends = b.get(letters).is_none_or(|c| !c.is_ascii_alphanumeric());
    word_ends
        && GLUED_UNITS
            .iter()
            .any(|u| u.as_bytes().eq_ignore_ascii_case(&b[..letters]))
}

fn starts_with_unit(b: &[u8]) -> bool {
    UNIT_WORDS.iter().any(|w| b.starts_with(w.as_bytes()))
}

/// Whether a `.` is followed by an ASCII letter somewhere: the least every URL, e-mail address and
/// bare domain has.
fn has_dot_letter(bytes: &[u8]) -> bool {
    bytes
        .windows(2)
        .any(|w| w[0] == b'.' && w[1].is_ascii_alphabetic())
}

/// Characters that are dropped wherever they stand: bidi controls, zero-width characters, the byte
/// order mark and the soft hyphen. Inside a word they neither end it nor reach its key.
#[inline]
pub fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}' | '\u{061C}'
    )
}

#[inline]
fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || (matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' | '\u{FF21}'..='\u{FF5A}')
            && c.is_alphabetic())
}

#[inline]
fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20EF}' | '\u{FE20}'..='\u{FE2F}')
}

/// What one pass over a word of plain Hebrew letters (D7 90–D7 AA) finds: the first final letter,
/// a letter repeated three times (elongation), and whether only ח and ה occur (laughter).
#[derive(Debug, Clone, Copy)]
struct PlainHebrew {
    /// The index of the first final letter.
    first_final: Option<usize>,
    triple: bool,
    only_laugh: bool,
    /// How many ח.
    het: usize,
    /// The second bytes of the two letters before (0 before the word: never a letter).
    one_back: u8,
    two_back: u8,
}

impl PlainHebrew {
    fn new() -> PlainHebrew {
        PlainHebrew {
            first_final: None,
            triple: false,
            only_laugh: true,
            het: 0,
            one_back: 0,
            two_back: 0,
        }
    }

    /// Takes in letter `n` of the word, given by its second byte `x`.
    #[inline]
    fn add(&mut self, x: u8, n: usize) {
        // Final letters are D7 9A, 9D, 9F, A3, A5 (ך ם ן ף ץ).
        if self.first_final.is_none() && matches!(x, 0x9A | 0x9D | 0x9F | 0xA3 | 0xA5) {
            self.first_final = Some(n);
        }
        self.triple |= (x == self.one_back) & (x == self.two_back);
        (self.two_back, self.one_back) = (self.one_back, x);
        self.het += usize::from(x == 0x97);
        self.only_laugh &= (x == 0x97) | (x == 0x94);
    }
}

/// What one pass over an ASCII word finds: its letters and capitals, an apostrophe (contractions),
/// and a letter repeated three times (elongation).
#[derive(Debug, Clone, Copy, Default)]
struct AsciiWord {
    letters: usize,
    upper: usize,
    apostrophe: bool,
    triple: bool,
    /// The two bytes before, case folded (0 before the word: never a folded byte).
    one_back: u8,
    two_back: u8,
}

impl AsciiWord {
    /// Takes in the next byte of the word.
    #[inline]
    fn add(&mut self, b: u8) {
        self.letters += usize::from(b.is_ascii_alphabetic());
        self.upper += usize::from(b.is_ascii_uppercase());
        self.apostrophe |= (b == b'\'') | (b == b'`');
        let folded = b | 0x20;
        self.triple |= (folded == self.one_back) & (folded == self.two_back);
        (self.two_back, self.one_back) = (self.one_back, folded);
    }
}

/// Which alphabet a word is being scanned in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordScript {
    Hebrew,
    Latin,
    Other,
}

fn word_script(c: char) -> Option<WordScript> {
    if hebrew::is_letter(c) || hebrew::is_presentation_form(c) {
        Some(WordScript::Hebrew)
    } else if c.is_ascii_alphanumeric() || is_latin_letter(c) {
        Some(WordScript::Latin)
    } else if c.is_alphanumeric() {
        Some(WordScript::Other)
    } else {
        None
    }
}

struct Scan<'a, 't> {
    inner: &'a Inner,
    text: &'t str,
    pos: usize,
    out: &'a mut Analysis,
    /// A single quote mark opened a quotation ('שירות מעולה') that no word has closed yet in this
    /// line or sentence: a single quote after a word then closes it rather than marking an
    /// abbreviation (לק').
    open_quote: bool,
}

impl Scan<'_, '_> {
    fn run(&mut self) {
        let bytes = self.text.as_bytes();
        while self.pos < bytes.len() {
            let b = bytes[self.pos];
            if b < 0x80 {
                match b {
                    // Whitespace and control characters separate tokens; a line break ends a
                    // quotation left open.
                    0x00..=0x20 | 0x7F => {
                        if b == b'\n' {
                            self.open_quote = false;
                        }
                        self.pos += 1;
                    }
                    b'0'..=b'9' => {
                        if !self.numeric() {
                            self.word();
                        }
                    }
                    // Links are tried inside `word`, where the first run of letters is known.
                    b'a'..=b'z' | b'A'..=b'Z' => self.word(),
                    b'+' | b'$' => {
                        if !self.numeric() {
                            self.punct();
                        }
                    }
                    _ => {
                        if !self.emoticon() {
                            self.punct();
                        }
                    }
                }
                continue;
            }
            // Hebrew letters (D7 90–D7 AA) start words: skip the general checks.
            if b == 0xD7
                && bytes
                    .get(self.pos + 1)
                    .is_some_and(|n| (0x90..=0xAA).contains(n))
            {
                self.word();
                continue;
            }
            let c = self.text[self.pos..]
                .chars()
                .next()
                .expect("pos is on a char boundary");
            if c.is_whitespace() || is_ignorable(c) {
                self.pos += c.len_utf8();
            } else if hebrew::is_mark(c) || is_combining(c) {
                // A mark with no letter before it: nothing to attach it to.
                self.pos += c.len_utf8();
            } else if word_script(c).is_some() {
                self.word();
            } else if matches!(c, '€' | '£' | '₪') {
                if !self.numeric() {
                    self.punct();
                }
            } else if emoji::is_emoji_start(c) {
                self.emoji();
            } else {
                self.punct();
            }
        }
    }

    /// The typed-token patterns: this analysis's own clone, made on first use.
    fn typed(&mut self) -> &TypedMatcher {
        let inner = self.inner;
        self.out.typed.get_or_insert_with(|| inner.typed.clone())
    }

    fn prev_char(&self) -> Option<char> {
        self.text[..self.pos].chars().next_back()
    }

    fn push(
        &mut self,
        start: usize,
        end: usize,
        kind: TokenKind,
        script: Script,
        flags: Flags,
        key: Range<u32>,
    ) {
        self.out.tokens.push(Token {
            start,
            end,
            kind,
            script,
            flags,
            key,
            alt: 0..0,
            stem: 0..0,
        });
    }

    fn numeric(&mut self) -> bool {
        if let Some(len) = plain_number(&self.text.as_bytes()[self.pos..]) {
            let start = self.pos;
            let key = self.out.push_key(&self.text[start..start + len]);
            self.pos += len;
            self.push(
                start,
                self.pos,
                TokenKind::Number,
                Script::Digit,
                Flags::NONE,
                key,
            );
            return true;
        }
        let text = self.text;
        let pos = self.pos;
        let Some(typed) = self.typed().numeric_at(&text[pos..]) else {
            return false;
        };
        let key = self.out.push_key(&typed.key);
        let start = self.pos;
        self.pos += typed.len;
        self.push(start, self.pos, typed.kind, Script::Digit, Flags::NONE, key);
        true
    }

    fn link(&mut self) -> bool {
        let rest = &self.text[self.pos..];
        let chunk_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let chunk = &rest[..chunk_end];
        if !(chunk.contains('@') || has_dot_letter(chunk.as_bytes())) {
            return false;
        }
        let Some(typed) = self.typed().link_at(chunk) else {
            return false;
        };
        let key = self.out.push_key(&typed.key);
        let start = self.pos;
        self.pos += typed.len;
        self.push(start, self.pos, typed.kind, Script::Other, Flags::NONE, key);
        true
    }

    fn emoji(&mut self) {
        let start = self.pos;
        let key_start = self.out.keys.len() as u32;
        let len = emoji::scan_emoji(&self.text[start..], &mut self.out.keys);
        let key = key_start..self.out.keys.len() as u32;
        self.pos += len.max(1);
        self.push(
            start,
            self.pos,
            TokenKind::Emoji,
            Script::Emoji,
            Flags::NONE,
            key,
        );
    }

    fn emoticon(&mut self) -> bool {
        let Some((len, key, repeated)) =
            emoji::scan_emoticon(&self.text[self.pos..], || self.prev_char())
        else {
            return false;
        };
        let key = self.out.push_key(key);
        let start = self.pos;
        self.pos += len;
        let flags = if repeated {
            Flags::ELONGATED
        } else {
            Flags::NONE
        };
        self.push(
            start,
            self.pos,
            TokenKind::Emoticon,
            Script::Emoji,
            flags,
            key,
        );
        true
    }

    fn punct(&mut self) {
        let start = self.pos;
        let c = self.text[start..]
            .chars()
            .next()
            .expect("pos is on a char boundary");
        let mut end = start + c.len_utf8();
        let mut run = 1;
        if c.is_ascii() {
            let bytes = self.text.as_bytes();
            while bytes.get(end) == Some(&(c as u8)) {
                end += 1;
                run += 1;
            }
        } else {
            while self.text[end..].starts_with(c) {
                end += c.len_utf8();
                run += 1;
            }
        }
        let quote = hebrew::quote_kind(c);
        if matches!(c, '.' | '!' | '?') {
            self.open_quote = false;
        } else if run == 1 && quote == Some(Quote::Single) {
            // A single quote between a space (or the start) and a letter opens a quotation.
            let after_space = self.text[..start]
                .chars()
                .next_back()
                .is_none_or(char::is_whitespace);
            let before_letter = self.text[end..]
                .chars()
                .next()
                .is_some_and(|n| n.is_alphabetic());
            if after_space && before_letter {
                self.open_quote = true;
            }
        }
        let folded = quote.map_or(c, Quote::folded);
        let key_start = self.out.keys.len() as u32;
        for _ in 0..run {
            self.out.keys.push(folded);
        }
        let key = key_start..self.out.keys.len() as u32;
        // A space after it is passed over here rather than by another turn of `run`.
        self.pos = end + usize::from(self.text.as_bytes().get(end) == Some(&b' '));
        let flags = if run >= 3 {
            Flags::ELONGATED
        } else {
            Flags::NONE
        };
        self.push(start, end, TokenKind::Punct, Script::Other, flags, key);
    }

    /// Scans a word from `pos`: letters of one script, the marks and ignorable characters inside it,
    /// quote marks between Hebrew letters (acronyms) or after them (abbreviations), apostrophes
    /// between Latin letters, and dots between single Hebrew letters (ת.ז).
    fn word(&mut self) {
        let text = self.text;
        let start = self.pos;
        let bytes = text.as_bytes();
        let (first, script) = match bytes[start] {
            0xD7 if bytes
                .get(start + 1)
                .is_some_and(|n| (0x90..=0xAA).contains(n)) =>
            {
                ('\u{05D0}', WordScript::Hebrew)
            }
            b if b.is_ascii_alphanumeric() => (b as char, WordScript::Latin),
            _ => {
                let c = text[start..]
                    .chars()
                    .next()
                    .expect("pos is on a char boundary");
                (c, word_script(c).unwrap_or(WordScript::Other))
            }
        };
        let mut end = start;
        let mut i = start;
        let mut flags = Flags::NONE;
        let mut dotted = false;
        let mut run_letters = 0usize;
        let mut total_letters = 0usize;
        // What `hebrew_word` and `latin_word` need of a word that is one run of plain Hebrew letters
        // or of ASCII letters and digits, gathered while the first run is scanned; and where that
        // run ends.
        let mut plain = PlainHebrew::new();
        let mut ascii = AsciiWord::default();
        let mut first_run_end = start;
        while i < text.len() {
            // Fast paths: runs of Hebrew letters (D7 90–D7 AA) and of ASCII letters and digits.
            let run_start = i;
            match script {
                WordScript::Hebrew => {
                    if run_start == start {
                        while i + 1 < bytes.len()
                            && bytes[i] == 0xD7
                            && (0x90..=0xAA).contains(&bytes[i + 1])
                        {
                            plain.add(bytes[i + 1], (i - start) / 2);
                            i += 2;
                        }
                        first_run_end = i;
                    } else {
                        while i + 1 < bytes.len()
                            && bytes[i] == 0xD7
                            && (0x90..=0xAA).contains(&bytes[i + 1])
                        {
                            i += 2;
                        }
                    }
                    let letters = (i - run_start) / 2;
                    run_letters += letters;
                    total_letters += letters;
                }
                WordScript::Latin => {
                    if run_start == start {
                        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                            ascii.add(bytes[i]);
                            i += 1;
                        }
                        first_run_end = i;
                    } else {
                        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                            i += 1;
                        }
                    }
                    // A run of letters and digits from an ASCII letter, followed by a character
                    // that URLs, e-mail addresses and domains continue with, may start a link.
                    if run_start == start
                        && bytes[start].is_ascii_alphabetic()
                        && matches!(
                            bytes.get(i),
                            Some(b'.' | b'@' | b':' | b'/' | b'_' | b'+' | b'%' | b'-')
                        )
                        && self.link()
                    {
                        return;
                    }
                    run_letters += i - run_start;
                    total_letters += i - run_start;
                }
                WordScript::Other => {}
            }
            if i > run_start {
                end = i;
                // After a run, an ASCII byte ends the word unless it is a quote mark (acronyms,
                // abbreviations, apostrophes) or, in Hebrew, a dot (ת.ז).
                match bytes.get(i) {
                    None | Some(b' ') => break,
                    Some(&b)
                        if b < 0x80
                            && !matches!(
                                (script, b),
                                (_, b'\'' | b'`') | (WordScript::Hebrew, b'"' | b'.')
                            ) =>
                    {
                        break;
                    }
                    _ => {}
                }
            }
            let c = text[i..].chars().next().expect("i is on a char boundary");
            let len = c.len_utf8();
            let same_script = match script {
                WordScript::Hebrew => hebrew::is_letter(c) || hebrew::is_presentation_form(c),
                WordScript::Latin => c.is_ascii_alphanumeric() || is_latin_letter(c),
                WordScript::Other => {
                    c.is_alphanumeric()
                        && !hebrew::is_letter(c)
                        && !hebrew::is_mark(c)
                        && !is_combining(c)
                        && !c.is_ascii_alphanumeric()
                        && !is_latin_letter(c)
                }
            };
            if same_script {
                i += len;
                end = i;
                run_letters += 1;
                total_letters += 1;
                continue;
            }
            if end == i && (hebrew::is_mark(c) || is_combining(c)) {
                if hebrew::is_mark(c) {
                    flags.insert(Flags::POINTED);
                }
                i += len;
                end = i;
                continue;
            }
            if is_ignorable(c) {
                i += len;
                continue;
            }
            let next = text[i + len..].chars().next();
            if let Some(q) = hebrew::quote_kind(c)
                && end == i
            {
                match script {
                    WordScript::Hebrew => {
                        if next.is_some_and(hebrew::is_letter) {
                            flags.insert(Flags::ACRONYM);
                            i += len;
                            run_letters = 0;
                            continue;
                        }
                        let opened_by_quote = text[..start]
                            .chars()
                            .next_back()
                            .and_then(hebrew::quote_kind)
                            .is_some();
                        if q == Quote::Single && self.open_quote {
                            // The quote closes a quotation ('שירות מעולה'): not part of the word.
                            self.open_quote = false;
                            break;
                        }
                        if q == Quote::Single
                            && !opened_by_quote
                            && total_letters <= 5
                            && !flags.contains(Flags::ACRONYM)
                        {
                            flags.insert(Flags::ABBREVIATION);
                            end = i + len;
                        }
                        break;
                    }
                    WordScript::Latin
                        if q == Quote::Single && next.is_some_and(|n| n.is_ascii_alphabetic()) =>
                    {
                        i += len;
                        continue;
                    }
                    _ => break,
                }
            }
            if c == '.'
                && script == WordScript::Hebrew
                && end == i
                && run_letters == 1
                && next.is_some_and(hebrew::is_letter)
            {
                // ת.ז, ע.ד: single letters joined by dots form one acronym.
                let after = text[i + len..].chars().nth(1);
                if !after.is_some_and(hebrew::is_letter) {
                    dotted = true;
                    flags.insert(Flags::ACRONYM);
                    i += len;
                    run_letters = 0;
                    continue;
                }
            }
            break;
        }
        if end == start {
            // Defensive: never loop without progress.
            end = start + first.len_utf8();
        }
        if script == WordScript::Hebrew && end == start + 2 && flags.is_empty() {
            let spaced = spaced_letters_end(bytes, end);
            if spaced > end {
                end = spaced;
                flags.insert(Flags::SPACED);
            }
        }
        // A space after the word is passed over here rather than by another turn of `run`.
        self.pos = end + usize::from(bytes.get(end) == Some(&b' '));
        match script {
            WordScript::Hebrew => {
                let plain = (end == first_run_end).then_some(plain);
                self.hebrew_word(start, end, flags, dotted, plain)
            }
            WordScript::Latin => {
                let ascii = (end == first_run_end).then_some(ascii);
                self.latin_word(start, end, flags, ascii)
            }
            WordScript::Other => self.other_word(start, end, flags),
        }
    }

    /// `plain`: what the scan found when the word is one run of plain letters (D7 90–D7 AA).
    fn hebrew_word(
        &mut self,
        start: usize,
        end: usize,
        mut flags: Flags,
        dotted: bool,
        plain: Option<PlainHebrew>,
    ) {
        let surface = &self.text[start..end];
        let key_start = self.out.keys.len();
        let bytes = surface.as_bytes();
        let plain = plain.filter(|_| flags.is_empty() && !dotted);
        let (laughter, elongated) = if let Some(PlainHebrew {
            first_final,
            triple,
            only_laugh,
            het,
            ..
        }) = plain
        {
            self.out.keys.push_str(surface);
            if let Some(first_final) = first_final {
                self.out.keys.truncate(key_start + first_final * 2);
                for c in surface[first_final * 2..].chars() {
                    self.out.keys.push(hebrew::fold_final(c));
                }
            }
            let letters = bytes.len() / 2;
            let laughter = only_laugh
                && ((letters >= 3 && (het >= 2 || het == 0)) || (letters == 2 && het == 2));
            (laughter, triple)
        } else {
            for c in surface.chars() {
                // Spaces only ever stand inside a word spelled out letter by letter.
                if hebrew::is_mark(c) || is_ignorable(c) || c == '.' || c == ' ' {
                    continue;
                }
                hebrew::push_key_char(c, &mut self.out.keys);
            }
            if dotted {
                // ת.ז → ת"ז, the form the same acronym takes with gershayim.
                let letters: Vec<char> = self.out.keys[key_start..].chars().collect();
                self.out.keys.truncate(key_start);
                for (n, c) in letters.iter().enumerate() {
                    if n + 1 == letters.len() && n > 0 {
                        self.out.keys.push('"');
                    }
                    self.out.keys.push(*c);
                }
            }
            if self.out.keys.len() == key_start {
                // Nothing survived normalisation: the surface itself is the key.
                self.out.keys.push_str(surface);
            }
            (hebrew::is_laughter(&self.out.keys[key_start..]), true)
        };
        let mut key = key_start as u32..self.out.keys.len() as u32;
        let mut alt = 0..0;
        if laughter {
            self.out.keys.truncate(key_start);
            key = self.out.push_key("חחח");
            flags.insert(Flags::LAUGHTER);
        } else if elongated
            && let Some((one, two)) =
                fold_elongation(&self.out.keys[key_start..], &mut self.out.scratch)
        {
            flags.insert(Flags::ELONGATED);
            self.out.keys.truncate(key_start);
            key = self.out.push_key(&one);
            alt = self.out.push_key(&two);
        }
        // Prefix letters glued to a Latin word or number: הwifi, ב-50.
        let rest = &self.text[end..];
        let mut rest_chars = rest.chars();
        let next = rest_chars.next();
        let glued = next.is_some_and(|c| c.is_ascii_alphanumeric())
            || (matches!(next, Some('-' | '\u{05BE}'))
                && rest_chars.next().is_some_and(|c| c.is_ascii_alphanumeric()));
        if glued
            && hebrew::LEGAL_PREFIXES
                .binary_search(&self.out.slice(&key))
                .is_ok()
        {
            flags.insert(Flags::PREFIX_ONLY);
        }
        self.out.tokens.push(Token {
            start,
            end,
            kind: TokenKind::Word,
            script: Script::Hebrew,
            flags,
            key,
            alt,
            stem: 0..0,
        });
    }

    /// `scanned`: what the scan found when the word is one run of ASCII letters and digits.
    fn latin_word(
        &mut self,
        start: usize,
        end: usize,
        mut flags: Flags,
        scanned: Option<AsciiWord>,
    ) {
        let surface = &self.text[start..end];
        let key_start = self.out.keys.len();
        let ascii = scanned.is_some() || surface.is_ascii();
        // For ASCII words one pass also finds what the later steps look for: an apostrophe or a
        // trailing "nt" (contractions), a letter repeated three times (elongation). Other words
        // are checked for both in full.
        let (letters, upper, apostrophe, triple) = if ascii {
            let stats = scanned.unwrap_or_else(|| {
                let mut stats = AsciiWord::default();
                surface.bytes().for_each(|b| stats.add(b));
                stats
            });
            self.out.keys.push_str(surface);
            if stats.upper > 0 {
                self.out.keys[key_start..].make_ascii_lowercase();
            }
            (stats.letters, stats.upper, stats.apostrophe, stats.triple)
        } else {
            let (mut letters, mut upper) = (0usize, 0usize);
            self.out.scratch.clear();
            for c in surface.chars() {
                if is_ignorable(c) {
                    continue;
                }
                if c.is_alphabetic() {
                    letters += 1;
                    if c.is_uppercase() {
                        upper += 1;
                    }
                }
                match hebrew::quote_kind(c) {
                    Some(q) => self.out.scratch.push(q.folded()),
                    None => self.out.scratch.push(c),
                }
            }
            for c in self.out.scratch.nfkc() {
                for l in c.to_lowercase() {
                    self.out.keys.push(l);
                }
            }
            (letters, upper, true, true)
        };
        if letters >= 2 && upper == letters {
            flags.insert(Flags::ALL_CAPS);
        }
        let all_digits = letters == 0;
        // Contractions: the key and the surface have the same character layout when the surface is
        // ASCII or only its apostrophe is typographic.
        let may_split = apostrophe || {
            let key = &self.out.keys[key_start..];
            key.ends_with("nt") || key == "cannot"
        };
        if may_split
            && let Some(split) = english::split(&self.out.keys[key_start..])
            && (ascii || surface.chars().count() == self.out.keys[key_start..].chars().count())
        {
            let base_chars = self.out.keys[key_start..key_start + split.base_len]
                .chars()
                .count();
            let surface_split = surface
                .char_indices()
                .nth(base_chars)
                .map_or(surface.len(), |(i, _)| i);
            self.out.keys.truncate(key_start);
            let base_key = self.out.push_key(&split.base_key);
            self.push_latin(start, start + surface_split, flags, base_key, 0..0);
            if let Some(clitic) = split.clitic {
                let key = self.out.push_key(clitic);
                let mut clitic_flags = Flags::CLITIC;
                if clitic == "not" {
                    clitic_flags.insert(Flags::NEGATOR);
                }
                self.push_latin(start + surface_split, end, clitic_flags, key, 0..0);
            }
            return;
        }
        let mut key = key_start as u32..self.out.keys.len() as u32;
        let mut alt = 0..0;
        let folded = if triple {
            fold_elongation(&self.out.keys[key_start..], &mut self.out.scratch)
        } else {
            None
        };
        let single = folded
            .as_ref()
            .map_or(&self.out.keys[key_start..], |(one, _)| one.as_str());
        if let Some(laugh) = english::laughter_key(single) {
            self.out.keys.truncate(key_start);
            key = self.out.push_key(laugh);
            flags.insert(Flags::LAUGHTER);
        } else if let Some((one, two)) = folded {
            flags.insert(Flags::ELONGATED);
            self.out.keys.truncate(key_start);
            key = self.out.push_key(&two);
            alt = self.out.push_key(&one);
        }
        if all_digits {
            self.out.tokens.push(Token {
                start,
                end,
                kind: TokenKind::Number,
                script: Script::Digit,
                flags,
                key,
                alt,
                stem: 0..0,
            });
        } else {
            self.push_latin(start, end, flags, key, alt);
        }
    }

    fn push_latin(
        &mut self,
        start: usize,
        end: usize,
        flags: Flags,
        key: Range<u32>,
        alt: Range<u32>,
    ) {
        let stem = if self.inner.stems
            && !flags.contains(Flags::LAUGHTER)
            && !flags.contains(Flags::CLITIC)
        {
            self.stem_range(&key)
        } else {
            0..0
        };
        self.out.tokens.push(Token {
            start,
            end,
            kind: TokenKind::Word,
            script: Script::Latin,
            flags,
            key,
            alt,
            stem,
        });
    }

    /// The stem of the key in `key`, appended to the arena (empty range when it equals the key).
    fn stem_range(&mut self, key: &Range<u32>) -> Range<u32> {
        let Analysis {
            keys, stem_cache, ..
        } = &mut *self.out;
        let word = &keys[key.start as usize..key.end as usize];
        if word.len() < 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
            return 0..0;
        }
        let packed = PackedKey::new(word);
        if let Some(packed) = &packed
            && let Some(stem) = stem_cache.0.get(packed)
        {
            if stem.len == PackedStem::SAME {
                return 0..0;
            }
            if stem.prefix {
                return key.start..key.start + u32::from(stem.len);
            }
            let start = keys.len() as u32;
            // Stems of ASCII words are ASCII: any byte boundary is a char boundary.
            keys.push_str(std::str::from_utf8(&stem.bytes[..usize::from(stem.len)]).unwrap_or(""));
            return start..keys.len() as u32;
        }
        let stem = self.inner.stemmer.stem(word);
        let same = stem == word;
        let prefix = !same && word.starts_with(&*stem);
        if let Some(packed) = &packed
            && stem.len() <= PACKED_KEY
        {
            let mut cached = PackedStem {
                bytes: [0; PACKED_KEY],
                len: PackedStem::SAME,
                prefix,
            };
            if !same {
                cached.len = stem.len() as u8;
                if !prefix {
                    cached.bytes[..stem.len()].copy_from_slice(stem.as_bytes());
                }
            }
            stem_cache.0.insert(packed, cached);
        }
        if same {
            return 0..0;
        }
        if prefix {
            return key.start..key.start + stem.len() as u32;
        }
        let stem = stem.into_owned();
        let start = keys.len() as u32;
        keys.push_str(&stem);
        start..keys.len() as u32
    }

    fn other_word(&mut self, start: usize, end: usize, flags: Flags) {
        let surface = &self.text[start..end];
        let key_start = self.out.keys.len() as u32;
        for c in surface.nfkc() {
            if is_ignorable(c) || is_combining(c) {
                continue;
            }
            for l in c.to_lowercase() {
                self.out.keys.push(l);
            }
        }
        if self.out.keys.len() as u32 == key_start {
            // Nothing survived normalisation: the surface itself is the key.
            self.out.keys.push_str(surface);
        }
        let key = key_start..self.out.keys.len() as u32;
        let script = if surface.chars().all(|c| c.is_numeric() || is_ignorable(c)) {
            Script::Digit
        } else {
            Script::Other
        };
        let kind = if script == Script::Digit {
            TokenKind::Number
        } else {
            TokenKind::Word
        };
        self.push(start, end, kind, script, flags, key);
    }
}

/// Whether some character repeats three times in a row (compared as bytes: a repeated one-byte
/// character is three equal bytes, a repeated two-byte one six bytes in two-byte steps). A cheap
/// filter before [`fold_elongation`] does the exact work.
/// Where a word spelled out letter by letter ends, given the end of its first letter: three or more
/// single Hebrew letters, each after one space ("ב ה צ ל ח ה"); `first_end` itself when there is
/// no such run. A letter followed by another letter ends the run before it ("ב ה צלחה" is three
/// words).
fn spaced_letters_end(b: &[u8], first_end: usize) -> usize {
    let letter_at = |k: usize| {
        b.get(k) == Some(&0xD7) && b.get(k + 1).is_some_and(|n| (0x90..=0xAA).contains(n))
    };
    let mut end = first_end;
    let mut letters = 1;
    while b.get(end) == Some(&b' ') && letter_at(end + 1) && !letter_at(end + 3) {
        end += 3;
        letters += 1;
    }
    if letters >= 3 { end } else { first_end }
}

fn has_triple(b: &[u8]) -> bool {
    // One pass: three equal bytes in a row (a one-byte character), or three equal two-byte
    // sequences in a row (a Hebrew letter). Longer characters are checked exactly.
    if b.is_ascii() {
        return b.windows(3).any(|w| w[0] == w[1] && w[1] == w[2]);
    }
    if b.len().is_multiple_of(2) && b.iter().step_by(2).all(|&x| x == 0xD7) {
        // Hebrew letters only: compare the second bytes of consecutive letters.
        return (5..b.len())
            .step_by(2)
            .any(|i| b[i] == b[i - 2] && b[i] == b[i - 4]);
    }
    for i in 2..b.len() {
        if b[i] == b[i - 1] && b[i] == b[i - 2] {
            return true;
        }
        if i >= 5
            && b[i] == b[i - 2]
            && b[i] == b[i - 4]
            && b[i - 1] == b[i - 3]
            && b[i - 1] == b[i - 5]
        {
            return true;
        }
    }
    b.len() >= 9 && b.iter().any(|&x| x >= 0xE0) && key_has_char_triple(b)
}

fn key_has_char_triple(b: &[u8]) -> bool {
    let s = std::str::from_utf8(b).unwrap_or("");
    let mut chars = s.chars();
    let (mut a, mut c) = (chars.next(), chars.next());
    for d in chars {
        if a == c && Some(d) == c {
            return true;
        }
        a = c;
        c = Some(d);
    }
    false
}

/// When `key` has a run of three or more identical letters, the key with every such run folded to
/// one letter and to two letters: `gooood` → (`god`, `good`); `מעולללה` → (`מעולה`, `מעוללה`).
fn fold_elongation(key: &str, scratch: &mut String) -> Option<(String, String)> {
    if !has_triple(key.as_bytes()) {
        return None;
    }
    let mut prev = None;
    let mut run = 0;
    let mut elongated = false;
    for c in key.chars() {
        if Some(c) == prev {
            run += 1;
            if run >= 3 && c.is_alphabetic() {
                elongated = true;
                break;
            }
        } else {
            prev = Some(c);
            run = 1;
        }
    }
    if !elongated {
        return None;
    }
    let fold = |limit: usize, out: &mut String| {
        out.clear();
        let chars: Vec<char> = key.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let mut j = i;
            while j < chars.len() && chars[j] == c {
                j += 1;
            }
            let keep = if j - i >= 3 && c.is_alphabetic() {
                limit
            } else {
                j - i
            };
            for _ in 0..keep {
                out.push(c);
            }
            i = j;
        }
        out.clone()
    };
    let one = fold(1, scratch);
    let two = fold(2, scratch);
    Some((one, two))
}

#[cfg(test)]
mod tests;
