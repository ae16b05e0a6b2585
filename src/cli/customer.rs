//! `kashev customer`: one customer's records across channels in time order, under a summary of
//! contacts per channel, repeat contacts, the churn-risk trajectory and the open churn signals.

use std::io::{self, Write as _};

use anyhow::Context as _;
use jiff::{SignedDuration, Timestamp};
use kashev::index::Index;
use kashev::index::customer::{
    CustomerRequest, CustomerView, DEFAULT_LIMIT, DEFAULT_REPEAT_DAYS, OPEN_SIGNAL_WINDOW,
    RiskTrajectory, days,
};
use kashev::record::format_timestamp;
use kashev::report::{JsonView, SPARKLINE_WIDTH};

use super::index::IndexDirArgs;
use super::lexicon_args::LexiconArgs;
use super::search::{BOLD, ColorArg, DIM, RESET, clean, parse_when, write_record};
use super::{Outcome, UsageError};

/// Flags of `kashev customer`.
#[derive(Debug, clap::Args)]
pub struct CustomerArgs {
    /// The customer id, as in the records' `customer_id`.
    #[arg(value_name = "ID")]
    customer_id: String,

    /// The same complaint label again within this many days is a repeat contact (a gap of exactly
    /// N days included).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_REPEAT_DAYS)]
    repeat_days: u32,

    /// Only records at or after this time: a date (2026-03-01), an RFC 3339 time, or a span back
    /// from now (7d, 24h, 2w).
    #[arg(long, value_name = "WHEN", value_parser = parse_when)]
    since: Option<Timestamp>,

    /// Only records before this time (same forms as --since; a date means its start).
    #[arg(long, value_name = "WHEN", value_parser = parse_when)]
    until: Option<Timestamp>,

    /// List at most this many records (the newest; 0 for the summary only); the summary covers all
    /// of them.
    #[arg(short = 'n', long, value_name = "N", default_value_t = DEFAULT_LIMIT)]
    limit: usize,

    /// One JSON object: the summary and the records with their labels, evidence and highlights.
    #[arg(long)]
    json: bool,

    /// Colour the evidence.
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorArg,

    #[command(flatten)]
    dir: IndexDirArgs,

    #[command(flatten)]
    lexicons: LexiconArgs,
}

/// Runs `kashev customer`.
pub fn run(args: CustomerArgs) -> anyhow::Result<Outcome> {
    if args.customer_id.is_empty() {
        return Err(UsageError("the customer id is empty".into()).into());
    }
    if let (Some(since), Some(until)) = (args.since, args.until)
        && since >= until
    {
        return Err(UsageError(format!(
            "--since ({}) is not before --until ({})",
            format_timestamp(since),
            format_timestamp(until)
        ))
        .into());
    }
    let index = Index::open(&args.dir.index, args.lexicons.load()?)?;
    if let Some(mismatch) = index.lexicon_mismatch() {
        eprintln!("kashev: warning: {mismatch}");
    }
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let request = CustomerRequest {
        since: args.since,
        until: args.until,
        repeat_window: days(args.repeat_days),
        limit: args.limit,
        ..CustomerRequest::new(args.customer_id.as_str())
    };
    let view = index.customer(&searcher, &request)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer(&mut out, &JsonView::new(&view, args.repeat_days))?;
        writeln!(out)?;
    } else if view.total == 0 {
        writeln!(
            out,
            "no records for customer {} in {}",
            clean(&view.customer_id),
            index.dir().display()
        )?;
    } else {
        write_view(&mut out, &view, args.repeat_days, args.color.enabled())?;
    }
    out.flush().context("writing the customer view")?;
    Ok(Outcome::Success)
}

/// A time for the terminal, to the minute.
fn minute(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%d %H:%M").to_string()
}

/// A gap for the terminal: days, hours and minutes, leaving out what is zero.
fn gap(d: SignedDuration) -> String {
    let total = d.as_secs().max(0) / 60;
    let (days, hours, minutes) = (total / 1440, total / 60 % 24, total % 60);
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(format!("{days}d"));
    }
    if hours > 0 {
        parts.push(format!("{hours}h"));
    }
    if minutes > 0 || parts.is_empty() {
        parts.push(format!("{minutes}m"));
    }
    parts.join(" ")
}

