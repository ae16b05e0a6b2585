//! The matcher: an [`Analysis`] in, [`Hit`]s out.
//!
//! Each token is resolved to one vocabulary word (or to none), the word ids make a byte haystack
//! with a separator before every token, and the lexicon's automaton reports every pattern
//! occurrence in it, overlapping ones included. Each occurrence is verified word by word on the
//! tokens — the verification is the authority on `exact`, `noprefix`, and how each word was read —
//! and anchored entries (gaps) are extended on the tokens. Per group, the verified candidates are
//! then chosen leftmost-longest without overlap: at a position the longest span wins, then the
//! plainest reading (no prefix, alternative or wildcard), then the entry with more words, then the
//! earlier line; entries of different labels with the same span and reading are all kept (a phrase
//! can be both a billing and a refund complaint). Across the complaint and churn groups, a loose hit
//! (one word, or words across a gap) inside a phrase of the other group is dropped: "מחלקת ניתוקים"
//! is the retention desk, not dropped connections.

use std::ops::Range;

use super::compile::{Compiled, NONE, Target, encode};
use super::{Entry, EntryFlags, EntryId, EntryWord, Group, Inner, LabelId, WordClass, WordId};
use crate::analyze::{Analysis, Flags, Script, Token, TokenKind, hebrew};
use crate::hash::{InlineMap, PackedKey};

/// How a token was read to match a lexicon word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Reading {
    /// Bytes of Hebrew prefix letters stripped from the front of the key (of the alternative key
    /// when `alt` is set); 0 when none were.
    pub prefix_len: u8,
    /// The elongation alternative was used (`מעוללה` for `מעולללה`, `god` for `goooood`).
    pub alt: bool,
    /// A `word*` wildcard matched.
    pub wildcard: bool,
}

impl Reading {
    /// The token as it is: its key (an English word's stem), nothing stripped or folded.
    pub const PLAIN: Reading = Reading {
        prefix_len: 0,
        alt: false,
        wildcard: false,
    };

    /// Whether nothing was stripped, folded or wildcarded.
    pub fn is_plain(self) -> bool {
        self == Reading::PLAIN
    }

    /// The prefix letters stripped (`וה` of `והביטול`), if any.
    pub fn prefix<'a>(self, analysis: &'a Analysis, token: &Token) -> Option<&'a str> {
        if self.prefix_len == 0 {
            return None;
        }
        let form = if self.alt {
            analysis.alt_key(token)?
        } else {
            analysis.key(token)
        };
        form.get(..self.prefix_len as usize)
    }

    /// How far from a plain match: prefers plain readings over alternatives, prefixes and wildcards.
    fn penalty(self) -> u32 {
        u32::from(self.alt) + 2 * u32::from(self.prefix_len > 0) + 4 * u32::from(self.wildcard)
    }
}

/// How the matcher resolved one token before matching.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TokenForm {
    /// Not a lexicon word.
    #[default]
    Unknown,
    /// Punctuation the lexicon does not use: no phrase spans it.
    Barrier,
    /// Hebrew prefix letters glued to a Latin word or number (ה of הwifi): passed over.
    Skipped,
    /// A lexicon word ([`super::Lexicon::word`]), read as described.
    Known {
        /// The word.
        word: WordId,
        /// How the token was read as that word.
        reading: Reading,
    },
}

/// One word of a hit: the token that matched it and how it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct WordMatch {
    /// The token's index in the analysis.
    pub token: usize,
    /// How it was read.
    pub reading: Reading,
}

/// One occurrence of a lexicon entry in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The entry ([`super::Lexicon::entry`]: label, weight, flags, `file:line`, phrase).
    pub entry: EntryId,
    /// The entry's label ([`super::Lexicon::label`]).
    pub label: LabelId,
    /// The entry's group (hits of one group never overlap).
    pub group: Group,
    /// The tokens covered, from the first word's token to the last word's (gap tokens included).
    pub tokens: Range<usize>,
    /// Byte offset of the hit's start in the original text.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// Its words' matches, as a range of [`Matches::word_matches`] (one per entry word, in order);
    /// [`Matches::words`] gives the slice.
    pub words: Range<usize>,
}

