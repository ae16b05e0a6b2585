//! From lexicon lines to the matcher: entries parsed and validated, phrases analysed into words,
//! duplicates found, the vocabulary interned, patterns expanded and the automaton built.

use std::sync::Arc;

use aho_corasick::{AhoCorasick, MatchKind};

use super::parse::{EntryFlags, fields, parse_flags, parse_weight, strip_comment, suggest};
use super::{
    Entry, EntryWord, FILES, FileKind, FxHashMap, Group, Label, LabelId, ModifierKind, Report,
    SourceLine, WordClass,
};
use crate::analyze::{Analysis, Analyzer, Flags, Lang, Script, TokenKind, hebrew};

/// An entry line that parsed, before its phrase is analysed.
#[derive(Debug)]
pub(crate) struct RawEntry {
    file: usize,
    line: usize,
    phrase: String,
    label: LabelId,
    weight: f32,
    flags: EntryFlags,
}

/// Parses the entry lines of `FILES[file]`, reporting every malformed one.
pub(crate) fn parse_entries(
    file: usize,
    text: &str,
    labels: &[Label],
    taxonomy_labels: usize,
    out: &mut Vec<RawEntry>,
    report: &mut Report,
) {
    let (kind, _) = FileKind::of(file);
    let taxonomy = &labels[..taxonomy_labels];
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        let content = strip_comment(raw);
        if content.is_empty() {
            continue;
        }
        let f = fields(content);
        if f.len() < 3 {
            report.push(
                file,
                line,
                format!(
                    "expected `phrase | label | weight [| flags]`, found {} field{}",
                    f.len(),
                    if f.len() == 1 { "" } else { "s" }
                ),
                true,
            );
            continue;
        }
        if f.len() > 4 {
            report.push(
                file,
                line,
                format!(
                    "expected `phrase | label | weight [| flags]`, found {} fields (a phrase cannot contain `|`)",
                    f.len()
                ),
                true,
            );
            continue;
        }
        let mut ok = true;
        let mut error = |message: String| {
            report.push(file, line, message, true);
            ok = false;
        };
        let phrase = f[0];
        if phrase.is_empty() {
            error("empty phrase".into());
        }
        let name = f[1];
        let label = if name.is_empty() {
            error("missing label".into());
            None
        } else if kind == FileKind::Modifiers {
            match ModifierKind::from_name(name) {
                Some(k) => Some(taxonomy_labels + k as usize),
                None => {
                    let kinds: Vec<&str> = ModifierKind::ALL.iter().map(|k| k.as_str()).collect();
                    let hint = match suggest(name, kinds.iter().copied()) {
                        Some(s) => format!("; did you mean `{s}`?"),
                        None => String::new(),
                    };
                    error(format!(
                        "unknown modifier kind `{name}`: in modifiers.txt the label is one of {}{hint}",
                        kinds.join(", ")
                    ));
                    None
                }
            }
        } else if let Some(i) = taxonomy.iter().position(|l| &*l.name == name) {
            Some(i)
        } else if ModifierKind::from_name(name).is_some() {
            error(format!(
                "`{name}` is a modifier kind: modifiers belong in modifiers.txt"
            ));
            None
        } else {
            let hint = match suggest(name, taxonomy.iter().map(|l| l.name())) {
                Some(s) => format!("; did you mean `{s}`?"),
                None => String::new(),
            };
            error(format!(
                "unknown label `{name}` (not in taxonomy.txt{hint})"
            ));
            None
        };
        let weight = match parse_weight(f[2]) {
            Ok(w) => Some(w),
            Err(message) => {
                error(message);
                None
            }
        };
        if let (Some(label), Some(w)) = (label, weight) {
            let label = &labels[label];
            let range_problem = match (label.group, label.modifier) {
                (_, Some(ModifierKind::Rating)) => {
                    (![1.0, 5.0, 10.0, 100.0].contains(&w)).then(|| {
                        "a rating's weight is the scale it implies: 5, 10 or 100, or 1 for none"
                            .to_string()
                    })
                }
                (_, Some(k)) => {
                    let (lo, hi) = k.weight_range();
                    if lo == hi && w != lo {
                        Some(format!("a {k}'s weight is always {lo}"))
                    } else if !(lo..=hi).contains(&w) {
                        Some(format!("a {k}'s weight lies in {lo}..{hi}"))
                    } else {
                        None
                    }
                }
                (Group::Sentiment, None) => (w == 0.0 || !(-4.0..=4.0).contains(&w))
                    .then(|| "sentiment weights lie in -4..4 and are not 0".to_string()),
                (group, None) => {
                    (w <= 0.0 || w > 1.0).then(|| format!("{group} weights lie in (0, 1]"))
                }
            };
            if let Some(why) = range_problem {
                error(format!("bad weight `{}`: {why}", f[2]));
            }
        }
        let flags = if f.len() == 4 {
            let (flags, problems) = parse_flags(f[3], kind == FileKind::Competitors);
            for p in problems {
                error(p);
            }
            flags
        } else {
            EntryFlags::default()
        };
        if let Some(label) = label {
            let group = labels[label].group;
            if let Some(expected) = kind.expected_group()
                && expected != group
                && kind != FileKind::Modifiers
            {
                report.push(
                    file,
                    line,
                    format!("label `{name}` (group {group}) in a {expected} file"),
                    false,
                );
            }
        }
        if let (true, Some(label), Some(weight)) = (ok, label, weight) {
            out.push(RawEntry {
                file,
                line,
                phrase: phrase.to_string(),
                label: LabelId(label as u16),
                weight,
                flags,
            });
        }
    }
}

