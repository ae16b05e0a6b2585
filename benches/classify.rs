//! Matcher and classifier throughput on the generated corpus, one core.
//!
//! `cargo bench --bench classify`. 20,000 records from `kashev generate --seed 7`. The matcher is
//! measured alone (analysis done once up front) and the classifier end to end (analyse, match,
//! score); the number of hits and of labelled records is asserted so that a fast wrong answer fails.

mod common;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kashev::analyze::Analysis;
use kashev::classify::{Classifier, Scratch};
use kashev::lexicon::{Lexicon, Matches};

fn classify(c: &mut Criterion) {
    let texts = common::corpus();
    let lexicon = Lexicon::embedded().expect("the embedded lexicons load");
    let mut group = c.benchmark_group("classify");
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.sample_size(10);

    let analyses: Vec<Analysis> = texts
        .iter()
        .map(|t| lexicon.analyzer().analyze(t))
        .collect();
    let mut matches = Matches::new();
    let expected_hits: usize = analyses
        .iter()
        .map(|a| {
            lexicon.find_into(a, &mut matches);
            matches.len()
        })
        .sum();
    assert!(expected_hits > texts.len(), "too few hits: {expected_hits}");
    group.bench_function("matcher", |b| {
        b.iter(|| {
            let mut hits = 0usize;
            for analysis in &analyses {
                lexicon.find_into(black_box(analysis), &mut matches);
                hits += matches.len();
            }
            assert_eq!(hits, expected_hits);
            hits
        })
    });

    let classifier = Classifier::new(lexicon.clone());
    let mut scratch = Scratch::new();
    let expected_labelled = texts
        .iter()
        .filter(|t| {
            !classifier
                .classify_with(t, None, &mut scratch)
                .labels
                .is_empty()
        })
        .count();
    assert!(
        expected_labelled > texts.len() / 4,
        "too few labelled records: {expected_labelled}"
    );
    group.bench_function("classifier", |b| {
        b.iter(|| {
            let labelled = texts
                .iter()
                .filter(|t| {
                    !classifier
                        .classify_with(black_box(t), None, &mut scratch)
                        .labels
                        .is_empty()
                })
                .count();
            assert_eq!(labelled, expected_labelled);
            labelled
        })
    });
    group.finish();
}

criterion_group!(benches, classify);
criterion_main!(benches);
