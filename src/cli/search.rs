//! `kashev search`: the query language and filters over the index; results with time, channel,
//! customer, labels, sentiment and a snippet with the query words and the evidence highlighted.

use std::io::{self, IsTerminal as _, Write as _};

use anyhow::Context as _;
use jiff::Timestamp;
pub use kashev::index::search::parse_when;
use kashev::index::search::{Highlight, Mark, SearchHit, SearchRequest, Sort, parse_risk};
use kashev::index::{Index, StoredDoc, StoredEvidence};
use kashev::report::{JsonHit, JsonResults};

use super::index::IndexDirArgs;
use super::lexicon_args::LexiconArgs;
use super::{Outcome, UsageError};

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorArg {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorArg {
    /// Whether to colour standard output.
    pub fn enabled(self) -> bool {
        match self {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }
}

/// An order, as a flag value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SortArg {
    /// Best match first.
    Relevance,
    /// Newest first.
    Time,
}

/// Filters shared by `search` and `trends`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Only records with this label (repeatable: any of them).
    #[arg(long, value_name = "LABEL", help_heading = "Filters")]
    pub label: Vec<String>,
    /// Only records with a label under this prefix (`complaint.`, `churn.`; repeatable).
    #[arg(long, value_name = "PREFIX", help_heading = "Filters")]
    pub label_prefix: Vec<String>,
    /// Only records from this channel (repeatable).
    #[arg(long, value_name = "CHANNEL", help_heading = "Filters")]
    pub channel: Vec<String>,
    /// Only records of this customer (repeatable).
    #[arg(long, value_name = "ID", help_heading = "Filters")]
    pub customer: Vec<String>,
    /// Only records at or after this time: a date (2026-03-01), an RFC 3339 time, or a span back
    /// from now (7d, 24h, 2w).
    #[arg(long, value_name = "WHEN", value_parser = parse_when, help_heading = "Filters")]
    pub since: Option<Timestamp>,
    /// Only records before this time (same forms as --since; a date means its start).
    #[arg(long, value_name = "WHEN", value_parser = parse_when, help_heading = "Filters")]
    pub until: Option<Timestamp>,
    /// Only records with this sentiment: positive, negative or neutral (repeatable).
    #[arg(long, value_name = "SENTIMENT", value_parser = ["positive", "negative", "neutral"], help_heading = "Filters")]
    pub sentiment: Vec<String>,
    /// Only records with at least this churn risk (0 to 1).
    #[arg(long, value_name = "X", value_parser = parse_risk, help_heading = "Filters")]
    pub min_churn_risk: Option<f64>,
}

impl FilterArgs {
    /// The filters as a request (no query, no paging).
    pub fn request(&self) -> SearchRequest {
        SearchRequest {
            labels: self.label.clone(),
            label_prefixes: self.label_prefix.clone(),
            channels: self.channel.clone(),
            customers: self.customer.clone(),
            since: self.since,
            until: self.until,
            sentiments: self.sentiment.clone(),
            min_churn_risk: self.min_churn_risk,
            ..SearchRequest::default()
        }
    }
}

/// Flags of `kashev search`.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// The query: words, "phrases", AND / OR / NOT, parentheses, field:value (label, group,
    /// channel, customer, agent, lang, sentiment, id, date:FROM..TO). Empty lists every record the
    /// filters allow, newest first.
    #[arg(value_name = "QUERY", default_value = "")]
    query: String,

    #[command(flatten)]
    filters: FilterArgs,

    /// How many results.
    #[arg(short = 'n', long, value_name = "N", default_value_t = 10)]
    limit: usize,

    /// Skip this many results first (paging).
    #[arg(long, value_name = "N", default_value_t = 0)]
    offset: usize,

    /// Order: relevance (the default with a query) or time (newest first; the default without).
    #[arg(long, value_enum)]
    sort: Option<SortArg>,

    /// One JSON object: total, hits with their record, labels, evidence and highlight offsets.
    #[arg(long)]
    json: bool,

    /// Colour the highlights.
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorArg,

    #[command(flatten)]
    dir: IndexDirArgs,

    #[command(flatten)]
    lexicons: LexiconArgs,
}