/// The word id no pattern contains: unknown words, and punctuation the lexicon does not use.
pub(crate) const NONE: u32 = 0;

/// A vocabulary word.
#[derive(Debug)]
pub(crate) struct Symbol {
    /// The word (`P*` for a wildcard).
    pub(crate) text: Box<str>,
    pub(crate) class: WordClass,
    pub(crate) wildcard: bool,
    /// Whether some entry lets this word be read through a Hebrew prefix.
    pub(crate) allows_prefix: bool,
}

/// An entry a pattern stands for, with what verification and the choice per group need, so that
/// the common case never touches the entry itself.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target {
    pub(crate) entry: u32,
    pub(crate) label: LabelId,
    pub(crate) group: Group,
    pub(crate) bits: u8,
}

impl Target {
    /// The pattern is an anchor word: `entry` holds the word id, and the anchored entries to
    /// verify are found by the word after it ([`Compiled::anchor_pairs`]).
    pub(crate) const ANCHOR: u8 = 1;
    /// The pattern is the entry's own words, not an expansion (prefixed form, wildcard cover).
    pub(crate) const BASE: u8 = 2;
    /// The entry has `noprefix` or a word matched exactly: its words need the full check.
    pub(crate) const STRICT: u8 = 4;

    #[inline]
    pub(crate) fn has(self, bit: u8) -> bool {
        self.bits & bit != 0
    }
}

/// What the matcher needs to know about a word id while it reads the tokens.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WordInfo {
    /// Range of [`Compiled::targets`]: the entries of this one word, and anchors.
    pub(crate) from: u32,
    pub(crate) len: u32,
    /// The word occurs in a pattern of the automaton; otherwise its token needs no slot of its own.
    pub(crate) in_phrase: bool,
    /// The word can be the second word of an anchored entry.
    pub(crate) second: bool,
}

