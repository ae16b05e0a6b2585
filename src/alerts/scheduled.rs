//! Scheduled evaluation: the records indexed since the last run, through the [`Engine`].
//!
//! The checkpoint is the largest `indexed_at` (microseconds) processed, one for the whole
//! subscriptions file. A run reads the `indexed_at` fast field of every live document (a column
//! scan: a few milliseconds per million documents), keeps those indexed after the checkpoint, sorts
//! them by `indexed_at`, and hands them to the engine in pages (of [`PAGE`] documents by
//! default); a page never splits documents with the same `indexed_at`, so a checkpoint never falls
//! between them. A page's stored documents are read in parallel; while one page is recorded the
//! next is read and evaluated, so at most three pages are in memory at once. Within a page the
//! events are observed in record time (then `indexed_at`), since the rules expect time order and
//! parallel indexing interleaves neighbouring records.
//!
//! The first run (no checkpoint) evaluates every record in the index from the start, so the
//! per-customer windows see each customer's whole history: the evaluator is seeded by evaluating,
//! not by a separate look-back query. Alerts it raises for old records are real alerts (each once).
//!
//! A record re-indexed gets a new `indexed_at` and is evaluated again; the throttle turns what it
//! triggers within a cooldown into nothing new. Documents a concurrent `kashev index` commits with
//! an `indexed_at` below a checkpoint already taken are not evaluated: run alerts after indexing, or
//! accept that a run racing an indexer may miss records it committed meanwhile.

use jiff::Timestamp;
use rayon::prelude::*;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use super::Event;
use super::engine::{Engine, Processed};
use super::store::Position;
use crate::error::{Error, Result};
use crate::index::{Fields, Index, StoredDoc};

/// Documents evaluated and recorded per store transaction, by default.
pub const PAGE: usize = 100_000;

/// What a scheduled evaluation did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evaluated {
    /// The checkpoint before the run (microseconds of `indexed_at`).
    pub from: Option<i64>,
    /// The checkpoint after it.
    pub to: Option<i64>,
    /// Pages recorded.
    pub pages: usize,
    /// What the engine did.
    pub processed: Processed,
    /// Documents that could not be read back (skipped, counted here), with why.
    pub unreadable: Vec<String>,
}

/// Evaluates the records of `index` indexed since the engine's checkpoint, page by page (the next
/// page is read and evaluated while the last one is recorded, see [`Engine::process_batches`]);
/// `after_commit` is called after each page is recorded.
///
/// # Errors
///
/// [`Error::Usage`] when the checkpoint in the store is not an `indexed_at` position (the state
/// file belongs to another kind of evaluation); [`Error::Index`] when the index cannot be read;
/// [`Error::State`] when the store cannot be written.
pub fn evaluate_index(
    engine: &mut Engine,
    index: &Index,
    page_size: usize,
    mut after_commit: impl FnMut(&Processed),
) -> Result<Evaluated> {
    let page_size = page_size.max(1);
    let from = match engine.checkpoint()? {
        None => None,
        Some(Position::Offset(micros)) => Some(micros),
        Some(Position::Token(token)) => {
            return Err(Error::Usage(format!(
                "{}: the checkpoint {token:?} is not an index position: this state file belongs \
                 to another kind of evaluation (use another --state)",
                engine.store().path().display()
            )));
        }
    };
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let fields = *index.fields();
    let pending = indexed_since(&searcher, from)?;
    let mut evaluated = Evaluated {
        from,
        to: from,
        ..Evaluated::default()
    };
    let mut start = 0;
    let pages = std::iter::from_fn(|| {
        if start >= pending.len() {
            return None;
        }
        let mut end = (start + page_size).min(pending.len());
        while end < pending.len() && pending[end].0 == pending[end - 1].0 {
            end += 1;
        }
        let page = &pending[start..end];
        let checkpoint = page[page.len() - 1].0;
        let (events, unreadable) = load(&searcher, &fields, page);
        evaluated.unreadable.extend(unreadable);
        evaluated.pages += 1;
        evaluated.to = Some(checkpoint);
        start = end;
        Some((events, Some(Position::Offset(checkpoint))))
    });
    evaluated.processed = engine.process_batches(pages, &mut after_commit)?;
    Ok(evaluated)
}