fn write_view(
    out: &mut impl io::Write,
    view: &CustomerView,
    repeat_days: u32,
    color: bool,
) -> io::Result<()> {
    let (b, d, z) = if color {
        (BOLD, DIM, RESET)
    } else {
        ("", "", "")
    };
    let channels: Vec<String> = view
        .channels
        .iter()
        .map(|(channel, n)| format!("{} {n}", clean(channel)))
        .collect();
    writeln!(
        out,
        "{b}customer {}{z}: {} record{} ({})",
        clean(&view.customer_id),
        view.total,
        if view.total == 1 { "" } else { "s" },
        channels.join(", ")
    )?;
    match (view.first_contact, view.last_contact) {
        (Some(first), Some(last)) => writeln!(
            out,
            "  first contact {}, last contact {}{}",
            minute(first),
            minute(last),
            untimed_note(view.untimed)
        )?,
        _ => writeln!(out, "  no record has a time")?,
    }
    writeln!(
        out,
        "  repeat contacts (same complaint within {repeat_days} day{}): {}",
        if repeat_days == 1 { "" } else { "s" },
        if view.repeats.is_empty() {
            "none".to_string()
        } else {
            view.repeats.len().to_string()
        }
    )?;
    for r in &view.repeats {
        writeln!(
            out,
            "    {}  {} {d}{}{z} → {} {d}{}{z}  ({} later)",
            r.label,
            minute(r.first_time),
            clean(&r.first_id),
            minute(r.repeat_time),
            clean(&r.repeat_id),
            gap(r.gap)
        )?;
    }
    write_trajectory(out, &view.trajectory)?;
    let window_days = OPEN_SIGNAL_WINDOW.as_hours() / 24;
    if view.open_signals.is_empty() {
        writeln!(
            out,
            "  open churn signals (last {window_days} days of contact): none"
        )?;
    } else {
        let signals: Vec<String> = view
            .open_signals
            .iter()
            .map(|s| {
                format!(
                    "{} {:.2} ({}×, last {} {})",
                    s.label,
                    s.max_score,
                    s.records,
                    minute(s.last_time),
                    clean(&s.last_id)
                )
            })
            .collect();
        writeln!(
            out,
            "  open churn signals (last {window_days} days of contact): {}",
            signals.join("; ")
        )?;
    }
    writeln!(out)?;
    let shown = view.records.len();
    if shown < view.total {
        writeln!(
            out,
            "records, oldest first (the newest {shown} of {}; --limit shows more):",
            view.total
        )?;
    } else {
        writeln!(out, "records, oldest first:")?;
    }
    for record in &view.records {
        writeln!(out)?;
        write_record(out, &record.doc, &record.highlights, color)?;
    }
    Ok(())
}

fn untimed_note(untimed: usize) -> String {
    match untimed {
        0 => String::new(),
        1 => "; 1 record without a time (listed last)".into(),
        n => format!("; {n} records without a time (listed last)"),
    }
}

fn write_trajectory(out: &mut impl io::Write, t: &RiskTrajectory) -> io::Result<()> {
    match (t.first(), t.last(), t.max()) {
        (Some(first), Some(last), Some(max)) => writeln!(
            out,
            "  churn risk {}  first {first:.2}, last {last:.2}, max {max:.2}{}",
            t.sparkline(SPARKLINE_WIDTH),
            if t.rising() { ", rising" } else { "" }
        ),
        _ => writeln!(out, "  churn risk: no timed records"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_read_as_days_hours_minutes() {
        assert_eq!(gap(SignedDuration::from_hours(3 * 24 + 1)), "3d 1h");
        assert_eq!(gap(SignedDuration::from_secs(0)), "0m");
        assert_eq!(gap(SignedDuration::from_mins(90)), "1h 30m");
        assert_eq!(gap(SignedDuration::from_hours(7 * 24)), "7d");
        assert_eq!(gap(SignedDuration::from_secs(-5)), "0m");
    }
}
