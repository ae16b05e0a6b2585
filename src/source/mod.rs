//! Record sources: the first stage of the pipeline.
//!
//! A source takes an [`Input`] (a file or standard input, gzip-compressed or not) in one of the
//! [`Format`]s — JSON Lines, CSV or TSV with a header, plain text — and hands on a stream of
//! [`Entry`]s: a normalised [`Record`], or a [`Reject`] saying which line could not become one and
//! why. One bad line never stops the stream, and every line is accounted for in a [`Tally`]:
//! `read = accepted + rejected`. Blank lines are not records and are not counted.
//!
//! Memory is bounded whatever the input's size: input is read line by line and at most
//! [`SourceSettings::max_record_bytes`] (plus one) bytes of a line or CSV row are ever held; the
//! rest of an over-long one is skipped unread into memory, and the record is rejected.
//!
//! Some problems are not one record's but the whole input's; they are errors ([`Error`]), not
//! rejects, and end the stream:
//! - an input that cannot be opened (missing, a directory, unreadable): [`Error::Io`], a usage
//!   error;
//! - a CSV/TSV header that is unusable (not UTF-8, a repeated column, no text column, a configured
//!   column that is absent): [`Error::Usage`] naming the file and listing the columns;
//! - a gzip stream that is corrupt or truncated midway: [`Error::Io`] naming the file, the last
//!   line read and the bytes decompressed so far. It is an error rather than a reject because
//!   nothing after the damage can be read or even counted, so no `read = accepted + rejected` could
//!   be honest. The records before it have already been handed on. It counts as a usage error (the
//!   input is bad), like a missing file.
//! - any other read failure: [`Error::Io`] with the line reached.
//!
//! [`SourceSettings::follow`] reads a JSONL or text file as it grows, like `tail -F`, for
//! `kashev watch`: the same entries, parsed line by line by the same code (see [`Follower`]).
//!
//! # Examples
//!
//! ```
//! use kashev::source::{Entry, Format, Input, SourceSettings};
//!
//! let dir = std::env::temp_dir().join(format!("kashev-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let path = dir.join("notes.jsonl");
//! std::fs::write(&path, "{\"id\":\"1\",\"text\":\"the bill is wrong\"}\n[1]\n\n")?;
//!
//! let settings = SourceSettings::builder().build()?;
//! let mut sources = settings.sources([Input::Path(path)])?;
//! let mut texts = Vec::new();
//! for entry in &mut sources {
//!     match entry? {
//!         Entry::Record(record) => texts.push(record.text),
//!         Entry::Reject(reject) => {
//!             assert!(reject.to_string().ends_with("notes.jsonl:2: line is not a JSON object (found an array)"));
//!         }
//!     }
//! }
//! assert_eq!(texts, ["the bill is wrong"]);
//! assert_eq!((sources.tally().read, sources.tally().rejected), (2, 1));
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod delimited;
mod fields;
mod follow;
mod jsonl;
mod reader;
mod reject;
mod text;

use std::collections::VecDeque;
use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use jiff::tz::TimeZone;
use serde::Serialize;

pub use fields::{Field, FieldMap};
pub use follow::{
    DEFAULT_POLL_INTERVAL, FileId, FollowSource, Followed, FollowedLine, Follower, FollowerBuilder,
    Notice, Position,
};
pub use reject::{RAW_LIMIT, Reject, RejectKind, Tally};

use self::delimited::{DelimitedParser, Row, RowScanner, next_row};
use self::fields::Problem;
use self::jsonl::JsonlParser;
use self::reader::{LineReader, is_blank};
use crate::error::{Error, Result};
use crate::record::Record;

/// The default for [`SourceSettingsBuilder::max_record_bytes`]: 1 MiB.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 1024 * 1024;

/// Where records come from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Input {
    /// Standard input, written `-`.
    Stdin,
    /// A file.
    Path(PathBuf),
}

impl Input {
    /// The input a command-line argument names: `-` is standard input, anything else a path.
    pub fn from_arg(arg: impl Into<PathBuf>) -> Input {
        let path = arg.into();
        if path.as_os_str() == "-" {
            Input::Stdin
        } else {
            Input::Path(path)
        }
    }
}

