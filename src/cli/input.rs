//! What every command that reads records shares: the input flags ([`InputArgs`], resolved once into
//! [`SourceSettings`]) and the reporting of a run ([`RunReport`]: a progress line on a terminal,
//! reject messages, the `--rejects` file and the end-of-run summary on stderr).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiff::tz::{Offset, TimeZone};
use kashev::source::{
    Field, FieldMap, Format, Input, InputTally, Reject, SourceSettings, Sources, Tally,
};
use serde::Serialize;

use super::{Outcome, UsageError};

/// How many rejects are printed on stderr; the rest are counted (and written by `--rejects`).
pub const REJECTS_SHOWN: u64 = 20;

/// An input format, as a flag value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// One JSON object per line.
    #[value(alias = "ndjson", alias = "json")]
    Jsonl,
    /// Comma-separated, with a header row.
    Csv,
    /// Tab-separated, with a header row, no quoting.
    Tsv,
    /// One record per line.
    #[value(alias = "txt")]
    Text,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Format {
        match arg {
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Csv => Format::Csv,
            FormatArg::Tsv => Format::Tsv,
            FormatArg::Text => Format::Text,
        }
    }
}

/// Flags for reading records: inputs, format, field names, limits, and how the run is reported.
#[derive(Debug, Clone, clap::Args)]
pub struct InputArgs {
    /// Files to read, in order; `-` is standard input (the default when none is given). Gzip is
    /// recognised from the content.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Read every input as FORMAT instead of going by its extension (.jsonl/.ndjson/.json,
    /// .csv, .tsv/.tab, .txt/.log, each optionally .gz). Standard input is jsonl unless given.
    #[arg(
        short = 'f',
        long,
        value_enum,
        value_name = "FORMAT",
        help_heading = "Input"
    )]
    pub format: Option<FormatArg>,

    /// Largest record (a line, or a CSV row) accepted; longer ones are rejected. Bytes, or with a
    /// K, M or G suffix (powers of 1024).
    #[arg(long, value_name = "SIZE", default_value = "1MiB", value_parser = parse_size, help_heading = "Input")]
    pub max_record_bytes: usize,

    /// Time zone for timestamps without an offset: an IANA name (Asia/Jerusalem), UTC, or an
    /// offset such as +02:00. Output timestamps are always UTC.
    #[arg(long, value_name = "ZONE", default_value = "UTC", value_parser = parse_timezone, help_heading = "Input")]
    pub timezone: TimeZone,

    /// CSV/TSV field delimiter: one ASCII character, or tab, comma, semicolon, pipe, space (`\t`
    /// also means tab). Default: `,` for CSV, tab for TSV.
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter, help_heading = "Input")]
    pub delimiter: Option<u8>,

    /// Input field (JSON key or CSV column) holding the text. Default: text, else body, message,
    /// note, notes, content, comment, description (any case).
    #[arg(long, value_name = "NAME", help_heading = "Fields")]
    pub text_field: Option<String>,

    /// Input field holding the record id. Default: id, record_id, ticket_id, interaction_id.
    /// Records without one get an id derived from their content.
    #[arg(long, value_name = "NAME", help_heading = "Fields")]
    pub id_field: Option<String>,

    /// Input field holding the customer id. Default: customer_id, customer, client_id,
    /// account_id.
    #[arg(long, value_name = "NAME", help_heading = "Fields")]
    pub customer_field: Option<String>,

    /// Input field holding the channel. Default: channel, source_channel, medium.
    #[arg(long, value_name = "NAME", help_heading = "Fields")]
    pub channel_field: Option<String>,

    /// Input field holding the agent id. Default: agent_id, agent, rep_id.
    #[arg(long, value_name = "NAME", help_heading = "Fields")]
    pub agent_field: Option<String>,

    /// Input field holding the timestamp. Default: timestamp, created_at, time, date, datetime.
    #[arg(long, value_name = "NAME", help_heading = "Fields")]
    pub timestamp_field: Option<String>,

    /// Input field holding the language. Default: lang, language. Absent: detected from the text.
    #[arg(long, value_name = "NAME", help_heading = "Fields")]
    pub lang_field: Option<String>,

    /// Also write every rejected record to PATH as JSON Lines (source, line, kind, field, reason,
    /// raw).
    #[arg(long, value_name = "PATH", help_heading = "Reporting")]
    pub rejects: Option<PathBuf>,

    /// Print no progress, reject messages or summary on stderr (errors are still printed).
    #[arg(short, long, help_heading = "Reporting")]
    pub quiet: bool,

    /// Print the end-of-run summary on stderr as one JSON object.
    #[arg(long, visible_alias = "json", help_heading = "Reporting")]
    pub summary_json: bool,
}

