//! Lexicons: the plain-text files that say what Kashev looks for, and the matcher that finds it.
//!
//! A lexicon is a directory (`lexicons/` in the repository, compiled into the binary as the default)
//! of the [`FILES`]: a taxonomy of labels, competitor brands, and per language (`he/`, `en/`)
//! sentiment, complaint, churn and modifier entries, one per line: `phrase | label | weight [| flags]`.
//! The format is documented in `lexicons/README.md`. Loading ([`LexiconBuilder::check`]) validates
//! every line and reports every problem as `file:line: message`; a lexicon with errors is never
//! built ([`crate::Error::Config`]), warnings travel beside it.
//!
//! Each entry's phrase is analysed by the same [`Analyzer`] that analyses texts, and its words become
//! a pattern of one aho-corasick automaton built at load time. [`Lexicon::find_into`] takes an
//! [`Analysis`] and hands on [`Hit`]s: entry, token range, byte span in the original text, and how
//! each word was read (prefix stripped, elongation folded, wildcard). The classifier turns hits into
//! labels and scores; the explain view shows them. How matching decides is summed up below.
//!
//! # Matching
//!
//! - Every token is resolved to the one form the lexicon knows: a Hebrew word by its key, else its
//!   elongation alternative, else the first prefix reading (shortest prefix first) whose rest is a
//!   lexicon word that some entry lets be prefixed, else a `word*` wildcard its key (or a reading's
//!   rest) starts with; an English word by its stem, else its alternative, else a wildcard on its
//!   key; anything else by its key. Punctuation the lexicon does not use is a barrier: no phrase
//!   spans a comma. A Hebrew prefix glued to a Latin word (the ל of לwifi) is passed over.
//! - The resolved forms, interned as word ids, make one byte haystack per text with a separator
//!   before every token, so patterns match whole tokens only: בטל never matches inside בטלפון.
//! - A pattern is an entry's word sequence, expanded at load time with the other lexicon words each
//!   word may stand for (a Hebrew word prefixed: `ביטול` also as `הביטול` when that is a lexicon
//!   word too; a wildcard as every lexicon word it covers), so that resolving a token to its most
//!   specific form loses nothing. An entry with `gap=N` (or with very many expansions) registers its
//!   first word as an anchor and is verified on the tokens.
//! - The automaton reports every occurrence (overlapping); each is verified word by word (`exact`,
//!   `noprefix`, readings), then per group — sentiment, complaint, churn, modifier — the hits are made
//!   non-overlapping, leftmost-longest. Hits of different groups may overlap.

mod compile;
mod embedded;
mod matcher;
mod parse;
mod taxonomy;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::analyze::{Analysis, Analyzer, KnownKeys, Lang};
use crate::error::{Error, Result};

pub use matcher::{Hit, Matches, Reading, TokenForm, WordMatch};
pub use parse::EntryFlags;
pub use taxonomy::{Group, Label, LabelId, ModifierKind};

/// The files of a lexicon directory, in the order they are loaded and reported. Every one must
/// exist in a directory given to [`Lexicon::load_dir`] (an empty file is fine).
pub const FILES: [&str; 11] = [
    "taxonomy.txt",
    "competitors.txt",
    "emoji.txt",
    "he/sentiment.txt",
    "he/complaint.txt",
    "he/churn.txt",
    "he/modifiers.txt",
    "en/sentiment.txt",
    "en/complaint.txt",
    "en/churn.txt",
    "en/modifiers.txt",
];

/// What a lexicon file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    Taxonomy,
    Competitors,
    Sentiment,
    Complaint,
    Churn,
    Modifiers,
}

impl FileKind {
    /// The kind and language of `FILES[index]`.
    pub(crate) fn of(index: usize) -> (FileKind, Option<Lang>) {
        let name = FILES[index];
        let lang = if name.starts_with("he/") {
            Some(Lang::He)
        } else if name.starts_with("en/") {
            Some(Lang::En)
        } else {
            None
        };
        let kind = match name.rsplit('/').next().unwrap_or(name) {
            "taxonomy.txt" => FileKind::Taxonomy,
            "competitors.txt" => FileKind::Competitors,
            "sentiment.txt" | "emoji.txt" => FileKind::Sentiment,
            "complaint.txt" => FileKind::Complaint,
            "churn.txt" => FileKind::Churn,
            _ => FileKind::Modifiers,
        };
        (kind, lang)
    }