/// A verified occurrence, before the choice per group.
#[derive(Debug, Clone)]
struct Candidate {
    group: Group,
    start: u32,
    end: u32,
    penalty: u32,
    word_count: u32,
    entry: u32,
    label: LabelId,
    words: Range<u32>,
}

/// Slots of the per-thread resolution cache (half of them used at most) before it starts over.
const CACHE_LIMIT: usize = 1 << 17;

/// What the main loop needs to know of a resolved token's word.
struct WordBits;

impl WordBits {
    /// The word has single-word targets.
    const DIRECT: u8 = 1;
    /// The word occurs in a pattern of the automaton.
    const IN_PHRASE: u8 = 2;

    #[inline]
    fn of(c: &Compiled, form: TokenForm) -> u8 {
        match form {
            TokenForm::Known { word, .. } => {
                let info = c.word_info[word.0 as usize];
                (if info.len > 0 { WordBits::DIRECT } else { 0 })
                    | (if info.in_phrase {
                        WordBits::IN_PHRASE
                    } else {
                        0
                    })
            }
            _ => 0,
        }
    }
}

/// Key → resolved form and [`WordBits`], per thread, for the lexicon it was filled from. Keys
/// longer than [`crate::hash::PACKED_KEY`] bytes (0.3% of the tokens of a generated corpus) are resolved every
/// time.
#[derive(Debug, Clone)]
struct ResolutionCache {
    map: InlineMap<(TokenForm, u8)>,
    /// The lexicon the forms belong to.
    owner: u64,
}

impl Default for ResolutionCache {
    fn default() -> Self {
        ResolutionCache {
            map: InlineMap::with_limit(CACHE_LIMIT),
            owner: 0,
        }
    }
}

/// The hits found in one text, and the buffers that find them. Reuse one per thread with
/// [`super::Lexicon::find_into`]; after warming up, matching allocates nothing.
#[derive(Debug, Default, Clone)]
pub struct Matches {
    hits: Vec<Hit>,
    words: Vec<WordMatch>,
    forms: Vec<TokenForm>,
    haystack: Vec<u8>,
    slot_tokens: Vec<u32>,
    candidates: Vec<Candidate>,
    candidate_words: Vec<WordMatch>,
    /// Tokens whose word has single-word targets.
    direct: Vec<u32>,
    /// Anchored entries already verified from the current anchor.
    verified: Vec<u32>,
    /// Key → resolved form, for Hebrew and Latin words without an elongation alternative.
    cache: ResolutionCache,
}

impl Matches {
    /// Empty buffers.
    pub fn new() -> Matches {
        Matches::default()
    }

    /// The hits, in text order (by first token, longer first, then group).
    pub fn hits(&self) -> &[Hit] {
        &self.hits
    }

    /// Number of hits.
    pub fn len(&self) -> usize {
        self.hits.len()
    }

    /// Whether there are no hits.
    pub fn is_empty(&self) -> bool {
        self.hits.is_empty()
    }

    /// The word matches of one hit.
    pub fn words(&self, hit: &Hit) -> &[WordMatch] {
        &self.words[hit.words.clone()]
    }

    /// Every hit's word matches, one after the other.
    pub fn word_matches(&self) -> &[WordMatch] {
        &self.words
    }

    /// How each token of the analysis was resolved (one per token).
    pub fn token_forms(&self) -> &[TokenForm] {
        &self.forms
    }

    fn clear(&mut self) {
        self.hits.clear();
        self.words.clear();
        self.forms.clear();
        self.haystack.clear();
        self.slot_tokens.clear();
        self.candidates.clear();
        self.candidate_words.clear();
        self.direct.clear();
        self.verified.clear();
    }
}

#[inline]
fn known(id: u32, reading: Reading) -> TokenForm {
    TokenForm::Known {
        word: WordId(id),
        reading,
    }
}

