//! Facet counts: how many matching records carry each label, label group, channel, sentiment and
//! language.
//!
//! A collector of its own rather than tantivy's terms aggregation: per segment it counts term
//! ordinals of the string columns in plain arrays (one slot per term of the segment's dictionary)
//! and turns ordinals into strings once, at the end, so a search that matches a million records
//! counts its facets in a fraction of the aggregation's time. It runs in the same pass as the
//! search's own collectors.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Cardinality, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// The facets counted for a search, as (name in the API, index field), in this order.
pub const FACETS: [(&str, &str); 5] = [
    ("labels", "labels"),
    ("groups", "groups"),
    ("channels", "channel"),
    ("sentiment", "sentiment_label"),
    ("lang", "lang"),
];

/// How many values a facet lists at most (the most frequent).
pub const FACET_VALUES: usize = 100;

/// A value of a facet and how many matching records have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    /// The value (a label, a channel, …).
    pub key: String,
    /// Matching records with it.
    pub count: u64,
}

/// Per facet ([`FACETS`]), the values of the matching records, most frequent first (ties by value).
pub type Facets = Vec<(&'static str, Vec<FacetCount>)>;

/// Counts the [`FACETS`] of every document it is given.
#[derive(Debug, Clone, Copy, Default)]
pub struct FacetCollector;

/// One segment's counts.
pub struct SegmentFacets {
    columns: Vec<Option<(StrColumn, Vec<u32>)>>,
    firsts: Vec<Option<u64>>,
    values: Vec<u64>,
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let mut columns = Vec::with_capacity(FACETS.len());
        for (_, field) in FACETS {
            columns.push(reader.fast_fields().str(field)?.map(|column| {
                let counts = vec![0u32; column.num_terms()];
                (column, counts)
            }));
        }
        Ok(SegmentFacets {
            columns,
            firsts: Vec::new(),
            values: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Vec<HashMap<String, u64>>>) -> tantivy::Result<Facets> {
        let mut merged: Vec<HashMap<String, u64>> = vec![HashMap::new(); FACETS.len()];
        for segment in segments {
            for (into, from) in merged.iter_mut().zip(segment) {
                for (key, count) in from {
                    *into.entry(key).or_default() += count;
                }
            }
        }
        Ok(FACETS
            .iter()
            .zip(merged)
            .map(|((name, _), counts)| {
                let mut values: Vec<FacetCount> = counts
                    .into_iter()
                    .map(|(key, count)| FacetCount { key, count })
                    .collect();
                values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
                values.truncate(FACET_VALUES);
                (*name, values)
            })
            .collect())
    }
}

impl SegmentFacets {
    fn count(&mut self, doc: DocId) {
        for (column, counts) in self.columns.iter_mut().flatten() {
            for ord in column.ords().values_for_doc(doc) {
                if let Some(slot) = counts.get_mut(ord as usize) {
                    *slot += 1;
                }
            }
        }
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = Vec<HashMap<String, u64>>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.count(doc);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        let (Some(&first), Some(&last)) = (docs.first(), docs.last()) else {
            return;
        };
        // A run of consecutive documents (every document of a segment without deletes, for an
        // empty query) maps to a run of rows: decode those values in one go.
        if (last - first) as usize + 1 == docs.len() {
            for (column, counts) in self.columns.iter_mut().flatten() {
                let ords = column.ords();
                let rows = ords.index.docid_range_to_rowids(first..last + 1);
                self.values.resize(rows.len(), 0);
                ords.values
                    .get_range(u64::from(rows.start), &mut self.values);
                for &ord in &self.values {
                    if let Some(slot) = counts.get_mut(ord as usize) {
                        *slot += 1;
                    }
                }
            }
            return;
        }
        // Single-valued columns decode a block of values at once.
        self.firsts.resize(docs.len(), None);
        for (column, counts) in self.columns.iter_mut().flatten() {
            let ords = column.ords();
            if ords.get_cardinality() == Cardinality::Multivalued {
                for &doc in docs {
                    for ord in ords.values_for_doc(doc) {
                        if let Some(slot) = counts.get_mut(ord as usize) {
                            *slot += 1;
                        }
                    }
                }
            } else {
                ords.first_vals(docs, &mut self.firsts[..docs.len()]);
                for ord in self.firsts[..docs.len()].iter().flatten() {
                    if let Some(slot) = counts.get_mut(*ord as usize) {
                        *slot += 1;
                    }
                }
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut out = Vec::with_capacity(self.columns.len());
        let mut key = String::new();
        for column in self.columns {
            let mut map = HashMap::new();
            if let Some((column, counts)) = column {
                for (ord, &count) in counts.iter().enumerate() {
                    if count == 0 {
                        continue;
                    }
                    key.clear();
                    if column.ord_to_str(ord as u64, &mut key).unwrap_or(false) {
                        map.insert(key.clone(), u64::from(count));
                    }
                }
            }
            out.push(map);
        }
        out
    }
}