impl fmt::Display for Input {
    /// The path, or `-` for standard input.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Input::Stdin => f.write_str("-"),
            Input::Path(path) => write!(f, "{}", path.display()),
        }
    }
}

/// How an input's records are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// JSON Lines: one JSON object per line (`.jsonl`, `.ndjson`, `.json`).
    Jsonl,
    /// Comma-separated values with a header row and RFC 4180 quoting (`.csv`).
    Csv,
    /// Tab-separated values with a header row, without quoting (`.tsv`, `.tab`).
    Tsv,
    /// Plain text, one record per line (`.txt`, `.log`).
    Text,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 4] = [Format::Jsonl, Format::Csv, Format::Tsv, Format::Text];

    /// `jsonl`, `csv`, `tsv` or `text`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Text => "text",
        }
    }

    /// The format a file name implies, from its extension after removing a `.gz` one
    /// (`calls.csv.gz` is CSV). `None` for an unknown or missing extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        let mut ext = path.extension()?.to_str()?.to_ascii_lowercase();
        if ext == "gz" {
            ext = Path::new(path.file_stem()?)
                .extension()?
                .to_str()?
                .to_ascii_lowercase();
        }
        match ext.as_str() {
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            "tsv" | "tab" => Some(Format::Tsv),
            "txt" | "log" => Some(Format::Text),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = Error;

    /// A format by name: `jsonl` (or `ndjson`, `json`), `csv`, `tsv`, `text` (or `txt`).
    fn from_str(s: &str) -> Result<Format> {
        match s.to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" | "json" => Ok(Format::Jsonl),
            "csv" => Ok(Format::Csv),
            "tsv" => Ok(Format::Tsv),
            "text" | "txt" => Ok(Format::Text),
            _ => Err(Error::Usage(format!(
                "unknown format `{s}` (expected jsonl, csv, tsv or text)"
            ))),
        }
    }
}

#[derive(Debug)]
struct Settings {
    format: Option<Format>,
    fields: FieldMap,
    max_record_bytes: usize,
    timezone: TimeZone,
    delimiter: Option<u8>,
}

/// How to read inputs: built once by [`SourceSettingsBuilder`], then immutable and cheap to clone.
#[derive(Debug, Clone)]
pub struct SourceSettings {
    inner: Arc<Settings>,
}

impl Default for SourceSettings {
    fn default() -> SourceSettings {
        SourceSettingsBuilder::new()
            .build()
            .expect("the default settings are valid")
    }
}

impl SourceSettings {
    /// A builder with the defaults.
    pub fn builder() -> SourceSettingsBuilder {
        SourceSettingsBuilder::new()
    }

    /// The format forced on every input, if any.
    pub fn format(&self) -> Option<Format> {
        self.inner.format
    }

    /// Which input fields hold what.
    pub fn fields(&self) -> &FieldMap {
        &self.inner.fields
    }

    /// The largest line or CSV row accepted, in bytes.
    pub fn max_record_bytes(&self) -> usize {
        self.inner.max_record_bytes
    }

    /// The zone in which timestamps without an offset are read.
    pub fn timezone(&self) -> &TimeZone {
        &self.inner.timezone
    }

    /// The CSV/TSV delimiter forced by the settings, if any.
    pub fn delimiter(&self) -> Option<u8> {
        self.inner.delimiter
    }

    /// The format of `input`: the forced one, else the one its extension implies; standard input
    /// without a forced format is JSONL.
    ///
    /// # Errors
    /// [`Error::Usage`] when the extension says nothing.
    pub fn format_of(&self, input: &Input) -> Result<Format> {
        if let Some(format) = self.inner.format {
            return Ok(format);
        }
        match input {
            Input::Stdin => Ok(Format::Jsonl),
            Input::Path(path) => Format::from_path(path).ok_or_else(|| {
                Error::Usage(format!(
                    "{}: cannot tell the format from the file name (known: .jsonl, .ndjson, \
                     .json, .csv, .tsv, .tab, .txt, .log, each optionally .gz); give the format \
                     explicitly",
                    path.display()
                ))
            }),
        }
    }