pub(crate) fn find_into(inner: &Inner, analysis: &Analysis, out: &mut Matches) {
    out.clear();
    if out.cache.owner != inner.build_id {
        out.cache.map.clear();
        out.cache.owner = inner.build_id;
    }
    let c = &inner.compiled;
    let tokens = analysis.tokens();
    let mut previous_none = false;
    let mut any_phrase = false;
    for (i, t) in tokens.iter().enumerate() {
        let (form, bits) = if mention_sign(analysis, tokens, i) {
            (TokenForm::Skipped, 0)
        } else {
            resolve(inner, analysis, t, &mut out.cache)
        };
        out.forms.push(form);
        if bits & WordBits::DIRECT != 0 {
            out.direct.push(i as u32);
        }
        let word = match form {
            TokenForm::Skipped => continue,
            TokenForm::Known { word, .. } if bits & WordBits::IN_PHRASE != 0 => Some(word),
            _ => None,
        };
        match word {
            Some(word) => {
                encode(word.0, c.width, &mut out.haystack);
                out.slot_tokens.push(i as u32);
                previous_none = false;
                any_phrase = true;
            }
            // Runs of tokens that no pattern contains are one slot: no pattern spans them either way.
            None if !previous_none => {
                encode(NONE, c.width, &mut out.haystack);
                out.slot_tokens.push(i as u32);
                previous_none = true;
            }
            None => {}
        }
    }
    let Matches {
        haystack,
        slot_tokens,
        forms,
        direct,
        candidates,
        candidate_words,
        verified,
        ..
    } = out;
    let mut found = Found {
        inner,
        analysis,
        forms,
        candidates,
        candidate_words,
        verified,
    };
    for &i in direct.iter() {
        let TokenForm::Known { word, .. } = found.forms[i as usize] else {
            continue;
        };
        let info = c.word_info[word.0 as usize];
        for &target in &c.targets[info.from as usize..(info.from + info.len) as usize] {
            if target.has(Target::ANCHOR) {
                found.anchored(target.entry, i as usize);
            } else {
                found.contiguous(target, std::slice::from_ref(&i));
            }
        }
    }
    if any_phrase {
        let slot = c.width;
        for m in c.automaton.find_overlapping_iter(haystack.as_slice()) {
            let first = m.start() / slot;
            let slots = (m.end() - m.start()) / slot;
            let (from, len) = c.pattern_targets[m.pattern().as_usize()];
            for &target in &c.targets[from as usize..(from + len) as usize] {
                found.contiguous(target, &slot_tokens[first..first + slots]);
            }
        }
    }
    select(analysis, out);
}

/// Whether token `i` is the `@` of a mention ("cancel my @comcast account"): glued to the word
/// after it, it is passed over like a prefix, so that a phrase spans the mention as a word.
fn mention_sign(analysis: &Analysis, tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    t.kind == TokenKind::Punct
        && analysis.key(t) == "@"
        && tokens
            .get(i + 1)
            .is_some_and(|next| next.start == t.end && next.kind == TokenKind::Word)
}

/// Verified occurrences, as they are found.
struct Found<'a> {
    inner: &'a Inner,
    analysis: &'a Analysis,
    forms: &'a [TokenForm],
    candidates: &'a mut Vec<Candidate>,
    candidate_words: &'a mut Vec<WordMatch>,
    /// Anchored entries already verified from the current anchor.
    verified: &'a mut Vec<u32>,
}