    /// The group whose labels belong in a file of this kind.
    fn expected_group(self) -> Option<Group> {
        match self {
            FileKind::Sentiment => Some(Group::Sentiment),
            FileKind::Complaint => Some(Group::Complaint),
            FileKind::Churn => Some(Group::Churn),
            FileKind::Modifiers => Some(Group::Modifier),
            FileKind::Taxonomy | FileKind::Competitors => None,
        }
    }
}

/// One problem found while loading: `file:line: message` (`file: message` for a whole file).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The file as the user knows it (`lexicons/he/churn.txt`, or a path inside the given directory).
    pub file: String,
    /// The 1-based line, or 0 when the problem concerns the whole file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

/// Where an entry was written: a file of [`FILES`] and a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SourceLine {
    /// The file, relative to the lexicon directory (`he/churn.txt`).
    pub file: &'static str,
    /// The 1-based line.
    pub line: u32,
}

impl fmt::Display for SourceLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// Index of an entry in [`Lexicon::entries`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryId(pub(crate) u32);

impl EntryId {
    /// The index into [`Lexicon::entries`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Which alphabet an entry word is matched in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WordClass {
    /// A Hebrew word, matched by key, with prefix readings.
    Hebrew,
    /// A Latin-script word, matched by stem (or by key with `exact`).
    Latin,
    /// Anything else (emoji, emoticons, numbers, punctuation written in the phrase), matched by key.
    Other,
}

/// One word of an entry's pattern.
#[derive(Debug, Clone)]
pub struct EntryWord {
    pub(crate) text: Box<str>,
    pub(crate) class: WordClass,
    pub(crate) wildcard: bool,
    /// An English word matched on its key, not its stem: the entry is flagged `exact`, or the
    /// word's stem is one or two letters cut from it (`suing` → `su`).
    pub(crate) exact: bool,
    /// The word ids a token may resolve to and still match this word (sorted).
    pub(crate) accept: Box<[u32]>,
    /// The word id of the word itself.
    pub(crate) base: u32,
}

impl EntryWord {
    /// The form matched: a Hebrew key, an English stem (key with `exact`, and for a wildcard the
    /// part before the `*`), or another token's key.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The alphabet it is matched in.
    pub fn class(&self) -> WordClass {
        self.class
    }

    /// Whether it was written `word*`: it matches every key that starts with [`EntryWord::text`].
    pub fn is_wildcard(&self) -> bool {
        self.wildcard
    }
}

/// A lexicon entry: one line of a lexicon file, compiled.
#[derive(Debug, Clone)]
pub struct Entry {
    pub(crate) phrase: Box<str>,
    pub(crate) label: LabelId,
    pub(crate) label_name: Arc<str>,
    pub(crate) group: Group,
    pub(crate) modifier: Option<ModifierKind>,
    pub(crate) weight: f32,
    pub(crate) flags: EntryFlags,
    pub(crate) source: SourceLine,
    pub(crate) lang: Lang,
    pub(crate) words: Box<[EntryWord]>,
}

impl Entry {
    /// The phrase as written in the file.
    pub fn phrase(&self) -> &str {
        &self.phrase
    }

    /// The label's name (`complaint.billing`; `negator` for a modifier).
    pub fn label(&self) -> &str {
        &self.label_name
    }

    /// The label's id.
    pub fn label_id(&self) -> LabelId {
        self.label
    }

    /// The label's group.
    pub fn group(&self) -> Group {
        self.group
    }

    /// The modifier kind, for entries of `modifiers.txt`.
    pub fn modifier(&self) -> Option<ModifierKind> {
        self.modifier
    }

    /// The weight: valence in -4..4 for sentiment, strength in (0, 1] for complaint and churn, the
    /// kind's strength for modifiers.
    pub fn weight(&self) -> f32 {
        self.weight
    }

    /// The flags.
    pub fn flags(&self) -> &EntryFlags {
        &self.flags
    }

    /// Where it was written.
    pub fn source(&self) -> SourceLine {
        self.source
    }