    /// Opens one input. A CSV/TSV header is read and checked here.
    ///
    /// # Errors
    /// [`Error::Io`] when the input cannot be opened or read; [`Error::Usage`] when its format is
    /// unknown or its header unusable.
    pub fn open(&self, input: &Input) -> Result<SourceReader> {
        let format = self.format_of(input)?;
        let opened = reader::open(input)?;
        SourceReader::new(self.clone(), input.clone(), format, opened)
    }

    /// Reads records from any byte stream (decompressing gzip as for files); `name` stands for the
    /// stream in rejects and errors.
    ///
    /// # Errors
    /// As [`SourceSettings::open`].
    pub fn read(
        &self,
        name: &str,
        format: Format,
        stream: impl Read + Send + 'static,
    ) -> Result<SourceReader> {
        let opened = reader::decode(Box::new(stream)).map_err(|e| Error::io(name, e))?;
        let input = Input::Path(PathBuf::from(name));
        SourceReader::new(self.clone(), input, format, opened)
    }

    /// Reads several inputs one after the other. Every file is opened once first (and a CSV header
    /// checked) so that a missing file or a bad header stops the run before any record is read.
    ///
    /// # Errors
    /// [`Error::Usage`] when standard input is named twice, or as [`SourceSettings::open`] for any
    /// file.
    pub fn sources(&self, inputs: impl IntoIterator<Item = Input>) -> Result<Sources> {
        let inputs: VecDeque<Input> = inputs.into_iter().collect();
        if inputs.iter().filter(|i| **i == Input::Stdin).count() > 1 {
            return Err(Error::Usage(
                "standard input (`-`) is named more than once".into(),
            ));
        }
        for input in &inputs {
            self.format_of(input)?;
        }
        for input in inputs.iter().filter(|i| **i != Input::Stdin) {
            self.open(input)?;
        }
        Ok(Sources {
            settings: self.clone(),
            pending: inputs,
            current: None,
            tally: Tally::default(),
            inputs: Vec::new(),
            bytes_done: 0,
            done: false,
        })
    }
}

/// Builds [`SourceSettings`].
#[derive(Debug, Clone)]
pub struct SourceSettingsBuilder {
    format: Option<Format>,
    fields: FieldMap,
    max_record_bytes: usize,
    timezone: TimeZone,
    delimiter: Option<u8>,
}

impl Default for SourceSettingsBuilder {
    fn default() -> SourceSettingsBuilder {
        SourceSettingsBuilder::new()
    }
}

impl SourceSettingsBuilder {
    /// The defaults: format from each file's extension, fields by name and alias, 1 MiB records,
    /// UTC, `,` for CSV and tab for TSV.
    pub fn new() -> SourceSettingsBuilder {
        SourceSettingsBuilder {
            format: None,
            fields: FieldMap::new(),
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            timezone: TimeZone::UTC,
            delimiter: None,
        }
    }

    /// Forces one format on every input (`None`: from each file's extension).
    pub fn format(&mut self, format: Option<Format>) -> &mut SourceSettingsBuilder {
        self.format = format;
        self
    }

    /// Which input fields hold what.
    pub fn fields(&mut self, fields: FieldMap) -> &mut SourceSettingsBuilder {
        self.fields = fields;
        self
    }

    /// The largest line or CSV row accepted, in bytes; longer ones are rejected.
    pub fn max_record_bytes(&mut self, bytes: usize) -> &mut SourceSettingsBuilder {
        self.max_record_bytes = bytes;
        self
    }

    /// The zone for timestamps without an offset (`2026-03-01 10:15`).
    pub fn timezone(&mut self, zone: TimeZone) -> &mut SourceSettingsBuilder {
        self.timezone = zone;
        self
    }

    /// The CSV/TSV field delimiter (`None`: `,` for CSV, tab for TSV).
    pub fn delimiter(&mut self, delimiter: Option<u8>) -> &mut SourceSettingsBuilder {
        self.delimiter = delimiter;
        self
    }