impl Found<'_> {
    /// Verifies a pattern's target whose words stand at `tokens`, one token per word.
    fn contiguous(&mut self, target: Target, tokens: &[u32]) {
        let words_start = self.candidate_words.len();
        let ok = if target.has(Target::BASE) && !target.has(Target::STRICT) {
            // The entry's own words, with no flag to check: each token's reading is its word's.
            for &token in tokens {
                if let TokenForm::Known { reading, .. } = self.forms[token as usize] {
                    self.candidate_words.push(WordMatch {
                        token: token as usize,
                        reading,
                    });
                }
            }
            true
        } else {
            let inner = self.inner;
            let entry = &inner.entries[target.entry as usize];
            tokens.iter().zip(entry.words.iter()).all(|(&token, w)| {
                let token = token as usize;
                let reading = fast_reading(w, &entry.flags, self.forms[token]).or_else(|| {
                    word_reading(
                        inner,
                        w,
                        &entry.flags,
                        self.analysis,
                        &self.analysis.tokens()[token],
                    )
                });
                match reading {
                    Some(reading) => {
                        self.candidate_words.push(WordMatch { token, reading });
                        true
                    }
                    None => false,
                }
            })
        };
        if ok {
            self.push(target.entry, target.label, target.group, words_start);
        } else {
            self.candidate_words.truncate(words_start);
        }
    }

    /// Records the candidate whose word matches start at `words_start`.
    fn push(&mut self, entry: u32, label: LabelId, group: Group, words_start: usize) {
        let matched = &self.candidate_words[words_start..];
        self.candidates.push(Candidate {
            group,
            start: matched[0].token as u32,
            end: matched[matched.len() - 1].token as u32 + 1,
            penalty: matched.iter().map(|w| w.reading.penalty()).sum(),
            word_count: matched.len() as u32,
            entry,
            label,
            words: words_start as u32..self.candidate_words.len() as u32,
        });
    }

    /// Verifies the anchored entries whose first word is anchor word `anchor` at token `t0`: those
    /// whose second word accepts one of the next tokens within the largest gap.
    fn anchored(&mut self, anchor: u32, t0: usize) {
        let inner = self.inner;
        let c = &inner.compiled;
        let tokens = self.analysis.tokens();
        self.verified.clear();
        let mut extra = 0usize;
        for (j, token) in tokens.iter().enumerate().skip(t0 + 1) {
            let form = self.forms[j];
            if form == TokenForm::Skipped {
                continue;
            }
            if let TokenForm::Known { word, .. } = form
                && c.word_info[word.0 as usize].second
                && let Some(&(from, len)) = c.anchor_pairs.get(&(anchor, word.0))
            {
                for &e in &c.anchor_entries[from as usize..(from + len) as usize] {
                    let entry = &inner.entries[e as usize];
                    if extra > usize::from(entry.flags.gap) || self.verified.contains(&e) {
                        continue;
                    }
                    self.verified.push(e);
                    let words_start = self.candidate_words.len();
                    let ctx = Anchored {
                        inner,
                        entry,
                        analysis: self.analysis,
                        forms: self.forms,
                    };
                    if ctx.first(t0, self.candidate_words) {
                        self.push(e, entry.label, entry.group, words_start);
                    } else {
                        self.candidate_words.truncate(words_start);
                    }
                }
            }
            if token.kind == TokenKind::Punct {
                break;
            }
            extra += 1;
            if extra > usize::from(super::parse::MAX_GAP) {
                break;
            }
        }
    }
}

/// Drops a loose complaint or churn hit — one word, or words matched across a gap — that lies
/// inside a phrase of the other of these two groups: the phrase says what the words mean there
/// ("מחלקת ניתוקים" is the retention desk, not dropped connections; "filing an FCC complaint" is a
/// threat, not a complaint; "counting down the days" is not `down … days` of an outage). A nested
/// phrase written out word for word has a meaning of its own and stays ("for half the price" is a
/// competitor's offer and a pricing complaint).
fn drop_nested_labels(hits: &mut Vec<Hit>) {
    // The hits are in (group, start) order here, and hits of one group do not overlap: the only
    // one of a group that can hold a hit is the last to start at or before it.
    let run = |hits: &[Hit], g: Group| {
        hits.partition_point(|h| h.group < g)..hits.partition_point(|h| h.group <= g)
    };
    let inside = |h: &Hit, others: &[Hit]| {
        let k = others.partition_point(|o| o.tokens.start <= h.tokens.start);
        k > 0 && {
            let o = &others[k - 1];
            h.tokens.end <= o.tokens.end && o.tokens.len() > h.tokens.len()
        }
    };
    // One word, or words with others between them.
    let loose = |h: &Hit| h.words.len() == 1 || h.tokens.len() > h.words.len();
    loop {
        let (complaint, churn) = (run(hits, Group::Complaint), run(hits, Group::Churn));
        if complaint.is_empty() || churn.is_empty() {
            return;
        }
        let nested = |mine: &std::ops::Range<usize>, other: &std::ops::Range<usize>| {
            mine.clone()
                .find(|&i| loose(&hits[i]) && inside(&hits[i], &hits[other.clone()]))
        };
        match nested(&complaint, &churn).or_else(|| nested(&churn, &complaint)) {
            Some(i) => {
                hits.remove(i);
            }
            None => return,
        }
    }
}