/// The compiled matcher.
pub(crate) struct Compiled {
    /// Vocabulary: Hebrew key, English stem, other key → word id.
    pub(crate) words: FxHashMap<Box<str>, u32>,
    /// Wildcard prefix → word id.
    pub(crate) wild: FxHashMap<Box<str>, u32>,
    /// First bytes of the vocabulary's other words (punctuation, emoji, numbers), as a bit set: a
    /// token that starts with another byte needs no lookup.
    pub(crate) other_first_bytes: [u64; 4],
    /// Byte lengths of the wildcard prefixes, longest first.
    pub(crate) wild_lens: Vec<usize>,
    /// Word id → word; id 0 is [`NONE`].
    pub(crate) symbols: Vec<Symbol>,
    pub(crate) automaton: AhoCorasick,
    /// Bytes per word id in the haystack ([`encode`]).
    pub(crate) width: usize,
    /// Pattern id → range of `targets`.
    pub(crate) pattern_targets: Vec<(u32, u32)>,
    pub(crate) targets: Vec<Target>,
    /// Word id → its single-word targets, and whether it occurs in a multi-word pattern.
    pub(crate) word_info: Vec<WordInfo>,
    /// Words with single-word targets (entries of one word, anchors).
    pub(crate) direct_words: usize,
    /// (anchor word id, id of a word after it) → range of `anchor_entries`: the anchored entries
    /// whose first word accepts the one and second word the other.
    pub(crate) anchor_pairs: FxHashMap<(u32, u32), (u32, u32)>,
    pub(crate) anchor_entries: Vec<u32>,
    pub(crate) pattern_count: usize,
    pub(crate) anchored_entries: usize,
}

/// The entries, and the matcher when there were no errors.
pub(crate) struct Built {
    pub(crate) entries: Vec<Entry>,
    pub(crate) compiled: Option<Compiled>,
}

/// A word of a phrase as compiled: its entry word and the form the vocabulary interns.
struct PhraseWord {
    word: EntryWord,
    vocab: Box<str>,
}

/// An entry whose pattern expands to more than this many word sequences is matched from an anchor.
const MAX_EXPANSIONS: usize = 64;

/// Analyses every phrase, drops duplicates, and builds the matcher.
pub(crate) fn build(
    analyzer: &Analyzer,
    labels: &[Label],
    raw: Vec<RawEntry>,
    report: &mut Report,
) -> Built {
    let mut analysis = Analysis::new();
    let mut entries: Vec<Entry> = Vec::with_capacity(raw.len());
    let mut vocab_forms: Vec<Vec<Box<str>>> = Vec::with_capacity(raw.len());
    let mut seen: FxHashMap<String, usize> = FxHashMap::default();
    for r in raw {
        analyzer.analyze_into(&r.phrase, &mut analysis);
        let words = match compile_phrase(&analysis, r.flags.exact) {
            Ok(words) => words,
            Err(message) => {
                report.push(r.file, r.line, message, true);
                continue;
            }
        };
        let has = |class| words.iter().any(|w| w.word.class == class);
        let (has_hebrew, has_latin) = (has(WordClass::Hebrew), has(WordClass::Latin));
        let mut ok = true;
        if r.flags.exact && !has_latin {
            report.push(
                r.file,
                r.line,
                "malformed flag: `exact` applies to English words, and this phrase has none".into(),
                true,
            );
            ok = false;
        }
        if r.flags.noprefix && !has_hebrew {
            report.push(
                r.file,
                r.line,
                "malformed flag: `noprefix` applies to Hebrew words, and this phrase has none"
                    .into(),
                true,
            );
            ok = false;
        }
        if r.flags.nonegate && labels[r.label.index()].group != Group::Sentiment {
            report.push(
                r.file,
                r.line,
                "malformed flag: `nonegate` applies to sentiment entries (a negated complaint or \
                 churn phrase is no signal)"
                    .into(),
                true,
            );
            ok = false;
        }
        if r.flags.gap > 0 && words.len() < 2 {
            report.push(
                r.file,
                r.line,
                format!("`gap={}` on a one-word phrase has no effect", r.flags.gap),
                false,
            );
        }
        if !ok {
            continue;
        }
        let label = &labels[r.label.index()];
        let mut key = format!("{}\u{2}{}\u{2}", label.name, r.flags.exact);
        for w in &words {
            key.push_str(&w.word.text);
            if w.word.wildcard {
                key.push('*');
            }
            key.push('\u{1}');
        }
        if let Some(&first) = seen.get(&key) {
            let first: &Entry = &entries[first];
            let same_phrase = first
                .phrase
                .split_whitespace()
                .eq(r.phrase.split_whitespace());
            let what = if same_phrase {
                format!("`{}` as `{}`", r.phrase, label.name)
            } else {
                format!(
                    "`{}` reads the same as `{}` as `{}`",
                    r.phrase, first.phrase, label.name
                )
            };
            let at = first.source;
            if first.weight != r.weight {
                report.push(
                    r.file,
                    r.line,
                    format!(
                        "duplicate entry with conflicting weight: {what}, weight {} here and {} at {at}",
                        r.weight, first.weight
                    ),
                    true,
                );
            } else if first.flags != r.flags {
                report.push(
                    r.file,
                    r.line,
                    format!(
                        "duplicate entry with conflicting flags: {what}, flags `{}` here and `{}` at {at}",
                        r.flags.to_text(),
                        first.flags.to_text()
                    ),
                    true,
                );
            } else {
                report.push(
                    r.file,
                    r.line,
                    format!("duplicate entry: {what} is already at {at}; ignored"),
                    false,
                );
            }
            continue;
        }
        seen.insert(key, entries.len());
        let (_, file_lang) = FileKind::of(r.file);
        let lang = match (file_lang, has_hebrew, has_latin) {
            (Some(lang), _, _) => lang,
            (None, true, _) => Lang::He,
            (None, false, true) => Lang::En,
            (None, false, false) => Lang::Und,
        };
        vocab_forms.push(words.iter().map(|w| w.vocab.clone()).collect());
        entries.push(Entry {
            phrase: r.phrase.into(),
            label: r.label,
            label_name: Arc::clone(&label.name),
            group: label.group,
            modifier: label.modifier,
            weight: r.weight,
            flags: r.flags,
            source: SourceLine {
                file: FILES[r.file],
                line: r.line as u32,
            },
            lang,
            words: words.into_iter().map(|w| w.word).collect(),
        });
    }
    if report.has_errors() {
        return Built {
            entries,
            compiled: None,
        };
    }
    match compile_matcher(&mut entries, &vocab_forms) {
        Ok(compiled) => Built {
            entries,
            compiled: Some(compiled),
        },
        Err(message) => {
            report.push(0, 0, message, true);
            Built {
                entries,
                compiled: None,
            }
        }
    }
}