impl InputArgs {
    /// The field map the flags name.
    pub fn field_map(&self) -> FieldMap {
        let mut map = FieldMap::new();
        let named = [
            (Field::Text, &self.text_field),
            (Field::Id, &self.id_field),
            (Field::CustomerId, &self.customer_field),
            (Field::Channel, &self.channel_field),
            (Field::AgentId, &self.agent_field),
            (Field::Timestamp, &self.timestamp_field),
            (Field::Lang, &self.lang_field),
        ];
        for (field, name) in named {
            if let Some(name) = name {
                map.set(field, name.clone());
            }
        }
        map
    }

    /// The source settings the flags describe.
    ///
    /// # Errors
    /// A [`UsageError`] for flags that do not go together (a delimiter with `--format jsonl`, field
    /// names with `--format text`, one column named for two fields).
    pub fn settings(&self) -> Result<SourceSettings, UsageError> {
        SourceSettings::builder()
            .format(self.format.map(Format::from))
            .fields(self.field_map())
            .max_record_bytes(self.max_record_bytes)
            .timezone(self.timezone.clone())
            .delimiter(self.delimiter)
            .build()
            .map_err(|e| UsageError(e.to_string()))
    }

    /// The inputs, standard input when none is given.
    pub fn inputs(&self) -> Vec<Input> {
        if self.inputs.is_empty() {
            vec![Input::Stdin]
        } else {
            self.inputs.iter().map(Input::from_arg).collect()
        }
    }

    /// Every input, checked and ready to stream.
    ///
    /// # Errors A usage error for bad flags, a missing or unreadable file, an unknown extension or
    /// an unusable CSV header.
    pub fn sources(&self) -> anyhow::Result<Sources> {
        let settings = self.settings()?;
        Ok(settings.sources(self.inputs())?)
    }
}

/// `1048576`, `512K`, `64KiB`, `1M`, `1MiB`, `2G`.
fn parse_size(s: &str) -> Result<usize, String> {
    let s = s.trim();
    let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (number, unit) = s.split_at(digits);
    let number: usize = number
        .parse()
        .map_err(|_| format!("`{s}` is not a size (e.g. 1048576, 512K, 1MiB)"))?;
    let scale: usize = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("unknown size unit in `{s}` (use K, M or G)")),
    };
    let bytes = number
        .checked_mul(scale)
        .ok_or_else(|| format!("`{s}` is too large"))?;
    if bytes == 0 {
        return Err("the size must be at least 1 byte".into());
    }
    Ok(bytes)
}

/// `UTC`, an IANA name, or a fixed offset `±HH[:MM]`.
fn parse_timezone(s: &str) -> Result<TimeZone, String> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("utc") || s == "Z" {
        return Ok(TimeZone::UTC);
    }
    if let Some(sign) = s.chars().next().filter(|c| *c == '+' || *c == '-') {
        let rest = &s[1..];
        let (hours, minutes) = rest.split_once(':').unwrap_or((rest, "0"));
        let parsed = hours.parse::<i32>().ok().zip(minutes.parse::<i32>().ok());
        if let Some((h, m)) = parsed.filter(|(h, m)| (0..=25).contains(h) && (0..60).contains(m)) {
            let seconds = (h * 3600 + m * 60) * if sign == '-' { -1 } else { 1 };
            return Offset::from_seconds(seconds)
                .map(TimeZone::fixed)
                .map_err(|e| format!("bad offset `{s}`: {e}"));
        }
        return Err(format!("bad offset `{s}` (expected ±HH:MM)"));
    }
    TimeZone::get(s).map_err(|_| {
        format!(
            "unknown time zone `{s}` (use an IANA name such as Asia/Jerusalem, UTC, or an offset \
             such as +02:00)"
        )
    })
}