/// Chooses, per group, non-overlapping candidates leftmost-longest, and writes them as hits.
fn select(analysis: &Analysis, out: &mut Matches) {
    let Matches {
        hits,
        words,
        candidates,
        candidate_words,
        ..
    } = out;
    candidates.sort_unstable_by(|a, b| {
        let rank = |c: &Candidate| {
            (
                c.group,
                c.start,
                std::cmp::Reverse(c.end),
                c.penalty,
                std::cmp::Reverse(c.word_count),
                c.entry,
            )
        };
        rank(a).cmp(&rank(b))
    });
    let tokens = analysis.tokens();
    let mut push = |c: &Candidate, hits: &mut Vec<Hit>| {
        let from = words.len();
        words.extend_from_slice(&candidate_words[c.words.start as usize..c.words.end as usize]);
        hits.push(Hit {
            entry: EntryId(c.entry),
            label: c.label,
            group: c.group,
            tokens: c.start as usize..c.end as usize,
            start: tokens[c.start as usize].start,
            end: tokens[c.end as usize - 1].end,
            words: from..words.len(),
        });
    };
    let mut group = None;
    let mut free_from = 0u32;
    // The span and reading chosen last in this group, and where its hits start.
    let mut chosen: Option<(u32, u32, u32, usize)> = None;
    for c in candidates.iter() {
        if group != Some(c.group) {
            group = Some(c.group);
            free_from = 0;
            chosen = None;
        }
        if let Some((start, end, penalty, first_hit)) = chosen
            && c.start == start
            && c.end == end
        {
            let new_label = !hits[first_hit..].iter().any(|h| h.label == c.label);
            if c.penalty == penalty && new_label {
                push(c, hits);
            }
            continue;
        }
        if c.start >= free_from {
            chosen = Some((c.start, c.end, c.penalty, hits.len()));
            free_from = c.end;
            push(c, hits);
        }
    }
    drop_nested_labels(hits);
    hits.sort_by_key(|h| {
        (
            h.tokens.start,
            std::cmp::Reverse(h.tokens.end),
            h.group,
            h.entry,
        )
    });
}

/// Resolves a token to the one form the lexicon knows, with the word's [`WordBits`].
fn resolve(
    inner: &Inner,
    analysis: &Analysis,
    t: &Token,
    cache: &mut ResolutionCache,
) -> (TokenForm, u8) {
    let c = &inner.compiled;
    let key = analysis.key(t);
    let word = t.kind == TokenKind::Word && matches!(t.script, Script::Hebrew | Script::Latin);
    if !word {
        // Punctuation, numbers, emoji, other scripts: by key, and most never need the lookup.
        let form = if c.may_be_other(key) {
            c.words.get(key).map(|&id| known(id, Reading::PLAIN))
        } else {
            None
        };
        let form = match form {
            Some(form) => form,
            None if t.kind == TokenKind::Punct => TokenForm::Barrier,
            None => TokenForm::Unknown,
        };
        return (form, WordBits::of(c, form));
    }
    if t.flags.contains(Flags::PREFIX_ONLY) {
        return (TokenForm::Skipped, 0);
    }
    let alt = analysis.alt_key(t);
    let packed = if alt.is_none() {
        PackedKey::new(key)
    } else {
        None
    };
    if let Some(packed) = &packed
        && let Some(found) = cache.map.get(packed)
    {
        return found;
    }
    let form = if t.script == Script::Hebrew {
        resolve_hebrew(c, key, alt, !t.flags.contains(Flags::LAUGHTER))
    } else {
        resolve_latin(inner, key, analysis.stem(t), alt)
    };
    let bits = WordBits::of(c, form);
    if let Some(packed) = &packed {
        cache.map.insert(packed, (form, bits));
    }
    (form, bits)
}

