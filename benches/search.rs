//! Search latency on an index of generated records: p50 and p99 per query kind.
//!
//! `cargo bench --bench search` (`KASHEV_BENCH_RECORDS=N` sets the corpus size, 200,000 by
//! default; `KASHEV_BENCH_INDEX=DIR` reuses or keeps an index there instead of a temporary one).
//! Each query runs as `kashev search` runs it: parse, compile, collect the top 10, read the stored
//! records and compute their highlights. Latencies are wall-clock per query after a warm-up, so a
//! quiet machine is needed for stable figures.

use std::time::{Duration, Instant};

use jiff::Timestamp;
use kashev::classify::Classifier;
use kashev::generate::GeneratorBuilder;
use kashev::index::Index;
use kashev::index::search::{SearchRequest, Sort};
use kashev::lexicon::Lexicon;

fn build(index: &Index, count: usize) {
    let generator = GeneratorBuilder::new()
        .seed(7)
        .count(count as u64)
        .build()
        .expect("generator settings are valid");
    let mut writer = index.writer(2, 512 << 20).expect("a writer");
    let classifier = Classifier::new(index.lexicon().clone());
    let mut batch = Vec::with_capacity(4096);
    let mut records = generator.records();
    loop {
        batch.clear();
        batch.extend(
            records
                .by_ref()
                .take(4096)
                .map(kashev::generate::GeneratedRecord::into_record),
        );
        if batch.is_empty() {
            break;
        }
        for chunk in writer.build(&classifier, &batch) {
            for (id, doc) in chunk.docs {
                writer.upsert(&id, doc).expect("upsert");
            }
        }
    }
    writer.commit().expect("commit");
    writer.finish().expect("merges");
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing else of note.
    let quick = std::env::args().any(|a| a == "--test") || std::env::args().all(|a| a != "--bench");
    let count: usize = std::env::var("KASHEV_BENCH_RECORDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if quick { 2_000 } else { 200_000 });
    let lexicon = Lexicon::embedded().expect("the embedded lexicons load");
    let temp = tempfile::tempdir().expect("a temporary directory");
    let dir = std::env::var_os("KASHEV_BENCH_INDEX")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| temp.path().join("ix"));
    let index = Index::open_or_create(&dir, lexicon).expect("an index");
    let reader = index.reader().expect("a reader");
    if reader.searcher().num_docs() == 0 {
        let started = Instant::now();
        build(&index, count);
        eprintln!(
            "indexed {count} records in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        reader.reload().expect("reload");
    }
    let searcher = reader.searcher();
    eprintln!("{} documents in {}", searcher.num_docs(), dir.display());
    let since: Timestamp = "2026-06-01T00:00:00Z".parse().expect("a time");
    let until: Timestamp = "2026-09-01T00:00:00Z".parse().expect("a time");
    let q = |query: &str| SearchRequest {
        query: query.into(),
        limit: 10,
        ..SearchRequest::default()
    };
    let cases: Vec<(&str, SearchRequest)> = vec![
        ("term, Hebrew (ביטול)", q("ביטול")),
        ("term, English (refund)", q("refund")),
        (
            "term, Hebrew word outside the lexicon (חשבונית)",
            q("חשבונית"),
        ),
        ("phrase (\"חיוב כפול\")", q("\"חיוב כפול\"")),
        ("phrase (\"charged me twice\")", q("\"charged me twice\"")),
        (
            "boolean (ביטול OR cancel NOT channel:social)",
            q("ביטול OR cancel NOT channel:social"),
        ),
        (
            "filtered (refund, label billing, channel chat, 3 months)",
            SearchRequest {
                labels: vec!["complaint.billing".into()],
                channels: vec!["chat".into()],
                since: Some(since),
                until: Some(until),
                ..q("refund")
            },
        ),
        (
            "filters only, newest first (churn.*, 3 months)",
            SearchRequest {
                label_prefixes: vec!["churn.".into()],
                since: Some(since),
                until: Some(until),
                sort: Some(Sort::Time),
                ..q("")
            },
        ),
    ];
    let runs = if quick { 5 } else { 300 };
    println!(
        "{:<58} {:>9} {:>9} {:>9} {:>9}",
        "query", "matches", "p50 ms", "p99 ms", "max ms"
    );
    for (name, request) in &cases {
        let mut times = Vec::with_capacity(runs);
        let mut total = 0;
        for i in 0..runs + runs / 10 {
            let started = Instant::now();
            let results = index.search(&searcher, request).expect("the query runs");
            let elapsed = started.elapsed();
            total = results.total;
            if i >= runs / 10 {
                times.push(elapsed);
            }
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "{:<58} {:>9} {:>9.2} {:>9.2} {:>9.2}",
            name,
            total,
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99)),
            ms(*times.last().expect("runs"))
        );
    }
}