/// One ASCII character, or a name for an awkward one.
fn parse_delimiter(s: &str) -> Result<u8, String> {
    let byte = match s {
        "tab" | "\\t" | "\t" => b'\t',
        "comma" => b',',
        "semicolon" => b';',
        "pipe" => b'|',
        "space" => b' ',
        _ if s.len() == 1 && s.is_ascii() => s.as_bytes()[0],
        _ => {
            return Err(format!(
                "`{s}` is not one ASCII character (or tab, comma, semicolon, pipe, space)"
            ));
        }
    };
    if matches!(byte, b'"' | b'\n' | b'\r') {
        return Err("the delimiter cannot be a quote or a line break".into());
    }
    Ok(byte)
}

/// Reports a run on stderr: progress on a terminal, reject messages, the `--rejects` file, the
/// summary. Commands call [`RunReport::tick`] for every entry, [`RunReport::reject`] for rejects,
/// then [`RunReport::finish`] (or [`RunReport::abort`] on an error).
pub struct RunReport {
    progress: ProgressBar,
    rejects: Option<(PathBuf, BufWriter<File>)>,
    line: Vec<u8>,
    shown: u64,
    entries: u64,
    quiet: bool,
    summary_json: bool,
    started: Instant,
    counts: Option<Counts>,
    /// Lines and JSON fields a command adds to the summary (`kashev index`: the index).
    extra: Option<(Vec<String>, serde_json::Value)>,
}

/// What a classifying command counted, for the summary.
#[derive(Debug, Clone, Serialize)]
struct Counts {
    sentiment: BTreeMap<String, u64>,
    labels: BTreeMap<String, u64>,
}