/// Runs `kashev search`.
pub fn run(args: SearchArgs) -> anyhow::Result<Outcome> {
    if args.limit == 0 {
        return Err(UsageError("--limit must be at least 1".into()).into());
    }
    let index = Index::open(&args.dir.index, args.lexicons.load()?)?;
    if let Some(mismatch) = index.lexicon_mismatch() {
        eprintln!("kashev: warning: {mismatch}");
    }
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let request = SearchRequest {
        query: args.query.clone(),
        limit: args.limit,
        offset: args.offset,
        sort: args.sort.map(|s| match s {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Time => Sort::Time,
        }),
        ..args.filters.request()
    };
    let results = index.search(&searcher, &request)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if args.json {
        let json = JsonResults {
            query: &args.query,
            total: results.total,
            offset: args.offset,
            sort: results.sort,
            hits: results.hits.iter().map(JsonHit::from).collect(),
        };
        serde_json::to_writer(&mut out, &json)?;
        writeln!(out)?;
    } else {
        let color = args.color.enabled();
        let shown = results.hits.len();
        let order = match results.sort {
            Sort::Relevance => "best first",
            Sort::Time => "newest first",
        };
        if shown == 0 {
            let page = if results.total > 0 {
                format!(" (none from {} on)", args.offset + 1)
            } else {
                String::new()
            };
            writeln!(out, "{} matching records{page}", results.total)?;
        } else {
            writeln!(
                out,
                "{} matching records; showing {}–{} ({order})",
                results.total,
                args.offset + 1,
                args.offset + shown
            )?;
        }
        for hit in &results.hits {
            writeln!(out)?;
            write_hit(&mut out, hit, color)?;
        }
    }
    out.flush().context("writing the results")?;
    Ok(Outcome::Success)
}

pub(super) const BOLD: &str = "\x1b[1m";
pub(super) const DIM: &str = "\x1b[2m";
pub(super) const RESET: &str = "\x1b[0m";
const QUERY: &str = "\x1b[1;30;43m";
const EVIDENCE: &str = "\x1b[1;4;31m";
const SENTIMENT: &str = "\x1b[4;36m";

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 240;

fn write_hit(out: &mut impl io::Write, hit: &SearchHit, color: bool) -> io::Result<()> {
    write_record(out, &hit.doc, &hit.highlights, color)
}

/// Writes a record for the terminal: time, channel, customer and id; sentiment, churn risk and
/// labels; a snippet with the highlights; the evidence (when not coloured).
pub(super) fn write_record(
    out: &mut impl io::Write,
    doc: &StoredDoc,
    highlights: &[Highlight],
    color: bool,
) -> io::Result<()> {
    let r = &doc.record;
    let c = &doc.classification;
    let (b, d, z) = if color {
        (BOLD, DIM, RESET)
    } else {
        ("", "", "")
    };
    let time = r.timestamp.map_or_else(
        || "(no time)".to_string(),
        |ts| ts.strftime("%Y-%m-%d %H:%M").to_string(),
    );
    let labels: Vec<String> = c
        .labels
        .iter()
        .map(|l| format!("{} {:.2}", l.label, l.score))
        .collect();
    writeln!(
        out,
        "{b}{time}{z}  {}  customer {}  {d}{}{z}",
        r.channel.as_deref().unwrap_or("-"),
        r.customer_id.as_deref().unwrap_or("-"),
        r.id
    )?;
    writeln!(
        out,
        "  sentiment {} {:+.2}  churn risk {:.2}{}{}",
        c.sentiment.label,
        c.sentiment.score,
        c.churn_risk,
        if labels.is_empty() { "" } else { "  " },
        labels.join(", ")
    )?;
    writeln!(out, "  {}", snippet(&r.text, highlights, color))?;
    let evidence: Vec<&StoredEvidence> = c.labels.iter().flat_map(|l| &l.evidence).collect();
    if !evidence.is_empty() && !color {
        let spans: Vec<String> = c
            .labels
            .iter()
            .flat_map(|l| {
                l.evidence
                    .iter()
                    .map(move |e| format!("{} [{}]", l.label, clean(&e.text)))
            })
            .collect();
        writeln!(out, "  evidence: {}", spans.join("; "))?;
    }
    Ok(())
}