    /// Its language: the file's (`he/`, `en/`); in a shared file (`competitors.txt`, `emoji.txt`),
    /// Hebrew when the phrase has a Hebrew word, else English when it has a Latin word, else
    /// [`Lang::Und`] (emoji, emoticons). Entries match in every text whatever its language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The words of its pattern, punctuation written in the phrase included.
    pub fn words(&self) -> &[EntryWord] {
        &self.words
    }
}

/// Index of a word of the lexicon's vocabulary (see [`Lexicon::word`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WordId(pub(crate) u32);

/// A stable fingerprint of a lexicon's content: it changes when an entry, label, weight or flag
/// changes, and not for comments, blank lines, alignment, line order or exact duplicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint(pub u64);

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl serde::Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Where a lexicon comes from.
#[derive(Debug, Clone)]
enum Origin {
    Embedded,
    Dir(PathBuf),
    Files(Vec<(String, String)>),
}

/// Builds a [`Lexicon`] from the embedded defaults, a directory, or files given in memory.
///
/// # Examples
/// ```
/// use kashev::lexicon::LexiconBuilder;
///
/// let lexicon = LexiconBuilder::new()
///     .file("taxonomy.txt", "complaint.billing | complaint | חיוב | billing\n")
///     .file("he/complaint.txt", "חיוב כפול | complaint.billing | 1\n")
///     .build()
///     .unwrap();
/// let text = "והחיוב כפול!";
/// let analysis = lexicon.analyzer().analyze(text);
/// let matches = lexicon.find(&analysis);
/// let hit = &matches.hits()[0];
/// assert_eq!(&text[hit.start..hit.end], "והחיוב כפול");
/// assert_eq!(lexicon.entry(hit.entry).label(), "complaint.billing");
/// ```
#[derive(Debug, Clone)]
pub struct LexiconBuilder {
    origin: Origin,
    analyzer: Option<Analyzer>,
}

impl Default for LexiconBuilder {
    fn default() -> Self {
        LexiconBuilder::new()
    }
}

/// The outcome of loading a lexicon: the lexicon when there was no error, and every problem found.
#[derive(Debug)]
pub struct Checked {
    /// The lexicon, when no error was found.
    pub lexicon: Option<Lexicon>,
    /// Errors, in file and line order.
    pub errors: Vec<Problem>,
    /// Warnings, in file and line order.
    pub warnings: Vec<Problem>,
    /// Where the lexicon came from (`embedded defaults`, or the directory).
    pub origin: String,
}

impl Checked {
    /// The lexicon, or [`Error::Config`] listing the errors (warnings stay with the lexicon).
    ///
    /// # Errors
    /// [`Error::Config`] when any error was found.
    pub fn into_result(self) -> Result<Lexicon> {
        match self.lexicon {
            Some(lexicon) if self.errors.is_empty() => Ok(lexicon),
            _ => Err(Error::Config {
                problems: self.errors.iter().map(Problem::to_string).collect(),
            }),
        }
    }
}

impl LexiconBuilder {
    /// A builder for the embedded default lexicon.
    pub fn new() -> LexiconBuilder {
        LexiconBuilder {
            origin: Origin::Embedded,
            analyzer: None,
        }
    }

    /// Loads the embedded defaults (the default).
    pub fn embedded(&mut self) -> &mut LexiconBuilder {
        self.origin = Origin::Embedded;
        self
    }

    /// Loads a directory laid out like [`FILES`]; every file must exist.
    pub fn dir(&mut self, dir: impl Into<PathBuf>) -> &mut LexiconBuilder {
        self.origin = Origin::Dir(dir.into());
        self
    }

    /// Adds one file given in memory, named as in [`FILES`]. A builder given files loads only them:
    /// `taxonomy.txt` is required, the others are optional.
    pub fn file(&mut self, name: &str, text: impl Into<String>) -> &mut LexiconBuilder {
        if !matches!(self.origin, Origin::Files(_)) {
            self.origin = Origin::Files(Vec::new());
        }
        if let Origin::Files(files) = &mut self.origin {
            files.push((name.to_string(), text.into()));
        }
        self
    }