impl RunReport {
    /// Starts reporting; creates the `--rejects` file.
    ///
    /// # Errors
    /// When the rejects file cannot be created.
    pub fn start(args: &InputArgs) -> anyhow::Result<RunReport> {
        let rejects = match &args.rejects {
            Some(path) => {
                // A bad path is the user's to fix (exit 2), like a missing input.
                let file = File::create(path).map_err(|e| kashev::Error::io(path, e))?;
                Some((path.clone(), BufWriter::new(file)))
            }
            None => None,
        };
        // With only plain files to read, the bar knows the total and shows an ETA; from stdin it
        // counts records.
        let total_bytes: Option<u64> = args
            .inputs
            .iter()
            .map(|p| {
                let plain = p.as_os_str() != "-" && p.extension().is_none_or(|e| e != "gz");
                std::fs::metadata(p)
                    .ok()
                    .filter(|m| plain && m.is_file())
                    .map(|m| m.len())
            })
            .sum::<Option<u64>>()
            .filter(|&n| n > 0 && !args.inputs.is_empty());
        let progress = if !args.quiet && io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(total_bytes, ProgressDrawTarget::stderr());
            let template = if total_bytes.is_some() {
                "{spinner} [{bar:28}] {percent:>3}%  {msg}  {elapsed} elapsed, ETA {eta}"
            } else {
                "{spinner} {msg}  {elapsed}"
            };
            let style = ProgressStyle::with_template(template)
                .expect("a valid template")
                .progress_chars("=> ");
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        } else {
            ProgressBar::hidden()
        };
        Ok(RunReport {
            progress,
            rejects,
            line: Vec::new(),
            shown: 0,
            entries: 0,
            quiet: args.quiet,
            summary_json: args.summary_json,
            started: Instant::now(),
            counts: None,
            extra: None,
        })
    }

    /// Adds counts per sentiment and per label to the summary.
    pub fn set_counts(&mut self, sentiment: BTreeMap<String, u64>, labels: BTreeMap<String, u64>) {
        self.counts = Some(Counts { sentiment, labels });
    }

    /// Adds what a command wants said at the end: `lines` on stderr, `json` as the `result` field
    /// of the JSON summary.
    pub fn set_extra(&mut self, lines: Vec<String>, json: serde_json::Value) {
        self.extra = Some((lines, json));
    }

    /// Notes one more entry read from `sources` (cheap: the display is updated every few thousand).
    pub fn tick(&mut self, sources: &Sources) {
        self.entries += 1;
        if self.entries % 4096 == 1 && !self.progress.is_hidden() {
            let read = sources.tally().read;
            let rate = read as f64 / self.started.elapsed().as_secs_f64().max(1e-3);
            let input = sources
                .current()
                .map(ToString::to_string)
                .unwrap_or_default();
            self.progress
                .set_message(format!("{read} records, {rate:.0}/s  {input}"));
            if self.progress.length().is_some() {
                if sources.any_gzip() {
                    // Decompressed bytes cannot be set against file sizes: no ETA after all.
                    self.progress.unset_length();
                    self.progress.set_style(
                        ProgressStyle::with_template("{spinner} {msg}  {elapsed}")
                            .expect("a valid template"),
                    );
                } else {
                    self.progress.set_position(sources.bytes_read());
                }
            }
        }
    }

    /// Reports a reject: on stderr (the first [`REJECTS_SHOWN`]) and in the rejects file.
    ///
    /// # Errors
    /// When the rejects file cannot be written.
    pub fn reject(&mut self, reject: &Reject) -> anyhow::Result<()> {
        if let Some((path, out)) = &mut self.rejects {
            self.line.clear();
            serde_json::to_writer(&mut self.line, reject).expect("a reject serialises");
            self.line.push(b'\n');
            out.write_all(&self.line)
                .with_context(|| format!("writing rejects to {}", path.display()))?;
        }
        if !self.quiet && self.shown < REJECTS_SHOWN {
            self.shown += 1;
            self.eprint(&format!("kashev: {reject}"));
        }
        Ok(())
    }

    /// Ends a run that read everything: flushes the rejects file, prints the summary.
    ///
    /// # Errors
    /// When the rejects file cannot be written.
    pub fn finish(mut self, sources: &Sources) -> anyhow::Result<Outcome> {
        self.close_rejects()?;
        self.summarise(sources.tally(), sources.inputs(), true);
        Ok(if sources.tally().rejected > 0 {
            Outcome::Rejected
        } else {
            Outcome::Success
        })
    }

    /// Ends a run over a followed input (which has no [`Sources`]): flushes the rejects file,
    /// prints the summary with `tally`.
    ///
    /// # Errors
    /// When the rejects file cannot be written.
    pub fn finish_stream(mut self, tally: &Tally) -> anyhow::Result<Outcome> {
        self.close_rejects()?;
        self.summarise(tally, &[], true);
        Ok(if tally.rejected > 0 {
            Outcome::Rejected
        } else {
            Outcome::Success
        })
    }

    /// Ends a run that stopped on `error`: keeps what was written and prints the summary so far,
    /// except when the reader of the output went away (`| head`), which is no failure to report.
    pub fn abort(mut self, sources: &Sources, error: &anyhow::Error) {
        let _ = self.close_rejects();
        let broken_pipe = error.chain().any(|cause| {
            cause
                .downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
        });
        if broken_pipe {
            self.progress.finish_and_clear();
        } else {
            self.summarise(sources.tally(), sources.inputs(), false);
        }
    }

    fn close_rejects(&mut self) -> anyhow::Result<()> {
        if let Some((path, out)) = &mut self.rejects {
            out.flush()
                .with_context(|| format!("writing rejects to {}", path.display()))?;
        }
        Ok(())
    }

    fn summarise(&mut self, tally: &Tally, inputs: &[InputTally], complete: bool) {
        self.progress.finish_and_clear();
        if self.summary_json {
            let summary = Summary {
                complete,
                tally,
                inputs,
                elapsed_seconds: self.started.elapsed().as_secs_f64(),
                counts: self.counts.as_ref(),
                result: self.extra.as_ref().map(|(_, json)| json),
            };
            let json = serde_json::to_string(&summary).expect("a summary serialises");
            self.eprint(&json);
            return;
        }
        if self.quiet {
            return;
        }
        let hidden = tally.rejected.saturating_sub(self.shown);
        if hidden > 0 {
            let whereto = match &self.rejects {
                Some((path, _)) => format!("all are in {}", path.display()),
                None => "--rejects PATH writes them all".into(),
            };
            self.eprint(&format!(
                "kashev: {hidden} more rejects not shown; {whereto}"
            ));
        }
        let stopped = if complete { "" } else { " before stopping" };
        // `read 1200 records, 1190 accepted, 10 rejected (4 invalid JSON, 3 missing text, …)`
        self.eprint(&format!("kashev: {tally}{stopped}"));
        if let Some(counts) = &self.counts {
            let join = |m: &BTreeMap<String, u64>| {
                let mut v: Vec<(&String, &u64)> = m.iter().collect();
                v.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
                v.iter()
                    .map(|(k, n)| format!("{k} {n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            self.eprint(&format!("kashev: sentiment: {}", join(&counts.sentiment)));
            if !counts.labels.is_empty() {
                self.eprint(&format!("kashev: labels: {}", join(&counts.labels)));
            }
        }
        if let Some((lines, _)) = &self.extra {
            for line in lines {
                self.eprint(&format!("kashev: {line}"));
            }
        }
    }

    fn eprint(&self, line: &str) {
        // A closed stderr must not turn a finished run into a failure.
        self.progress.suspend(|| {
            let _ = writeln!(io::stderr().lock(), "{line}");
        });
    }
}

/// The `--summary-json` object.
#[derive(Serialize)]
struct Summary<'a> {
    /// Whether every input was read to the end (false when an error stopped the run).
    complete: bool,
    #[serde(flatten)]
    tally: &'a Tally,
    inputs: &'a [InputTally],
    elapsed_seconds: f64,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    counts: Option<&'a Counts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<&'a serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        let cases: [(&str, Result<usize, ()>); 9] = [
            ("1048576", Ok(1 << 20)),
            ("1MiB", Ok(1 << 20)),
            ("1M", Ok(1 << 20)),
            ("512k", Ok(512 << 10)),
            ("64 KB", Ok(64 << 10)),
            ("2G", Ok(2 << 30)),
            ("0", Err(())),
            ("1.5M", Err(())),
            ("lots", Err(())),
        ];
        for (input, want) in cases {
            assert_eq!(parse_size(input).map_err(|_| ()), want, "{input}");
        }
    }

    #[test]
    fn timezones() {
        let ts: jiff::Timestamp = "2026-01-15T10:00:00Z".parse().unwrap();
        let cases: [(&str, Option<i32>); 7] = [
            ("UTC", Some(0)),
            ("utc", Some(0)),
            ("+02:00", Some(7200)),
            ("-05", Some(-18000)),
            ("Asia/Jerusalem", Some(7200)),
            ("Mars/Olympus", None),
            ("+2x", None),
        ];
        for (input, want) in cases {
            let got = parse_timezone(input)
                .ok()
                .map(|tz| tz.to_offset(ts).seconds());
            assert_eq!(got, want, "{input}");
        }
    }

    #[test]
    fn delimiters() {
        let cases: [(&str, Option<u8>); 8] = [
            (",", Some(b',')),
            (";", Some(b';')),
            ("\\t", Some(b'\t')),
            ("tab", Some(b'\t')),
            ("pipe", Some(b'|')),
            ("\"", None),
            ("ab", None),
            ("ש", None),
        ];
        for (input, want) in cases {
            assert_eq!(parse_delimiter(input).ok(), want, "{input}");
        }
    }
}
