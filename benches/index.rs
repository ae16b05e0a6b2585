//! Indexing throughput, Kashev against bare tantivy, on the same records.
//!
//! `cargo bench --bench index`. Both index the 20,000 records of the shared corpus into a fresh
//! on-disk index in a temporary directory with two indexing threads and commit: bare tantivy with
//! its default tokenizer (text indexed with positions and stored, id, customer, channel, a fast
//! timestamp); Kashev classifies every record on every core and writes its full document (the
//! text through the Kashev analyzer, labels, groups, sentiment, churn risk, the classification
//! with its evidence). The ratio of the two is the price of classification and of the richer
//! document.

mod common;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kashev::classify::Classifier;
use kashev::index::Index;
use kashev::lexicon::Lexicon;
use kashev::record::Record;
use tantivy::schema::{FAST, INDEXED, STORED, STRING, Schema, TEXT};
use tantivy::{DateTime, TantivyDocument};

const HEAP: usize = 256 << 20;

fn bare_tantivy(records: &[Record]) -> u64 {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    let customer = b.add_text_field("customer_id", STRING | STORED | FAST);
    let channel = b.add_text_field("channel", STRING | STORED | FAST);
    let timestamp = b.add_date_field("timestamp", INDEXED | STORED | FAST);
    let text = b.add_text_field("text", TEXT | STORED);
    let index = tantivy::Index::create_in_dir(dir.path(), b.build()).expect("an index");
    let mut writer = index
        .writer_with_num_threads::<TantivyDocument>(2, HEAP)
        .expect("a writer");
    for r in records {
        let mut doc = TantivyDocument::default();
        doc.add_text(id, &r.id);
        if let Some(c) = &r.customer_id {
            doc.add_text(customer, c);
        }
        if let Some(c) = &r.channel {
            doc.add_text(channel, c);
        }
        if let Some(ts) = r.timestamp {
            doc.add_date(timestamp, DateTime::from_timestamp_secs(ts.as_second()));
        }
        doc.add_text(text, &r.text);
        writer.add_document(doc).expect("add");
    }
    writer.commit().expect("commit");
    writer.wait_merging_threads().expect("merges");
    records.len() as u64
}

fn kashev(lexicon: &Lexicon, records: &[Record]) -> u64 {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let index = Index::open_or_create(dir.path(), lexicon.clone()).expect("an index");
    let mut writer = index.writer(2, HEAP).expect("a writer");
    let classifier = Classifier::new(lexicon.clone());
    let mut n = 0;
    for batch in records.chunks(2048) {
        for chunk in writer.build(&classifier, batch) {
            for (id, doc) in chunk.docs {
                writer.upsert(&id, doc).expect("upsert");
                n += 1;
            }
        }
    }
    writer.commit().expect("commit");
    writer.finish().expect("merges");
    n
}

fn index(c: &mut Criterion) {
    let records = common::records();
    let lexicon = Lexicon::embedded().expect("the embedded lexicons load");
    let mut group = c.benchmark_group("index");
    group.throughput(Throughput::Elements(records.len() as u64));
    group.sample_size(10);
    group.bench_function("bare_tantivy", |b| {
        b.iter(|| black_box(bare_tantivy(&records)))
    });
    group.bench_function("kashev", |b| {
        b.iter(|| black_box(kashev(&lexicon, &records)))
    });
    group.finish();
}

criterion_group!(benches, index);
criterion_main!(benches);