    /// The analyzer that compiles phrases; texts must be analysed by the same one
    /// ([`Lexicon::analyzer`]). The default analyzer when not set.
    pub fn analyzer(&mut self, analyzer: Analyzer) -> &mut LexiconBuilder {
        self.analyzer = Some(analyzer);
        self
    }

    /// Loads and validates the lexicon, collecting every problem.
    pub fn check(&self) -> Checked {
        let analyzer = self.analyzer.clone().unwrap_or_default();
        let SourceFiles {
            origin,
            names,
            texts,
            mut report,
        } = self.read_files();
        let mut labels = Vec::new();
        if let Some(text) = &texts[0] {
            let (parsed, problems) = taxonomy::parse_taxonomy(text);
            labels = parsed;
            for (line, message, error) in problems {
                report.push(0, line, message, error);
            }
        }
        let taxonomy_labels = labels.len();
        labels.extend(ModifierKind::ALL.map(Label::modifier_label));
        let mut raw = Vec::new();
        for (file, text) in texts.iter().enumerate().skip(1) {
            if let Some(text) = text {
                compile::parse_entries(file, text, &labels, taxonomy_labels, &mut raw, &mut report);
            }
        }
        let built = compile::build(&analyzer, &labels, raw, &mut report);
        if texts[0].is_some() {
            for label in &labels[..taxonomy_labels] {
                if !built.entries.iter().any(|e| e.label_name == label.name) {
                    report.push(
                        0,
                        label.line,
                        format!("label `{}` has no entries", label.name),
                        false,
                    );
                }
            }
        }
        let (errors, warnings) = report.finish(&names);
        let lexicon = match (errors.is_empty(), built.compiled) {
            (true, Some(compiled)) => Some(Lexicon {
                inner: Arc::new(Inner {
                    fingerprint: fingerprint(&labels[..taxonomy_labels], &built.entries),
                    analyzer,
                    origin: origin.clone(),
                    labels,
                    entries: built.entries,
                    warnings: warnings.clone(),
                    compiled,
                    build_id: NEXT_BUILD.fetch_add(1, Ordering::Relaxed),
                }),
            }),
            _ => None,
        };
        Checked {
            lexicon,
            errors,
            warnings,
            origin,
        }
    }

    /// Loads and validates the lexicon.
    ///
    /// # Errors
    /// [`Error::Config`] listing every error as `file:line: message`: a missing or unreadable
    /// file, an unknown label, a bad weight or flag, an empty phrase, a conflicting duplicate, … .
    pub fn build(&self) -> Result<Lexicon> {
        self.check().into_result()
    }

    /// The files' texts, read from where the builder points.
    fn read_files(&self) -> SourceFiles<'_> {
        let mut report = Report::default();
        let mut texts: Vec<Option<Cow<'_, str>>> = vec![None; FILES.len()];
        let (origin, names) = match &self.origin {
            Origin::Embedded => {
                for (i, (_, text)) in embedded::FILES.iter().enumerate() {
                    texts[i] = Some(Cow::Borrowed(*text));
                }
                (
                    "embedded defaults".to_string(),
                    FILES.iter().map(|f| format!("lexicons/{f}")).collect(),
                )
            }
            Origin::Dir(dir) => {
                let names: Vec<String> = FILES
                    .iter()
                    .map(|f| dir.join(f).display().to_string())
                    .collect();
                if !dir.is_dir() {
                    report.extra.push((
                        Problem {
                            file: dir.display().to_string(),
                            line: 0,
                            message:
                                "not a lexicon directory (it does not exist or is not a directory)"
                                    .into(),
                        },
                        true,
                    ));
                } else {
                    for (i, name) in FILES.iter().enumerate() {
                        match std::fs::read(dir.join(name)) {
                            Ok(bytes) => match String::from_utf8(bytes) {
                                Ok(text) => texts[i] = Some(Cow::Owned(text)),
                                Err(e) => report.push(
                                    i,
                                    0,
                                    format!(
                                        "not valid UTF-8 (at byte {})",
                                        e.utf8_error().valid_up_to()
                                    ),
                                    true,
                                ),
                            },
                            Err(e) if e.kind() == std::io::ErrorKind::NotFound => report.push(
                                i,
                                0,
                                format!(
                                    "missing: a lexicon directory needs every file ({})",
                                    FILES.join(", ")
                                ),
                                true,
                            ),
                            Err(e) => report.push(i, 0, format!("cannot read: {e}"), true),
                        }
                    }
                    report
                        .extra
                        .extend(unknown_files(dir).into_iter().map(|p| (p, false)));
                }
                (dir.display().to_string(), names)
            }
            Origin::Files(files) => {
                for (name, text) in files {
                    match FILES.iter().position(|f| f == name) {
                        Some(i) => texts[i] = Some(Cow::Borrowed(text.as_str())),
                        None => report.extra.push((
                            Problem {
                                file: name.clone(),
                                line: 0,
                                message: format!(
                                    "not a lexicon file (expected one of {})",
                                    FILES.join(", ")
                                ),
                            },
                            true,
                        )),
                    }
                }
                if texts[0].is_none() {
                    report.push(0, 0, "missing: every lexicon needs a taxonomy".into(), true);
                }
                (
                    "files".to_string(),
                    FILES.iter().map(|f| f.to_string()).collect(),
                )
            }
        };
        for text in texts.iter_mut().flatten() {
            if let Some(rest) = text.strip_prefix('\u{FEFF}') {
                *text = Cow::Owned(rest.to_string());
            }
        }
        SourceFiles {
            origin,
            names,
            texts,
            report,
        }
    }
}