/// A Hebrew word: its key; else its alternative; else the first prefix reading (shortest prefix
/// first) whose rest is a word that may be prefixed; else a wildcard its key or a reading's rest
/// starts with.
fn resolve_hebrew(c: &Compiled, key: &str, alt: Option<&str>, prefixes: bool) -> TokenForm {
    if let Some(&id) = c.words.get(key) {
        return known(id, Reading::PLAIN);
    }
    let alt_reading = Reading {
        alt: true,
        ..Reading::PLAIN
    };
    if let Some(&id) = alt.and_then(|a| c.words.get(a)) {
        return known(id, alt_reading);
    }
    let prefix_reading = |len: usize| Reading {
        prefix_len: len as u8,
        ..Reading::PLAIN
    };
    if prefixes {
        for r in hebrew::prefix_readings(key) {
            if let Some(&id) = c.words.get(r.rest)
                && c.symbols[id as usize].allows_prefix
            {
                return known(id, prefix_reading(r.prefix.len()));
            }
        }
    }
    if !c.wild.is_empty() {
        let wild = Reading {
            wildcard: true,
            ..Reading::PLAIN
        };
        if let Some(id) = wildcard(c, key) {
            return known(id, wild);
        }
        if prefixes {
            for r in hebrew::prefix_readings(key) {
                if let Some(id) = wildcard(c, r.rest)
                    && c.symbols[id as usize].allows_prefix
                {
                    return known(
                        id,
                        Reading {
                            wildcard: true,
                            ..prefix_reading(r.prefix.len())
                        },
                    );
                }
            }
        }
    }
    TokenForm::Unknown
}

/// A Latin word: its stem; else its alternative's stem; else a wildcard its key starts with.
fn resolve_latin(inner: &Inner, key: &str, stem: &str, alt: Option<&str>) -> TokenForm {
    let c = &inner.compiled;
    if let Some(&id) = c.words.get(stem) {
        return known(id, Reading::PLAIN);
    }
    if let Some(alt) = alt {
        let alt_stem = inner.analyzer.stem(alt);
        if let Some(&id) = c.words.get(alt_stem.as_ref()).or_else(|| c.words.get(alt)) {
            return known(
                id,
                Reading {
                    alt: true,
                    ..Reading::PLAIN
                },
            );
        }
    }
    if let Some(id) = wildcard(c, key) {
        return known(
            id,
            Reading {
                wildcard: true,
                ..Reading::PLAIN
            },
        );
    }
    TokenForm::Unknown
}

/// The longest wildcard prefix `s` starts with.
#[inline]
fn wildcard(c: &Compiled, s: &str) -> Option<u32> {
    c.wild_lens
        .iter()
        .filter(|&&len| len <= s.len() && s.is_char_boundary(len))
        .find_map(|&len| c.wild.get(&s[..len]).copied())
}

/// The reading of a token resolved to the word itself, when no flag needs a closer look: the
/// resolution already found it. (`exact` needs the key, `noprefix` a reading without prefix.)
#[inline]
fn fast_reading(w: &EntryWord, flags: &EntryFlags, form: TokenForm) -> Option<Reading> {
    match form {
        TokenForm::Known { word, reading }
            if word.0 == w.base && !(flags.noprefix && reading.prefix_len > 0) && !w.exact =>
        {
            Some(reading)
        }
        _ => None,
    }
}