/// The live documents indexed after `after` (microseconds), as (`indexed_at`, address), by
/// `indexed_at` then address.
fn indexed_since(searcher: &Searcher, after: Option<i64>) -> Result<Vec<(i64, DocAddress)>> {
    let mut out = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let column = segment.fast_fields().date("indexed_at")?;
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            let Some(at) = column.first(doc) else {
                continue;
            };
            let micros = at.into_timestamp_micros();
            if after.is_none_or(|a| micros > a) {
                out.push((micros, DocAddress::new(ord as u32, doc)));
            }
        }
    }
    out.sort_unstable();
    Ok(out)
}

/// Reads a page's documents in parallel (in address order, for the doc store's block cache) and
/// returns their events in record time, then `indexed_at`; unreadable documents are skipped and
/// described.
fn load(
    searcher: &Searcher,
    fields: &Fields,
    page: &[(i64, DocAddress)],
) -> (Vec<Event>, Vec<String>) {
    let mut addresses: Vec<(DocAddress, i64)> = page.iter().map(|&(at, a)| (a, at)).collect();
    addresses.sort_unstable();
    let read: Vec<std::result::Result<(i64, Event), String>> = addresses
        .par_iter()
        .with_min_len(256)
        .map(|&(address, at)| {
            let indexed_at = Timestamp::from_microsecond(at).unwrap_or(Timestamp::UNIX_EPOCH);
            searcher
                .doc::<TantivyDocument>(address)
                .map_err(Error::from)
                .and_then(|doc| StoredDoc::from_document(fields, &doc))
                .map(|stored| (at, Event::from_stored(&stored, indexed_at)))
                .map_err(|e| format!("document {}/{}: {e}", address.segment_ord, address.doc_id))
        })
        .collect();
    let mut events = Vec::with_capacity(read.len());
    let mut unreadable = Vec::new();
    for item in read {
        match item {
            Ok(pair) => events.push(pair),
            Err(e) => unreadable.push(e),
        }
    }
    events.sort_by(|(a_at, a), (b_at, b)| (a.timestamp, a_at).cmp(&(b.timestamp, b_at)));
    (events.into_iter().map(|(_, e)| e).collect(), unreadable)
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::alerts::deliver::Deliverer;
    use crate::alerts::store::Store;
    use crate::alerts::subscriptions::Subscriptions;
    use crate::classify::Classifier;
    use crate::generate::GeneratorBuilder;
    use crate::lexicon::Lexicon;
    use crate::record::Record;

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Captured {
        fn lines(&self) -> Vec<String> {
            let bytes = self.0.lock().unwrap();
            String::from_utf8_lossy(&bytes)
                .lines()
                .map(String::from)
                .collect()
        }
    }

    /// 300 generated records, 40 customers, over 60 days, indexed in time order.
    fn generated_index() -> (tempfile::TempDir, Index) {
        let dir = tempfile::tempdir().unwrap();
        let lexicon = Lexicon::embedded().unwrap();
        let index = Index::open_or_create(&dir.path().join("index"), lexicon.clone()).unwrap();
        let mut writer = index.writer(1, 16 << 20).unwrap();
        let classifier = Classifier::new(lexicon);
        let generator = GeneratorBuilder::new()
            .seed(11)
            .count(300)
            .days(60)
            .customers(40)
            .build()
            .unwrap();
        let records: Vec<Record> = generator
            .records()
            .map(|g| {
                let mut r = Record::from_text(g.text);
                r.id = g.id;
                r.customer_id = Some(g.customer_id);
                r.channel = Some(g.channel.as_str().to_string());
                r.timestamp = Some(g.timestamp);
                r
            })
            .collect();
        // One by one, so that `indexed_at` follows record time: pages then see the records in
        // time order across their bounds too, as the rules expect.
        for r in &records {
            let c = classifier.classify(&r.text, None);
            let doc = crate::index::IndexWriter::document(writer.fields(), r, &c);
            writer.upsert(&r.id, doc).unwrap();
        }
        writer.commit().unwrap();
        writer.finish().unwrap();
        (dir, index)
    }

    fn engine(dir: &std::path::Path, state: &str) -> Engine {
        let subscriptions = Subscriptions::parse(
            r#"
[[subscription]]
name = "any-churn"
rule = { kind = "record", label_prefix = "churn." }
destination = { type = "stdout" }
cooldown = "2d"

[[subscription]]
name = "churn-after-complaint"
rule = { kind = "sequence", first = "complaint.", then = "churn.", within = "30d" }
destination = { type = "stdout" }
"#,
            "subs.toml",
            &Lexicon::embedded().unwrap(),
        )
        .unwrap();
        Engine::open(subscriptions, Store::open(dir.join(state)).unwrap()).unwrap()
    }

    fn deliverer(out: &Captured) -> Deliverer {
        Deliverer::builder().stdout(out.clone()).build()
    }

    #[test]
    fn small_pages_record_and_deliver_what_one_page_does() {
        let (dir, index) = generated_index();

        // Reference: one page, then one delivery.
        let reference = Captured::default();
        let mut one = engine(dir.path(), "one.sqlite");
        let evaluated = evaluate_index(&mut one, &index, usize::MAX, |_| {}).unwrap();
        assert_eq!(evaluated.pages, 1);
        let report = one.deliver(&deliverer(&reference)).unwrap();
        let expected = reference.lines();
        assert!(expected.len() > 20, "{} alerts", expected.len());
        assert_eq!(report.delivered, expected.len());

        // Pages of 7 records, each recorded while the next is evaluated.
        let mut paged = engine(dir.path(), "paged.sqlite");
        let mut commits = 0;
        let evaluated = evaluate_index(&mut paged, &index, 7, |_| commits += 1).unwrap();
        assert_eq!(evaluated.processed.events, 300);
        assert!(evaluated.pages >= 300 / 7, "{} pages", evaluated.pages);
        assert_eq!(commits, evaluated.pages);
        assert_eq!(
            evaluated.processed.recorded.new_alerts as u64,
            one.store().status().unwrap().alerts
        );
        let captured = Captured::default();
        let report = paged.deliver(&deliverer(&captured)).unwrap();
        assert_eq!(report.delivered, captured.lines().len());
        // The same alerts in the same final states: the pages lose and repeat nothing.
        assert_eq!(latest(&captured.lines()), latest(&expected));
        assert_eq!(
            paged.store().ledger(usize::MAX).unwrap(),
            one.store().ledger(usize::MAX).unwrap()
        );

        // Nothing new the second time, from the state as recorded.
        drop(paged);
        let mut paged = engine(dir.path(), "paged.sqlite");
        // The windows as saved page by page, once pruned, are the windows in memory. (A window
        // that only shrank with the horizon is not rewritten; what it keeps beyond the horizon no
        // rule looks at, and the next batch prunes it.)
        let windows = |e: &Engine| -> Vec<(String, Vec<String>)> {
            let mut evaluator = crate::alerts::rules::Evaluator::new(e.subscriptions());
            evaluator.import(e.evaluator().export());
            evaluator.prune();
            evaluator
                .state()
                .customers
                .iter()
                .map(|(c, events)| (c.clone(), events.iter().map(|e| e.id.clone()).collect()))
                .collect()
        };
        assert_eq!(windows(&paged), windows(&one));
        let evaluated = evaluate_index(&mut paged, &index, 7, |_| {}).unwrap();
        assert_eq!(evaluated.processed.events, 0);
        let again = Captured::default();
        assert_eq!(paged.deliver(&deliverer(&again)).unwrap().attempted, 0);
    }

    /// Each alert's latest payload, by id.
    fn latest(lines: &[String]) -> std::collections::BTreeMap<String, String> {
        let mut by_id = std::collections::BTreeMap::new();
        for line in lines {
            let alert: crate::alerts::Alert = serde_json::from_str(line).unwrap();
            by_id.insert(alert.alert_id.clone(), line.clone());
        }
        by_id
    }
}
