//! Analyzer throughput on the generated corpus: bytes of text per second on one core.
//!
//! `cargo bench --bench analyzer`. The corpus is 20,000 records from `kashev generate --seed 7`
//! (mixed Hebrew and English agent notes, chats, posts, e-mails; about 600 bytes each). Each
//! iteration analyses every text into one reused `Analysis`; the token count is asserted so that a
//! fast wrong answer fails.

mod common;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kashev::analyze::{Analysis, Analyzer, KashevTokenizer};

fn analyzer(c: &mut Criterion) {
    let texts = common::corpus();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("analyzer");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);

    let mut analysis = Analysis::new();
    for (name, stems) in [("analyze", true), ("analyze_without_stems", false)] {
        let analyzer = Analyzer::builder().stems(stems).build();
        let expected: usize = texts.iter().map(|t| analyzer.analyze(t).len()).sum();
        assert!(expected > bytes / 20, "too few tokens: {expected}");
        group.bench_function(name, |b| {
            b.iter(|| {
                let tokens = analyze_all(&analyzer, &texts, &mut analysis);
                assert_eq!(tokens, expected);
                tokens
            })
        });
    }

    // The same analyzer on the Hebrew and on the English texts alone (a text is Hebrew when most of
    // its letters are).
    let (hebrew, english): (Vec<&String>, Vec<&String>) = texts.iter().partition(|t| {
        let hebrew = t
            .chars()
            .filter(|c| ('\u{05D0}'..='\u{05EA}').contains(c))
            .count();
        hebrew * 2 > t.chars().filter(|c| c.is_alphabetic()).count()
    });
    let analyzer = Analyzer::new();
    for (name, part) in [("analyze_hebrew", hebrew), ("analyze_english", english)] {
        let bytes: usize = part.iter().map(|t| t.len()).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let tokens = analyze_all(&analyzer, part.iter().copied(), &mut analysis);
                assert!(tokens > bytes / 20, "too few tokens: {tokens}");
                tokens
            })
        });
    }
    group.throughput(Throughput::Bytes(bytes as u64));

    let mut tokenizer = KashevTokenizer::new(Analyzer::new());
    group.bench_function("tantivy_tokenizer", |b| {
        use tantivy::tokenizer::{TokenStream as _, Tokenizer as _};
        b.iter(|| {
            let mut terms = 0usize;
            for text in &texts {
                let mut stream = tokenizer.token_stream(black_box(text));
                while stream.advance() {
                    terms += 1;
                }
            }
            assert!(terms > 0);
            terms
        })
    });
    group.finish();
}

/// Analyses every text into one reused `Analysis`; returns the number of tokens.
fn analyze_all<'t>(
    analyzer: &Analyzer,
    texts: impl IntoIterator<Item = &'t String>,
    analysis: &mut Analysis,
) -> usize {
    let mut tokens = 0;
    for text in texts {
        analyzer.analyze_into(black_box(text), analysis);
        tokens += analysis.len();
    }
    tokens
}

criterion_group!(benches, analyzer);
criterion_main!(benches);