/// The words of an analysed phrase: Hebrew by key; English by stem (by key with `exact`; a wildcard
/// by the key before its `*`); anything else by key, punctuation included.
fn compile_phrase(analysis: &Analysis, exact: bool) -> Result<Vec<PhraseWord>, String> {
    let tokens = analysis.tokens();
    let mut out: Vec<PhraseWord> = Vec::new();
    let mut words = 0usize;
    for (i, t) in tokens.iter().enumerate() {
        let key = analysis.key(t);
        if t.kind == TokenKind::Punct && key.bytes().all(|b| b == b'*') {
            if key.len() > 1 {
                return Err("a wildcard is one `*` at the end of a word".into());
            }
            let prev = i.checked_sub(1).map(|p| &tokens[p]);
            let (Some(prev), Some(last)) = (
                prev.filter(|p| {
                    p.end == t.start
                        && p.kind != TokenKind::Punct
                        && !p.flags.contains(Flags::PREFIX_ONLY)
                }),
                out.last_mut(),
            ) else {
                return Err(
                    "`*` must follow a word directly, as in `frustrat*` or `מתסכל*`".into(),
                );
            };
            if tokens.get(i + 1).is_some_and(|n| n.start == t.end) {
                return Err("`*` must end a word (`frustrat*`), not stand inside one".into());
            }
            if last.word.class == WordClass::Other || prev.kind != TokenKind::Word {
                return Err(format!(
                    "only Hebrew and English words take a `*`, not `{}`",
                    analysis.key(prev)
                ));
            }
            let prefix = analysis.key(prev);
            if prefix.chars().filter(|c| c.is_alphabetic()).count() < 2 {
                return Err(format!(
                    "`{prefix}*`: a wildcard needs at least two letters before the `*`"
                ));
            }
            last.word.wildcard = true;
            last.word.text = prefix.into();
            last.vocab = prefix.into();
            continue;
        }
        if t.flags.contains(Flags::PREFIX_ONLY) {
            continue;
        }
        let class = match (t.kind, t.script) {
            (TokenKind::Word, Script::Hebrew) => WordClass::Hebrew,
            (TokenKind::Word, Script::Latin) => WordClass::Latin,
            _ => WordClass::Other,
        };
        let stem = analysis.stem(t);
        // A stem of one or two letters cut from a longer word (`suing` → `su`) would match short
        // words and abbreviations it has nothing to do with (`SU`): such a word matches exactly.
        let short_stem = stem.len() < 3 && stem.len() < key.len();
        let (text, vocab) = match class {
            WordClass::Latin if exact || short_stem => (key, stem),
            WordClass::Latin => (stem, stem),
            _ => (key, key),
        };
        if t.kind != TokenKind::Punct {
            words += 1;
        }
        out.push(PhraseWord {
            word: EntryWord {
                text: text.into(),
                class,
                wildcard: false,
                exact: class == WordClass::Latin && (exact || short_stem),
                accept: Box::new([]),
                base: NONE,
            },
            vocab: vocab.into(),
        });
    }
    if words == 0 {
        return Err("the phrase has no words: the analyzer reads it as punctuation only".into());
    }
    Ok(out)
}

