//! Lexicon matcher throughput on the generated corpus, one core.
//!
//! `cargo bench --bench matcher` (registered in Cargo.toml with `harness = false`). The corpus is
//! 20,000 records from `kashev generate --seed 7`, as in the analyzer bench. `analyze` is the
//! baseline; `analyze_and_match` adds [`Lexicon::find_into`] with the embedded lexicon, so the
//! matcher's cost is the difference. Each iteration asserts the total number of hits, so that a
//! fast wrong answer fails.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kashev::analyze::Analysis;
use kashev::generate::GeneratorBuilder;
use kashev::lexicon::{Lexicon, Matches};

fn corpus() -> Vec<String> {
    let generator = GeneratorBuilder::new()
        .seed(7)
        .count(20_000)
        .build()
        .expect("generator settings are valid");
    generator.records().map(|r| r.text).collect()
}

fn matcher(c: &mut Criterion) {
    let texts = corpus();
    let bytes: usize = texts.iter().map(String::len).sum();
    let lexicon = Lexicon::embedded().expect("the embedded lexicon loads");
    let analyzer = lexicon.analyzer().clone();
    let mut analysis = Analysis::new();
    let mut matches = Matches::new();
    let expected: usize = texts
        .iter()
        .map(|t| {
            analyzer.analyze_into(t, &mut analysis);
            lexicon.find_into(&analysis, &mut matches);
            matches.len()
        })
        .sum();
    assert!(expected > texts.len(), "too few hits: {expected}");

    let mut group = c.benchmark_group("matcher");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("analyze", |b| {
        b.iter(|| {
            let mut tokens = 0usize;
            for text in &texts {
                analyzer.analyze_into(black_box(text), &mut analysis);
                tokens += analysis.len();
            }
            black_box(tokens)
        })
    });
    group.bench_function("analyze_and_match", |b| {
        b.iter(|| {
            let mut hits = 0usize;
            for text in &texts {
                analyzer.analyze_into(black_box(text), &mut analysis);
                lexicon.find_into(&analysis, &mut matches);
                hits += matches.len();
            }
            assert_eq!(hits, expected);
            hits
        })
    });
    group.finish();
}

criterion_group!(benches, matcher);
criterion_main!(benches);
