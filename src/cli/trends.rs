//! `kashev trends`: counts of matching records per day, week or month and per label, label group,
//! channel or sentiment, as a table with a sparkline per row, JSON or CSV; spikes flagged against
//! each key's trailing baseline, with `--spikes` listing them and the evidence driving them.

use std::io::{self, Write as _};

use anyhow::Context as _;
use jiff::civil::Date;
use kashev::index::Index;
use kashev::index::trends::{Interval, Spike, SpikeTest, TrendBy, Trends, TrendsRequest};
use kashev::report::{JsonTrends, write_trends_csv};

use super::Outcome;
use super::index::IndexDirArgs;
use super::lexicon_args::LexiconArgs;
use super::search::{ColorArg, FilterArgs, clean};

/// What the series are, as a flag value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ByArg {
    /// One row per complaint or churn label.
    Label,
    /// One row per label group (complaint, churn).
    LabelGroup,
    /// One row per channel.
    Channel,
    /// One row per sentiment (positive, negative, neutral).
    Sentiment,
}

/// A bucket size, as a flag value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum IntervalArg {
    /// Days (UTC).
    Day,
    /// Weeks starting on Monday (UTC).
    Week,
    /// Calendar months (UTC).
    Month,
}

/// Flags of `kashev trends`.
#[derive(Debug, clap::Args)]
pub struct TrendsArgs {
    /// The query, as for `kashev search`; empty counts every record the filters allow.
    #[arg(value_name = "QUERY", default_value = "")]
    query: String,

    /// What each row counts: records per label, label group, channel or sentiment.
    #[arg(long, value_enum, default_value = "label")]
    by: ByArg,

    /// The bucket size. The buckets run from --since (or the first matching record) to --until
    /// (or the last one), empty buckets included.
    #[arg(long, value_enum, default_value = "week")]
    interval: IntervalArg,

    /// List the spikes and, for each, the most frequent evidence of the records behind it (reads
    /// up to 2,000 of those records' classifications per spike).
    #[arg(long)]
    spikes: bool,

    /// One JSON object: interval, by, buckets, series with counts, totals, shares, spikes.
    #[arg(long, conflicts_with = "csv")]
    json: bool,

    /// CSV rows: bucket_start,key,count (every bucket of every key, zeros included).
    #[arg(long)]
    csv: bool,

    /// Colour the spikes.
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorArg,

    #[command(flatten)]
    filters: FilterArgs,

    #[command(flatten)]
    dir: IndexDirArgs,

    #[command(flatten)]
    lexicons: LexiconArgs,
}

/// Runs `kashev trends`.
pub fn run(args: TrendsArgs) -> anyhow::Result<Outcome> {
    let index = Index::open(&args.dir.index, args.lexicons.load()?)?;
    if let Some(mismatch) = index.lexicon_mismatch() {
        eprintln!("kashev: warning: {mismatch}");
    }
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let request = TrendsRequest {
        search: kashev::index::search::SearchRequest {
            query: args.query.clone(),
            ..args.filters.request()
        },
        by: match args.by {
            ByArg::Label => TrendBy::Label,
            ByArg::LabelGroup => TrendBy::LabelGroup,
            ByArg::Channel => TrendBy::Channel,
            ByArg::Sentiment => TrendBy::Sentiment,
        },
        interval: match args.interval {
            IntervalArg::Day => Interval::Day,
            IntervalArg::Week => Interval::Week,
            IntervalArg::Month => Interval::Month,
        },
        evidence: args.spikes,
        ..TrendsRequest::default()
    };
    let trends = index.trends(&searcher, &request)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer(&mut out, &JsonTrends::new(&trends, &request))?;
        writeln!(out)?;
    } else if args.csv {
        write_trends_csv(&mut out, &trends)?;
    } else {
        write_table(&mut out, &trends, &request, args.color.enabled())?;
        if args.spikes {
            write_spikes(&mut out, &trends, &request.spike_test)?;
        }
    }
    out.flush().context("writing the trends")?;
    Ok(Outcome::Success)
}

const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const SPIKE: &str = "\x1b[1;31m";
const RESET: &str = "\x1b[0m";

/// One character per count, scaled to the row's largest; a blank for zero.
fn sparkline(counts: &[u64], spike: impl Fn(usize) -> bool, color: bool) -> String {
    let max = counts.iter().copied().max().unwrap_or(0);
    let mut out = String::new();
    for (i, &c) in counts.iter().enumerate() {
        let ch = if c == 0 || max == 0 {
            ' '
        } else {
            let level = (c * 8).div_ceil(max).clamp(1, 8);
            SPARKS[level as usize - 1]
        };
        if color && spike(i) {
            out.push_str(SPIKE);
            out.push(ch);
            out.push_str(RESET);
        } else {
            out.push(ch);
        }
    }
    out
}

fn bucket_label(interval: Interval, day: Date) -> String {
    match interval {
        Interval::Month => day.strftime("%Y-%m").to_string(),
        Interval::Day | Interval::Week => day.to_string(),
    }
}