    /// The settings.
    ///
    /// # Errors
    /// [`Error::Usage`] for a zero size limit, a delimiter that cannot work (a quote, a line break,
    /// a non-ASCII byte) or that was given for a format without one, field names for plain text,
    /// an empty field name, or one input field named for two record fields.
    pub fn build(&self) -> Result<SourceSettings> {
        let usage = |message: String| Err(Error::Usage(message));
        if self.max_record_bytes == 0 {
            return usage("the record size limit must be at least 1 byte".into());
        }
        if let Some(d) = self.delimiter {
            if matches!(d, b'"' | b'\n' | b'\r') || !d.is_ascii() {
                return usage(format!(
                    "the delimiter cannot be {:?}",
                    char::from(d).escape_default().to_string()
                ));
            }
            if matches!(self.format, Some(Format::Jsonl | Format::Text)) {
                return usage(format!(
                    "a delimiter applies to CSV and TSV only, not {}",
                    self.format.map_or("", Format::name)
                ));
            }
        }
        let explicit: Vec<(Field, &str)> = self.fields.explicit().collect();
        if self.format == Some(Format::Text) && !explicit.is_empty() {
            return usage(
                "plain text has no fields to name; field names apply to JSONL, CSV and TSV".into(),
            );
        }
        for (i, (field, name)) in explicit.iter().enumerate() {
            if name.is_empty() {
                return usage(format!("the input name for {} is empty", field.name()));
            }
            if let Some((other, _)) = explicit[..i].iter().find(|(_, n)| n == name) {
                return usage(format!(
                    "`{name}` is named for both {} and {}",
                    other.name(),
                    field.name()
                ));
            }
        }
        Ok(SourceSettings {
            inner: Arc::new(Settings {
                format: self.format,
                fields: self.fields.clone(),
                max_record_bytes: self.max_record_bytes,
                timezone: self.timezone.clone(),
                delimiter: self.delimiter,
            }),
        })
    }
}

/// What a source yields for each record it reads.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// A normalised record.
    Record(Record),
    /// A line or row that could not become one.
    Reject(Reject),
}

/// One record's parse, before the place is attached.
#[derive(Debug)]
pub(crate) enum Parsed {
    Record(Box<Record>),
    Problem(Problem),
}

#[derive(Debug)]
enum Parser {
    Lines(LineParser),
    Delimited(Box<DelimitedParser>),
    /// A CSV/TSV input without even a header.
    Empty,
}

/// The parser of a format with one record per line (JSONL, plain text), shared by
/// [`SourceReader`] and the follower so that a line means the same thing to both.
#[derive(Debug)]
pub(crate) enum LineParser {
    Jsonl(JsonlParser),
    Text,
}

impl LineParser {
    /// The parser for `format`; `None` for the formats whose records may span lines (CSV, TSV).
    pub(crate) fn new(format: Format) -> Option<LineParser> {
        match format {
            Format::Jsonl => Some(LineParser::Jsonl(JsonlParser::default())),
            Format::Text => Some(LineParser::Text),
            Format::Csv | Format::Tsv => None,
        }
    }

    /// Parses one line: `raw` holds its first bytes without the `\n` (at most the size limit plus
    /// one), `len` its full length. A final `\r` is dropped from both. `None` for a blank line,
    /// which is no record; otherwise the parse and the line's length without the `\r`.
    pub(crate) fn parse_line(
        &mut self,
        raw: &mut Vec<u8>,
        mut len: u64,
        settings: &SourceSettings,
    ) -> Option<(Parsed, u64)> {
        let cap = settings.max_record_bytes();
        let truncated = len > raw.len() as u64;
        if !truncated && raw.last() == Some(&b'\r') {
            raw.pop();
            len -= 1;
        }
        if len > cap as u64 {
            Some((too_large(len, cap), len))
        } else if is_blank(raw) {
            None
        } else {
            let parsed = match self {
                LineParser::Jsonl(parser) => parser.parse(raw, settings),
                LineParser::Text => text::parse(raw),
            };
            Some((parsed, len))
        }
    }
}

/// The entry a parse makes of line `line` of `name` (whose bytes are in `raw`, `len` in full),
/// counted in `tally`.
pub(crate) fn entry_of(
    parsed: Parsed,
    name: &str,
    line: u64,
    raw: &[u8],
    len: u64,
    tally: &mut Tally,
) -> Entry {
    match parsed {
        Parsed::Record(record) => {
            tally.accept();
            Entry::Record(*record)
        }
        Parsed::Problem(problem) => {
            tally.reject(problem.kind);
            Entry::Reject(Reject::new(
                name,
                line,
                problem.kind,
                problem.field,
                problem.reason,
                raw,
                len,
            ))
        }
    }
}