/// Interns the vocabulary, expands every entry's words into the word ids they accept, and builds
/// the automaton over the expanded patterns.
fn compile_matcher(
    entries: &mut [Entry],
    vocab_forms: &[Vec<Box<str>>],
) -> Result<Compiled, String> {
    let mut symbols = vec![Symbol {
        text: "".into(),
        class: WordClass::Other,
        wildcard: false,
        allows_prefix: false,
    }];
    let mut words: FxHashMap<Box<str>, u32> = FxHashMap::default();
    let mut wild: FxHashMap<Box<str>, u32> = FxHashMap::default();
    // Word ids of each entry's words, before expansion.
    let mut base: Vec<Vec<u32>> = Vec::with_capacity(entries.len());
    for (entry, forms) in entries.iter().zip(vocab_forms) {
        let mut ids = Vec::with_capacity(forms.len());
        for (w, form) in entry.words.iter().zip(forms) {
            let map = if w.wildcard { &mut wild } else { &mut words };
            let id = match map.get(form) {
                Some(&id) => id,
                None => {
                    let id = symbols.len() as u32;
                    symbols.push(Symbol {
                        text: if w.wildcard {
                            format!("{form}*").into()
                        } else {
                            form.clone()
                        },
                        class: w.class,
                        wildcard: w.wildcard,
                        allows_prefix: false,
                    });
                    map.insert(form.clone(), id);
                    id
                }
            };
            if w.class == WordClass::Hebrew && !entry.flags.noprefix {
                symbols[id as usize].allows_prefix = true;
            }
            ids.push(id);
        }
        base.push(ids);
    }
    // Hebrew lexicon words that are another lexicon word with prefix letters: הביטול → ביטול.
    let mut prefixed: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for (x, s) in symbols.iter().enumerate() {
        if s.class != WordClass::Hebrew || s.wildcard {
            continue;
        }
        for r in hebrew::prefix_readings(&s.text) {
            if let Some(&y) = words.get(r.rest) {
                prefixed.entry(y).or_default().push(x as u32);
            }
        }
    }
    // The remainders of every Hebrew symbol's prefix readings, computed once for the wildcards.
    let rests: Vec<Vec<&str>> = symbols
        .iter()
        .map(|s| {
            if s.class == WordClass::Hebrew && !s.wildcard {
                hebrew::prefix_readings(&s.text).map(|r| r.rest).collect()
            } else {
                Vec::new()
            }
        })
        .collect();
    // A wildcard's matches depend only on its text, class and prefix permission.
    let mut wild_accepts: FxHashMap<(Box<str>, WordClass, bool), Vec<u32>> = FxHashMap::default();
    for (entry, ids) in entries.iter_mut().zip(&base) {
        let allow_prefix = !entry.flags.noprefix;
        for (w, &id) in entry.words.iter_mut().zip(ids) {
            w.base = id;
            let mut accept = vec![id];
            if !w.wildcard {
                if w.class == WordClass::Hebrew && allow_prefix {
                    accept.extend(prefixed.get(&id).into_iter().flatten());
                }
            } else {
                let p = &*w.text;
                let covered = wild_accepts
                    .entry((p.into(), w.class, allow_prefix))
                    .or_insert_with(|| {
                        symbols
                            .iter()
                            .enumerate()
                            .filter(|&(x, s)| {
                                x != 0
                                    && s.class == w.class
                                    && !s.wildcard
                                    && (s.text.starts_with(p)
                                        || (w.class == WordClass::Hebrew
                                            && allow_prefix
                                            && rests[x].iter().any(|r| r.starts_with(p))))
                            })
                            .map(|(x, _)| x as u32)
                            .collect()
                    });
                accept.extend(covered.iter().copied());
            }
            accept.sort_unstable();
            accept.dedup();
            w.accept = accept.into();
        }
    }
    let width = if symbols.len() <= 1 << 14 {
        2
    } else if symbols.len() <= 1 << 21 {
        3
    } else {
        return Err(format!(
            "too many distinct words ({}) for one lexicon",
            symbols.len()
        ));
    };
    let mut pattern_ids: FxHashMap<Vec<u8>, u32> = FxHashMap::default();
    let mut patterns: Vec<Vec<u8>> = Vec::new();
    let mut pattern_targets: Vec<Vec<Target>> = Vec::new();
    let mut direct: Vec<Vec<Target>> = vec![Vec::new(); symbols.len()];
    let mut in_phrase = vec![false; symbols.len()];
    // One word: found through the word's own table. Several: a pattern of the automaton.
    let mut add = |seq: &[u32], target: Target| {
        if let [id] = seq {
            direct[*id as usize].push(target);
            return;
        }
        for &id in seq {
            in_phrase[id as usize] = true;
        }
        let mut bytes = Vec::with_capacity(seq.len() * width);
        for &id in seq {
            encode(id, width, &mut bytes);
        }
        let p = *pattern_ids.entry(bytes.clone()).or_insert_with(|| {
            patterns.push(bytes);
            pattern_targets.push(Vec::new());
            (patterns.len() - 1) as u32
        });
        pattern_targets[p as usize].push(target);
    };
    let mut anchored_entries = 0;
    let mut pairs: FxHashMap<(u32, u32), Vec<u32>> = FxHashMap::default();
    let mut anchors: Vec<u32> = Vec::new();
    let mut seq = Vec::new();
    for (e, entry) in entries.iter().enumerate() {
        let expansions = entry
            .words
            .iter()
            .try_fold(1usize, |n, w| n.checked_mul(w.accept.len()));
        let anchored = entry.words.len() > 1
            && (entry.flags.gap > 0 || expansions.is_none_or(|n| n > MAX_EXPANSIONS));
        let mut bits = 0;
        if entry.flags.noprefix || entry.words.iter().any(|w| w.exact) {
            bits |= Target::STRICT;
        }
        let target = |bits| Target {
            entry: e as u32,
            label: entry.label,
            group: entry.group,
            bits,
        };
        if anchored {
            anchored_entries += 1;
            for &a in entry.words[0].accept.iter() {
                anchors.push(a);
                for &x in entry.words[1].accept.iter() {
                    pairs.entry((a, x)).or_default().push(e as u32);
                }
            }
            continue;
        }
        // Every sequence of the words' accepted ids, odometer-style.
        let mut digits = vec![0usize; entry.words.len()];
        'odometer: loop {
            seq.clear();
            seq.extend(entry.words.iter().zip(&digits).map(|(w, &d)| w.accept[d]));
            let base = entry.words.iter().zip(&seq).all(|(w, &id)| w.base == id);
            add(&seq, target(if base { bits | Target::BASE } else { bits }));
            for (k, d) in digits.iter_mut().enumerate().rev() {
                *d += 1;
                if *d < entry.words[k].accept.len() {
                    continue 'odometer;
                }
                *d = 0;
            }
            break;
        }
    }
    anchors.sort_unstable();
    anchors.dedup();
    for a in anchors {
        add(
            &[a],
            Target {
                entry: a,
                label: LabelId(0),
                group: Group::Sentiment,
                bits: Target::ANCHOR,
            },
        );
    }
    let mut anchor_entries = Vec::new();
    let anchor_pairs: FxHashMap<(u32, u32), (u32, u32)> = pairs
        .into_iter()
        .map(|(pair, list)| {
            let range = (anchor_entries.len() as u32, list.len() as u32);
            anchor_entries.extend(list);
            (pair, range)
        })
        .collect();
    // Standard semantics for overlapping search: every occurrence, the choice is made per group
    // afterwards. The default contiguous NFA with dense transitions only at the root stays small
    // (≈ 0.5 MB for the default lexicon) and measured fastest here: a DFA (30 MB) or denser
    // states are slower, for cache misses.
    let automaton = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .dense_depth(1)
        .build(&patterns)
        .map_err(|e| format!("the lexicon's automaton could not be built: {e}"))?;
    let mut targets = Vec::new();
    let mut ranges = Vec::with_capacity(pattern_targets.len());
    for t in pattern_targets {
        ranges.push((targets.len() as u32, t.len() as u32));
        targets.extend(t);
    }
    let mut second = vec![false; symbols.len()];
    for &(_, x) in anchor_pairs.keys() {
        second[x as usize] = true;
    }
    let mut direct_words = 0;
    let word_info = direct
        .into_iter()
        .zip(in_phrase)
        .zip(second)
        .map(|((list, in_phrase), second)| {
            direct_words += usize::from(!list.is_empty());
            let info = WordInfo {
                from: targets.len() as u32,
                len: list.len() as u32,
                in_phrase,
                second,
            };
            targets.extend(list);
            info
        })
        .collect();
    let mut other_first_bytes = [0u64; 4];
    for s in symbols
        .iter()
        .skip(1)
        .filter(|s| s.class == WordClass::Other)
    {
        if let Some(&b) = s.text.as_bytes().first() {
            other_first_bytes[usize::from(b >> 6)] |= 1 << (b & 63);
        }
    }
    let mut wild_lens: Vec<usize> = wild.keys().map(|k| k.len()).collect();
    wild_lens.sort_unstable_by(|a, b| b.cmp(a));
    wild_lens.dedup();
    Ok(Compiled {
        words,
        wild,
        other_first_bytes,
        wild_lens,
        symbols,
        automaton,
        width,
        pattern_targets: ranges,
        targets,
        word_info,
        direct_words,
        anchor_pairs,
        anchor_entries,
        pattern_count: patterns.len(),
        anchored_entries,
    })
}

impl Compiled {
    /// Whether `key` may be one of the vocabulary's other words (its first byte starts one).
    #[inline]
    pub(crate) fn may_be_other(&self, key: &str) -> bool {
        key.as_bytes()
            .first()
            .is_some_and(|&b| self.other_first_bytes[usize::from(b >> 6)] & (1 << (b & 63)) != 0)
    }
}

/// Appends one haystack slot: `id` in `width` base-128 digits, the first with its high bit set and
/// the others without. A high-bit byte therefore only ever starts a slot, and a pattern (whole
/// slots) can only match from a token's slot start to a slot end: token boundaries are guaranteed
/// without a separator byte.
#[inline]
pub(crate) fn encode(id: u32, width: usize, out: &mut Vec<u8>) {
    let shift = 7 * (width - 1);
    out.push(0x80 | ((id >> shift) & 0x7F) as u8);
    for k in (0..width - 1).rev() {
        out.push(((id >> (7 * k)) & 0x7F) as u8);
    }
}
