//! `kashev explain`: why a text got its tags — tokens and how the lexicon read them, every hit with
//! its entry (`file:line`) and modifiers, per-label scores, and the final sentiment.

use std::io::Write;

use kashev::classify::{Classifier, Explanation, Scratch};
use kashev::lexicon::{Group, Lexicon, TokenForm};

use super::Outcome;
use super::lexicon_args::LexiconArgs;

/// Flags of `kashev explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The text to explain (several words are joined with spaces); `-` or nothing reads stdin.
    text: Vec<String>,
    /// The record's language, if known (otherwise detected).
    #[arg(long)]
    lang: Option<String>,
    /// Print JSON instead of a readable trace.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    lexicons: LexiconArgs,
}

/// Bidi isolation, so a Hebrew run does not reorder the line around it.
fn iso(s: &str) -> String {
    format!("\u{2068}{s}\u{2069}")
}

/// Runs `kashev explain`.
pub fn run(args: ExplainArgs) -> anyhow::Result<Outcome> {
    let text = super::text_argument(&args.text)?;
    let text = text.trim_end_matches(['\n', '\r']).to_string();
    let lexicon = args.lexicons.load()?;
    let classifier = Classifier::new(lexicon.clone());
    let mut scratch = Scratch::new();
    let explanation = classifier.explain(&text, args.lang.as_deref(), &mut scratch);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        let doc = kashev::report::explain_json(&text, &explanation, &classifier, &scratch);
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
    } else {
        write_trace(
            &mut out,
            &text,
            &lexicon,
            &explanation,
            &classifier,
            &scratch,
        )?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}

fn write_trace(
    out: &mut impl Write,
    text: &str,
    lexicon: &Lexicon,
    e: &Explanation,
    classifier: &Classifier,
    scratch: &Scratch,
) -> std::io::Result<()> {
    let (analysis, matches) = classifier.last(scratch);
    let c = &e.classification;
    writeln!(out, "text: {}", iso(text))?;
    writeln!(out, "lang: {}", c.lang)?;
    writeln!(out)?;
    writeln!(out, "tokens (surface → read as):")?;
    let mut line = String::new();
    for (i, t) in analysis.iter().enumerate() {
        let read = match matches.token_forms().get(i) {
            Some(TokenForm::Known { word, reading }) => {
                let mut s = lexicon.word(*word).to_string();
                if let Some(prefix) = reading.prefix(analysis, t.token) {
                    s = format!("{prefix}+{s}");
                }
                if reading.alt {
                    s.push_str(" (folded)");
                }
                if reading.wildcard {
                    s.push_str(" (wildcard)");
                }
                Some(s)
            }
            _ => None,
        };
        let item = match read {
            Some(r) => format!("{}→{}", iso(t.token.surface(text)), iso(&r)),
            None => iso(t.token.surface(text)),
        };
        if line.chars().count() + item.chars().count() > 96 {
            writeln!(out, "  {line}")?;
            line.clear();
        }
        if !line.is_empty() {
            line.push_str("  ");
        }
        line.push_str(&item);
    }
    if !line.is_empty() {
        writeln!(out, "  {line}")?;
    }
    writeln!(out)?;
    writeln!(out, "hits:")?;
    if e.hits.is_empty() {
        writeln!(out, "  (none)")?;
    }
    for h in &e.hits {
        let modifiers: Vec<&str> = h.evidence.modifiers.iter().map(|m| m.as_str()).collect();
        let effect = match h.group {
            Group::Modifier => String::new(),
            _ => format!(" → {:+.2}", h.contribution),
        };
        writeln!(
            out,
            "  {:>4}..{:<4} {:<10} {:<32} {} (weight {}{}){}  [{}]",
            h.evidence.start,
            h.evidence.end,
            h.group.as_str(),
            h.label,
            iso(&h.evidence.text),
            h.weight,
            effect,
            if modifiers.is_empty() {
                String::new()
            } else {
                format!(", {}", modifiers.join(", "))
            },
            h.evidence.entry,
        )?;
    }
    writeln!(out)?;
    writeln!(out, "labels (score; reported at ≥ threshold):")?;
    if e.all_labels.is_empty() {
        writeln!(out, "  (none)")?;
    }
    for l in &e.all_labels {
        let reported = c.labels.iter().any(|r| r.label == l.label);
        writeln!(
            out,
            "  {:<32} {:.3}{}",
            l.label,
            l.score,
            if reported { "" } else { "  (below threshold)" }
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "sentiment: {} {:+.3} (sum {:+.3}, normalised s/√(s²+15))",
        c.sentiment.label.as_str(),
        c.sentiment.score,
        e.sentiment_sum
    )?;
    writeln!(out, "churn risk: {:.3}", c.churn_risk)?;
    Ok(())
}