/// Text for one terminal line: line breaks and tabs become spaces; bidi controls, which would
/// reorder the line on a terminal, are dropped.
pub(super) fn clean(s: &str) -> String {
    s.chars()
        .filter(|&c| !kashev::analyze::is_ignorable(c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A window of the text around its first highlight, the highlights marked: colours on a
/// terminal, «…» for query words and [[…]] for evidence otherwise.
pub fn snippet(text: &str, highlights: &[Highlight], color: bool) -> String {
    let first = highlights
        .iter()
        .find(|h| h.mark == Mark::Query)
        .or(highlights.first())
        .map_or(0, |h| h.start);
    // Start a little before the first highlight, on a char boundary.
    let mut start = first.saturating_sub(60);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    if start > 0
        && let Some(space) = text[start..first].find(char::is_whitespace)
    {
        start += space + 1;
    }
    let mut end = text.len();
    if let Some((i, _)) = text[start..].char_indices().nth(SNIPPET_CHARS) {
        end = start + i;
    }
    // Cut the window at every highlight boundary; each piece is styled by the marks covering it
    // (highlights may overlap: a query word inside an evidence phrase).
    let mut cuts: Vec<usize> = vec![start, end];
    for h in highlights {
        for at in [h.start, h.end] {
            if at > start && at < end {
                cuts.push(at);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut open: Style = Style::default();
    for w in cuts.windows(2) {
        let (s, e) = (w[0], w[1]);
        let mut style = Style::default();
        for h in highlights.iter().filter(|h| h.start <= s && e <= h.end) {
            match &h.mark {
                Mark::Query => style.query = true,
                Mark::Evidence { label } if label == "sentiment" => style.sentiment = true,
                Mark::Evidence { .. } => style.evidence = true,
            }
        }
        if style != open {
            out.push_str(&transition(open, style, color));
            open = style;
        }
        out.push_str(&clean(&text[s..e]));
    }
    out.push_str(&transition(open, Style::default(), color));
    if end < text.len() {
        out.push('…');
    }
    out
}

/// The marks covering a piece of a snippet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Style {
    query: bool,
    evidence: bool,
    sentiment: bool,
}

/// What to write between a piece styled `from` and one styled `to`: escape codes on a terminal;
/// otherwise «…» around query words and [[…]] around evidence (sentiment evidence is unmarked).
fn transition(from: Style, to: Style, color: bool) -> String {
    if color {
        if from == to {
            return String::new();
        }
        let mut codes = String::from(RESET);
        if to.query {
            codes.push_str(QUERY);
        }
        if to.evidence {
            codes.push_str(EVIDENCE);
        } else if to.sentiment {
            codes.push_str(SENTIMENT);
        }
        return codes;
    }
    let mut out = String::new();
    if from.query && !to.query {
        out.push('»');
    }
    if from.evidence && !to.evidence {
        out.push_str("]]");
    }
    if !from.evidence && to.evidence {
        out.push_str("[[");
    }
    if !from.query && to.query {
        out.push('«');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(start: usize, end: usize, query: bool) -> Highlight {
        Highlight {
            start,
            end,
            mark: if query {
                Mark::Query
            } else {
                Mark::Evidence {
                    label: "complaint.billing".into(),
                }
            },
        }
    }

    #[test]
    fn snippets_mark_query_words_and_evidence_without_bidi_controls() {
        let text = "הלקוח\u{200F} ביקש ביטול\nחיוב כפול";
        let q = text.find("ביטול").unwrap();
        let e = text.find("חיוב").unwrap();
        let h = [
            mark(q, q + "ביטול".len(), true),
            mark(e, e + "חיוב כפול".len(), false),
        ];
        assert_eq!(snippet(text, &h, false), "הלקוח ביקש «ביטול» [[חיוב כפול]]");
    }

    #[test]
    fn overlapping_marks_nest() {
        let text = "קנס על ביטול המנוי";
        let q = text.find("ביטול").unwrap();
        let h = [
            mark(0, q + "ביטול".len(), false),
            mark(q, q + "ביטול".len(), true),
        ];
        assert_eq!(snippet(text, &h, false), "[[קנס על «ביטול»]] המנוי");
        let colored = snippet(text, &h, true);
        assert!(
            colored.contains(QUERY) && colored.contains(EVIDENCE) && colored.ends_with(" המנוי")
        );
    }

    #[test]
    fn long_texts_are_cut_around_the_first_query_word() {
        let text = format!("{} needle {}", "word ".repeat(100), "tail ".repeat(100));
        let q = text.find("needle").unwrap();
        let s = snippet(&text, &[mark(q, q + 6, true)], false);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("«needle»"));
        // The window, two ellipses and the two guillemets.
        assert!(
            s.chars().count() <= SNIPPET_CHARS + 4,
            "{}",
            s.chars().count()
        );
    }

    #[test]
    fn when_flags() {
        assert_eq!(
            parse_when("2026-03-01").unwrap().to_string(),
            "2026-03-01T00:00:00Z"
        );
        assert!(parse_when("7d").unwrap() < Timestamp::now());
        assert!(parse_when("yesterday").is_err());
        assert!(parse_when("99999999999999999d").is_err());
    }
}