/// Whether token `t` matches entry word `w`, and how: the authority on `exact`, `noprefix`, prefix
/// readings, alternatives and wildcards.
fn word_reading(
    inner: &Inner,
    w: &EntryWord,
    flags: &EntryFlags,
    analysis: &Analysis,
    t: &Token,
) -> Option<Reading> {
    let key = analysis.key(t);
    let alt = analysis.alt_key(t);
    let p = &*w.text;
    let plain = Reading::PLAIN;
    let with_alt = Reading { alt: true, ..plain };
    match w.class {
        WordClass::Hebrew => {
            if t.kind != TokenKind::Word || t.script != Script::Hebrew {
                return None;
            }
            let prefixes = !flags.noprefix && !t.flags.contains(Flags::LAUGHTER);
            let fits = |form: &str| {
                if w.wildcard {
                    form.starts_with(p)
                } else {
                    form == p
                }
            };
            let base = Reading {
                wildcard: w.wildcard,
                ..plain
            };
            for (form, reading) in [(Some(key), base), (alt, Reading { alt: true, ..base })] {
                let Some(form) = form else { continue };
                if fits(form) {
                    return Some(reading);
                }
                if !prefixes {
                    continue;
                }
                let prefix_len = if w.wildcard {
                    hebrew::prefix_readings(form)
                        .find(|r| fits(r.rest))
                        .map(|r| r.prefix.len())
                } else {
                    prefix_before(form, p)
                };
                if let Some(len) = prefix_len {
                    return Some(Reading {
                        prefix_len: len as u8,
                        ..reading
                    });
                }
            }
            None
        }
        WordClass::Latin => {
            if t.kind != TokenKind::Word || t.script != Script::Latin {
                return None;
            }
            if w.wildcard {
                let stem = analysis.stem(t);
                let wild = Reading {
                    wildcard: true,
                    ..plain
                };
                if key.starts_with(p) || (!w.exact && stem.starts_with(p)) {
                    return Some(wild);
                }
                return alt
                    .filter(|a| a.starts_with(p))
                    .map(|_| Reading { alt: true, ..wild });
            }
            if w.exact {
                if key == p {
                    return Some(plain);
                }
                return (alt == Some(p)).then_some(with_alt);
            }
            if analysis.stem(t) == p {
                return Some(plain);
            }
            let alt = alt?;
            (alt == p || inner.analyzer.stem(alt) == p).then_some(with_alt)
        }
        WordClass::Other => {
            let word =
                t.kind == TokenKind::Word && matches!(t.script, Script::Hebrew | Script::Latin);
            (!word && key == p).then_some(plain)
        }
    }
}

/// The length of the prefix when `form` is a legal prefix reading with rest `rest`: what
/// [`hebrew::prefix_readings`] would find, with one check instead of a walk.
#[inline]
fn prefix_before(form: &str, rest: &str) -> Option<usize> {
    let len = form.len().checked_sub(rest.len()).filter(|&n| n > 0)?;
    if !form.ends_with(rest) || !form.is_char_boundary(len) {
        return None;
    }
    let prefix = &form[..len];
    let legal = hebrew::LEGAL_PREFIXES.binary_search(&prefix).is_ok();
    (legal && rest.chars().filter(|&c| hebrew::is_letter(c)).count() >= 2).then_some(len)
}

/// An anchored entry (gaps, or too many expansions) verified on the tokens from its first word.
struct Anchored<'a> {
    inner: &'a Inner,
    entry: &'a Entry,
    analysis: &'a Analysis,
    forms: &'a [TokenForm],
}

impl Anchored<'_> {
    /// How token `t` reads as word `w`, if it does.
    fn reading(&self, w: &EntryWord, t: usize) -> Option<Reading> {
        fast_reading(w, &self.entry.flags, self.forms[t]).or_else(|| {
            word_reading(
                self.inner,
                w,
                &self.entry.flags,
                self.analysis,
                &self.analysis.tokens()[t],
            )
        })
    }

    /// Matches the entry's first word at token `t0`, then the rest after it.
    fn first(&self, t0: usize, out: &mut Vec<WordMatch>) -> bool {
        let Some(reading) = self.reading(&self.entry.words[0], t0) else {
            return false;
        };
        out.push(WordMatch { token: t0, reading });
        self.rest(1, t0 + 1, out)
    }

    /// Matches words `k..` from token `from` on, allowing up to `gap` extra tokens before each word;
    /// punctuation that is not the word ends the attempt. Earliest matches first, with backtracking.
    fn rest(&self, k: usize, from: usize, out: &mut Vec<WordMatch>) -> bool {
        let words = &self.entry.words;
        if k == words.len() {
            return true;
        }
        let tokens = self.analysis.tokens();
        let w = &words[k];
        let gap = usize::from(self.entry.flags.gap);
        let mut extra = 0;
        for (j, token) in tokens.iter().enumerate().skip(from) {
            let form = self.forms[j];
            if form == TokenForm::Skipped {
                continue;
            }
            if let TokenForm::Known { word, .. } = form
                && w.accept.binary_search(&word.0).is_ok()
                && let Some(reading) = self.reading(w, j)
            {
                out.push(WordMatch { token: j, reading });
                if self.rest(k + 1, j + 1, out) {
                    return true;
                }
                out.pop();
            }
            if token.kind == TokenKind::Punct {
                return false;
            }
            extra += 1;
            if extra > gap {
                return false;
            }
        }
        false
    }
}