/// The records of one input, as an iterator of [`Entry`]s. After an error it yields nothing more.
pub struct SourceReader {
    settings: SourceSettings,
    input: Input,
    name: String,
    format: Format,
    gzip: bool,
    lines: LineReader,
    raw: Vec<u8>,
    parser: Parser,
    tally: Tally,
    done: bool,
}

impl fmt::Debug for SourceReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SourceReader")
            .field("input", &self.input)
            .field("format", &self.format)
            .field("gzip", &self.gzip)
            .field("line", &self.lines.lines())
            .field("tally", &self.tally)
            .finish_non_exhaustive()
    }
}

impl SourceReader {
    fn new(
        settings: SourceSettings,
        input: Input,
        format: Format,
        opened: reader::Opened,
    ) -> Result<SourceReader> {
        let mut reader = SourceReader {
            name: input.to_string(),
            settings,
            input,
            format,
            gzip: opened.gzip,
            lines: LineReader::new(opened.reader),
            raw: Vec::new(),
            parser: Parser::Empty,
            tally: Tally::default(),
            done: false,
        };
        reader.parser = match LineParser::new(format) {
            Some(parser) => Parser::Lines(parser),
            None => {
                let (default, quoting) = match format {
                    Format::Csv => (b',', true),
                    _ => (b'\t', false),
                };
                let delimiter = reader.settings.delimiter().unwrap_or(default);
                let mut scanner = RowScanner::new(delimiter, quoting);
                let cap = reader.settings.max_record_bytes();
                let header = next_row(&mut reader.lines, &mut scanner, &mut reader.raw, cap)
                    .map_err(|e| read_error(&reader.name, reader.gzip, &reader.lines, e))?;
                match DelimitedParser::new(
                    &reader.name,
                    header,
                    &reader.raw,
                    scanner,
                    &reader.settings,
                )? {
                    Some(parser) => Parser::Delimited(Box::new(parser)),
                    None => Parser::Empty,
                }
            }
        };
        Ok(reader)
    }

    /// The input being read.
    pub fn input(&self) -> &Input {
        &self.input
    }

    /// Its format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Whether it is gzip-compressed.
    pub fn is_gzip(&self) -> bool {
        self.gzip
    }

    /// What it has yielded so far.
    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    /// Bytes read so far (decompressed, for gzip).
    pub fn bytes_read(&self) -> u64 {
        self.lines.bytes()
    }

    fn next_entry(&mut self) -> Result<Option<Entry>> {
        let cap = self.settings.max_record_bytes();
        loop {
            let (parsed, line, len) = match &mut self.parser {
                Parser::Empty => return Ok(None),
                Parser::Delimited(parser) => {
                    let row = next_row(&mut self.lines, &mut parser.scanner, &mut self.raw, cap)
                        .map_err(|e| read_error(&self.name, self.gzip, &self.lines, e))?;
                    match row {
                        None => return Ok(None),
                        Some(Row::Complete { line }) => (
                            parser.parse(&self.raw, &self.settings),
                            line,
                            self.raw.len() as u64,
                        ),
                        Some(Row::TooLarge { line, len }) => (too_large(len, cap), line, len),
                        Some(Row::Unterminated { line, len, lines }) => {
                            let problem = Problem::new(
                                RejectKind::UnterminatedQuote,
                                None,
                                format!(
                                    "unterminated quoted field: the quote opened on this row is \
                                     still open at the end of the input ({lines} lines, {len} bytes)"
                                ),
                            );
                            (Parsed::Problem(problem), line, len)
                        }
                    }
                }
                Parser::Lines(parser) => {
                    self.raw.clear();
                    let line = self
                        .lines
                        .next_line(&mut self.raw, cap + 1, |_| {})
                        .map_err(|e| read_error(&self.name, self.gzip, &self.lines, e))?;
                    let Some(line) = line else {
                        return Ok(None);
                    };
                    match parser.parse_line(&mut self.raw, line.len, &self.settings) {
                        Some((parsed, len)) => (parsed, line.number, len),
                        None => continue,
                    }
                }
            };
            let entry = entry_of(parsed, &self.name, line, &self.raw, len, &mut self.tally);
            return Ok(Some(entry));
        }
    }
}