/// The texts of the lexicon files, as [`LexiconBuilder::read_files`] found them.
struct SourceFiles<'a> {
    /// Where they came from (`embedded defaults`, the directory, `files`).
    origin: String,
    /// How each file of [`FILES`] is named in problems.
    names: Vec<String>,
    /// Each file's text; `None` when missing or unreadable.
    texts: Vec<Option<Cow<'a, str>>>,
    /// The problems met while reading.
    report: Report,
}

/// Text files in a lexicon directory that are not lexicon files: a warning each, since their
/// entries would silently not load.
fn unknown_files(dir: &Path) -> Vec<Problem> {
    let mut out = Vec::new();
    for sub in ["", "he", "en"] {
        let Ok(read) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        let mut found: Vec<String> = read
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .map(|n| {
                if sub.is_empty() {
                    n
                } else {
                    format!("{sub}/{n}")
                }
            })
            .filter(|n| !FILES.contains(&n.as_str()))
            .collect();
        found.sort();
        out.extend(found.into_iter().map(|n| Problem {
            file: dir.join(&n).display().to_string(),
            line: 0,
            message: "not a lexicon file; ignored".into(),
        }));
    }
    out
}

/// Problems as they are found, sorted by file and line at the end.
#[derive(Debug, Default)]
pub(crate) struct Report {
    /// (file index, line, message, is_error).
    items: Vec<(usize, usize, String, bool)>,
    /// Problems about a whole directory or files outside [`FILES`] (reported last), with
    /// whether each is an error.
    extra: Vec<(Problem, bool)>,
    errors: usize,
}

impl Report {
    pub(crate) fn push(&mut self, file: usize, line: usize, message: String, error: bool) {
        self.errors += usize::from(error);
        self.items.push((file, line, message, error));
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.errors > 0 || self.extra.iter().any(|(_, error)| *error)
    }

    fn finish(mut self, names: &[String]) -> (Vec<Problem>, Vec<Problem>) {
        self.items.sort_by_key(|(file, line, _, _)| (*file, *line));
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        for (file, line, message, error) in self.items {
            let problem = Problem {
                file: names[file].clone(),
                line,
                message,
            };
            if error {
                errors.push(problem)
            } else {
                warnings.push(problem)
            }
        }
        for (problem, error) in self.extra {
            if error {
                errors.push(problem)
            } else {
                warnings.push(problem)
            }
        }
        (errors, warnings)
    }
}

static NEXT_BUILD: AtomicU64 = AtomicU64::new(1);

pub(crate) struct Inner {
    pub(crate) analyzer: Analyzer,
    pub(crate) origin: String,
    pub(crate) labels: Vec<Label>,
    pub(crate) entries: Vec<Entry>,
    pub(crate) warnings: Vec<Problem>,
    pub(crate) fingerprint: Fingerprint,
    pub(crate) compiled: compile::Compiled,
    /// Distinguishes lexicons, so that a [`Matches`] used with another one drops its cache.
    pub(crate) build_id: u64,
}