fn interval_words(interval: Interval) -> (&'static str, &'static str) {
    match interval {
        Interval::Day => ("daily", "day"),
        Interval::Week => ("weekly, weeks from Monday", "week"),
        Interval::Month => ("monthly", "month"),
    }
}

fn write_table(
    out: &mut impl io::Write,
    t: &Trends,
    request: &TrendsRequest,
    color: bool,
) -> io::Result<()> {
    let (how, unit) = interval_words(t.interval);
    let (Some(&first), Some(&last)) = (t.buckets.first(), t.buckets.last()) else {
        writeln!(out, "0 matching records (by {}, {how}, UTC)", t.by.name())?;
        writeln!(out)?;
        writeln!(out, "{:<20}  {:>8}  {:>6}", t.by.name(), "total", "share")?;
        return Ok(());
    };
    let n = t.buckets.len();
    writeln!(
        out,
        "{} matching records by {}, {how} (UTC): {} – {}, {n} {unit}{}",
        t.total,
        t.by.name(),
        bucket_label(t.interval, first),
        bucket_label(t.interval, last),
        if n == 1 { "" } else { "s" }
    )?;
    writeln!(out)?;
    let width = t
        .series
        .iter()
        .map(|s| clean(&s.key).chars().count())
        .chain([t.by.name().len(), "all records".len()])
        .max()
        .unwrap_or(0);
    writeln!(
        out,
        "{:<width$}  {:>8}  {:>6}  {}",
        t.by.name(),
        "total",
        "share",
        if n == 1 {
            bucket_label(t.interval, first)
        } else {
            format!(
                "{} … {}",
                bucket_label(t.interval, first),
                bucket_label(t.interval, last)
            )
        }
    )?;
    let share = |x: f64| format!("{:.1}%", x * 100.0);
    for s in &t.series {
        let key = clean(&s.key);
        let spikes: Vec<String> = t
            .spikes
            .iter()
            .filter(|sp| sp.key == s.key)
            .map(|sp| bucket_label(t.interval, t.buckets[sp.bucket]))
            .collect();
        writeln!(
            out,
            "{key:<width$}  {:>8}  {:>6}  {}{}",
            s.total,
            share(s.share),
            sparkline(&s.counts, |i| t.is_spike(&s.key, i), color),
            if spikes.is_empty() {
                String::new()
            } else {
                format!("  ! {}", spikes.join(", "))
            }
        )?;
    }
    writeln!(
        out,
        "{:<width$}  {:>8}  {:>6}  {}",
        "all records",
        t.total,
        share(if t.total == 0 { 0.0 } else { 1.0 }),
        sparkline(&t.bucket_totals, |_| false, false)
    )?;
    if !t.spikes.is_empty() && !request.evidence {
        writeln!(out)?;
        writeln!(
            out,
            "! marks a spike ({} in all); --spikes lists them with their evidence",
            t.spikes.len()
        )?;
    }
    Ok(())
}

fn write_spikes(out: &mut impl io::Write, t: &Trends, test: &SpikeTest) -> io::Result<()> {
    let (_, unit) = interval_words(t.interval);
    writeln!(out)?;
    writeln!(
        out,
        "Spikes: a count with P(X ≥ count) < {} for X ~ Poisson(λ = mean of the previous {} \
         {unit}s + {}), at least {} records and {}λ:",
        test.p_max, test.window, test.prior, test.min_count, test.min_ratio
    )?;
    if t.spikes.is_empty() {
        writeln!(out, "  none")?;
    }
    for spike in &t.spikes {
        write_spike(out, t, spike)?;
    }
    Ok(())
}

fn write_spike(out: &mut impl io::Write, t: &Trends, s: &Spike) -> io::Result<()> {
    writeln!(
        out,
        "  {}  {}  {} records (baseline {:.1}, p = {:.1e})",
        bucket_label(t.interval, t.buckets[s.bucket]),
        clean(&s.key),
        s.count,
        s.score.baseline,
        s.score.p_value
    )?;
    if s.evidence.is_empty() {
        writeln!(out, "      no evidence text")?;
    } else {
        let terms: Vec<String> = s
            .evidence
            .iter()
            .map(|e| format!("{} ×{}", clean(&e.text), e.count))
            .collect();
        writeln!(
            out,
            "      evidence (from {} records): {}",
            s.evidence_docs,
            terms.join(", ")
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_scale_to_the_row_and_leave_zeros_blank() {
        assert_eq!(sparkline(&[0, 1, 4, 8], |_| false, false), " ▁▄█");
        assert_eq!(sparkline(&[0, 0], |_| false, false), "  ");
        assert_eq!(sparkline(&[], |_| false, false), "");
        let colored = sparkline(&[1, 8], |i| i == 1, true);
        assert_eq!(colored, format!("▁{SPIKE}█{RESET}"));
    }
}