impl Iterator for SourceReader {
    type Item = Result<Entry>;

    fn next(&mut self) -> Option<Result<Entry>> {
        if self.done {
            return None;
        }
        // The first error, or the end, is the last item.
        let item = self.next_entry().transpose();
        self.done = !matches!(item, Some(Ok(_)));
        item
    }
}

fn too_large(len: u64, cap: usize) -> Parsed {
    Parsed::Problem(Problem::new(
        RejectKind::TooLarge,
        None,
        format!("record over the size limit ({len} bytes; the limit is {cap})"),
    ))
}

/// The error for a read that failed midway, naming the input and how far it got.
fn read_error(name: &str, gzip: bool, lines: &LineReader, e: io::Error) -> Error {
    let at = format!("after line {}", lines.lines());
    if gzip {
        let message = format!(
            "corrupt gzip stream {at} ({} bytes decompressed): {e}",
            lines.bytes()
        );
        Error::io(name, io::Error::new(io::ErrorKind::InvalidInput, message))
    } else {
        Error::io(
            name,
            io::Error::new(e.kind(), format!("read failed {at}: {e}")),
        )
    }
}

/// One input's share of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputTally {
    /// The input: its path, or `-`.
    pub source: String,
    /// Its format.
    pub format: Format,
    /// Whether it was gzip-compressed.
    pub gzip: bool,
    /// What it yielded.
    #[serde(flatten)]
    pub tally: Tally,
}

/// Several inputs read one after the other, as one iterator of [`Entry`]s. After an error it
/// yields nothing more.
#[derive(Debug)]
pub struct Sources {
    settings: SourceSettings,
    pending: VecDeque<Input>,
    current: Option<SourceReader>,
    tally: Tally,
    inputs: Vec<InputTally>,
    /// Bytes of the inputs already read to the end.
    bytes_done: u64,
    done: bool,
}

impl Sources {
    /// Bytes read so far over all inputs (decompressed, for gzip).
    pub fn bytes_read(&self) -> u64 {
        self.bytes_done + self.current.as_ref().map_or(0, SourceReader::bytes_read)
    }

    /// Whether an input opened so far is gzip-compressed.
    pub fn any_gzip(&self) -> bool {
        self.inputs.iter().any(|i| i.gzip)
    }

    /// What all inputs have yielded so far.
    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    /// Per input opened so far, what it has yielded.
    pub fn inputs(&self) -> &[InputTally] {
        &self.inputs
    }

    /// The input being read, if any.
    pub fn current(&self) -> Option<&Input> {
        self.current.as_ref().map(SourceReader::input)
    }
}

impl Iterator for Sources {
    type Item = Result<Entry>;

    fn next(&mut self) -> Option<Result<Entry>> {
        while !self.done {
            let reader = match &mut self.current {
                Some(reader) => reader,
                None => {
                    let input = self.pending.pop_front()?;
                    match self.settings.open(&input) {
                        Ok(reader) => {
                            self.inputs.push(InputTally {
                                source: input.to_string(),
                                format: reader.format(),
                                gzip: reader.is_gzip(),
                                tally: Tally::default(),
                            });
                            self.current.insert(reader)
                        }
                        Err(e) => {
                            self.done = true;
                            return Some(Err(e));
                        }
                    }
                }
            };
            match reader.next() {
                Some(Ok(entry)) => {
                    let this = &mut self.inputs.last_mut().expect("pushed on open").tally;
                    match &entry {
                        Entry::Record(_) => {
                            self.tally.accept();
                            this.accept();
                        }
                        Entry::Reject(reject) => {
                            self.tally.reject(reject.kind);
                            this.reject(reject.kind);
                        }
                    }
                    return Some(Ok(entry));
                }
                Some(Err(e)) => {
                    self.done = true;
                    return Some(Err(e));
                }
                None => {
                    self.bytes_done += reader.bytes_read();
                    self.current = None;
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests;