/// A loaded, validated lexicon with its matcher. Immutable; cheap to clone; `Send + Sync`.
#[derive(Clone)]
pub struct Lexicon {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lexicon")
            .field("origin", &self.inner.origin)
            .field("entries", &self.inner.entries.len())
            .field("fingerprint", &self.inner.fingerprint)
            .finish()
    }
}

impl Lexicon {
    /// A builder (embedded defaults unless told otherwise).
    pub fn builder() -> LexiconBuilder {
        LexiconBuilder::new()
    }

    /// The default lexicon, compiled into the binary from `lexicons/`.
    ///
    /// # Errors
    /// [`Error::Config`] if the embedded files have errors (a test guards against it).
    pub fn embedded() -> Result<Lexicon> {
        LexiconBuilder::new().build()
    }

    /// Loads a lexicon directory laid out like [`FILES`].
    ///
    /// # Errors
    /// [`Error::Config`] listing every problem, a missing file included.
    pub fn load_dir(dir: impl AsRef<Path>) -> Result<Lexicon> {
        LexiconBuilder::new().dir(dir.as_ref()).build()
    }

    /// The analyzer the phrases were compiled with; analyse texts with it.
    pub fn analyzer(&self) -> &Analyzer {
        &self.inner.analyzer
    }

    /// Where the lexicon came from: `embedded defaults`, a directory, or `files`.
    pub fn origin(&self) -> &str {
        &self.inner.origin
    }

    /// Every entry, in file and line order (duplicates dropped).
    pub fn entries(&self) -> &[Entry] {
        &self.inner.entries
    }

    /// One entry.
    ///
    /// # Panics
    /// If `id` comes from another lexicon and is out of range.
    pub fn entry(&self, id: EntryId) -> &Entry {
        &self.inner.entries[id.index()]
    }

    /// The labels: the taxonomy's, then the modifier kinds.
    pub fn labels(&self) -> &[Label] {
        &self.inner.labels
    }

    /// One label.
    ///
    /// # Panics
    /// If `id` comes from another lexicon and is out of range.
    pub fn label(&self, id: LabelId) -> &Label {
        &self.inner.labels[id.index()]
    }

    /// The label named `name`.
    pub fn label_id(&self, name: &str) -> Option<LabelId> {
        self.inner
            .labels
            .iter()
            .position(|l| &*l.name == name)
            .map(|i| LabelId(i as u16))
    }

    /// The text of a vocabulary word (`P*` for a wildcard).
    ///
    /// # Panics
    /// If `id` comes from another lexicon and is out of range.
    pub fn word(&self, id: WordId) -> &str {
        &self.inner.compiled.symbols[id.0 as usize].text
    }

    /// Whether `key` is a word of the lexicon (a Hebrew key, an English stem, an emoji, …).
    pub fn is_known_word(&self, key: &str) -> bool {
        self.inner.compiled.words.contains_key(key)
    }

    /// The warnings found while loading.
    pub fn warnings(&self) -> &[Problem] {
        &self.inner.warnings
    }

    /// The content fingerprint (see [`Fingerprint`]).
    pub fn fingerprint(&self) -> Fingerprint {
        self.inner.fingerprint
    }

    /// Counts: entries per file, label and language; vocabulary and pattern sizes.
    pub fn stats(&self) -> LexiconStats {
        let inner = &*self.inner;
        let mut files: Vec<FileStats> = FILES[1..]
            .iter()
            .map(|f| FileStats {
                file: f,
                entries: 0,
            })
            .collect();
        let mut labels: Vec<LabelStats> = inner
            .labels
            .iter()
            .map(|l| LabelStats {
                label: l.name.to_string(),
                group: l.group,
                he: 0,
                en: 0,
                shared: 0,
            })
            .collect();
        let mut languages: BTreeMap<&'static str, usize> = BTreeMap::new();
        for e in &inner.entries {
            if let Some(f) = files.iter_mut().find(|f| f.file == e.source.file) {
                f.entries += 1;
            }
            let l = &mut labels[e.label.index()];
            match e.lang {
                Lang::He => l.he += 1,
                Lang::En => l.en += 1,
                _ => l.shared += 1,
            }
            *languages.entry(e.lang.as_str()).or_default() += 1;
        }
        let c = &inner.compiled;
        LexiconStats {
            origin: inner.origin.clone(),
            fingerprint: inner.fingerprint,
            entries: inner.entries.len(),
            languages,
            files,
            labels,
            vocabulary: c.symbols.iter().filter(|s| !s.wildcard).count() - 1,
            wildcards: c.symbols.iter().filter(|s| s.wildcard).count(),
            patterns: c.pattern_count,
            direct_words: c.direct_words,
            anchored_entries: c.anchored_entries,
            gap_entries: inner.entries.iter().filter(|e| e.flags.gap > 0).count(),
            warnings: inner.warnings.len(),
        }
    }

    /// Finds the hits of the lexicon in `analysis` (which must come from [`Lexicon::analyzer`]).
    pub fn find(&self, analysis: &Analysis) -> Matches {
        let mut matches = Matches::new();
        self.find_into(analysis, &mut matches);
        matches
    }

    /// Finds the hits of the lexicon in `analysis` into `out`, replacing what it held. Reuse one
    /// [`Matches`] per thread: in the steady state nothing is allocated.
    pub fn find_into(&self, analysis: &Analysis, out: &mut Matches) {
        matcher::find_into(&self.inner, analysis, out);
    }
}

impl KnownKeys for Lexicon {
    fn contains_key(&self, key: &str) -> bool {
        self.is_known_word(key)
    }
}

/// Entries of one file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileStats {
    /// The file, relative to the lexicon directory.
    pub file: &'static str,
    /// Entries loaded from it (duplicates dropped).
    pub entries: usize,
}

/// Entries of one label, per language.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LabelStats {
    /// The label.
    pub label: String,
    /// Its group.
    pub group: Group,
    /// Hebrew entries.
    pub he: usize,
    /// English entries.
    pub en: usize,
    /// Entries of no language (emoji and emoticons in `emoji.txt`).
    pub shared: usize,
}

/// What [`Lexicon::stats`] reports.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LexiconStats {
    /// Where the lexicon came from.
    pub origin: String,
    /// The content fingerprint.
    pub fingerprint: Fingerprint,
    /// Entries in all.
    pub entries: usize,
    /// Entries per language (`he`, `en`, and `und` for emoji and emoticons).
    pub languages: BTreeMap<&'static str, usize>,
    /// Entries per file.
    pub files: Vec<FileStats>,
    /// Entries per label and language, in taxonomy order, then the modifier kinds.
    pub labels: Vec<LabelStats>,
    /// Distinct words in all patterns (Hebrew keys, English stems, emoji, …).
    pub vocabulary: usize,
    /// Distinct `word*` wildcards.
    pub wildcards: usize,
    /// Patterns of several words in the automaton.
    pub patterns: usize,
    /// Words that are an entry by themselves or start an anchored entry (found by word id, not
    /// through the automaton).
    pub direct_words: usize,
    /// Entries matched from an anchor word and verified on the tokens (gaps, many expansions).
    pub anchored_entries: usize,
    /// Entries with `gap=N`.
    pub gap_entries: usize,
    /// Warnings found while loading.
    pub warnings: usize,
}

/// The fingerprint of labels and entries: xxh3 over their normalised text, sorted.
fn fingerprint(labels: &[Label], entries: &[Entry]) -> Fingerprint {
    let mut lines: Vec<String> = labels
        .iter()
        .map(|l| format!("label\t{}\t{}", l.name, l.group))
        .collect();
    lines.extend(entries.iter().map(|e| {
        let phrase: Vec<&str> = e.phrase.split_whitespace().collect();
        format!(
            "entry\t{}\t{}\t{}\t{}\t{}",
            e.source.file,
            phrase.join(" "),
            e.label_name,
            e.weight,
            e.flags.to_text()
        )
    }));
    lines.sort_unstable();
    let mut text = String::from("kashev-lexicon-1\n");
    for line in lines {
        text.push_str(&line);
        text.push('\n');
    }
    Fingerprint(xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}

pub(crate) use crate::hash::FxHashMap;
