//! The customer view: every record of one customer across channels, in time order, with what an
//! analyst asks first: where and how often they got in touch, which complaints came back within a
//! few days (repeat contacts), how their churn risk moved, and which churn signals are still open.
//!
//! Takes an [`Index`] and a [`CustomerRequest`]; hands on a [`CustomerView`]. Every record of the
//! customer is read (a term query on `customer_id` collected as a set, not a top-k), so the summary
//! covers all of them; only the list of records handed on is capped.
//!
//! Records without a timestamp come last in the list. They are counted per channel, but take no
//! part in anything measured in time: repeat contacts, the risk trajectory, open signals.

use std::collections::BTreeMap;
use std::ops::Bound;

use jiff::{SignedDuration, Timestamp};
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, DocAddress, Searcher, TantivyDocument, Term};

use super::search::{Highlight, evidence_highlights};
use super::{Index, StoredDoc};
use crate::error::Result;

/// Repeat window used when none is given, in days.
pub const DEFAULT_REPEAT_DAYS: u32 = 7;

/// How many records a view lists when no limit is given.
pub const DEFAULT_LIMIT: usize = 50;

/// How far back from a customer's last contact a churn signal still counts as open.
pub const OPEN_SIGNAL_WINDOW: SignedDuration = SignedDuration::from_hours(30 * 24);

/// How far the last risk must lie above the average of the earlier ones for a trajectory to count
/// as rising: a customer whose risk wobbles by a few hundredths is not rising.
pub const RISING_MARGIN: f64 = 0.1;

/// The channel name under which records without a channel are counted.
pub const NO_CHANNEL: &str = "(none)";

/// The levels of a sparkline, lowest first.
const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// What to show of a customer.
#[derive(Debug, Clone)]
pub struct CustomerRequest {
    /// The customer id, as indexed.
    pub customer_id: String,
    /// Only records at or after this time.
    pub since: Option<Timestamp>,
    /// Only records before this time.
    pub until: Option<Timestamp>,
    /// The same complaint label again within this span is a repeat contact (the boundary included).
    pub repeat_window: SignedDuration,
    /// How many records to list (the newest are kept); the summary covers all.
    pub limit: usize,
}

impl CustomerRequest {
    /// A request for every record of `customer_id`, with the default repeat window and limit.
    pub fn new(customer_id: impl Into<String>) -> CustomerRequest {
        CustomerRequest {
            customer_id: customer_id.into(),
            since: None,
            until: None,
            repeat_window: days(DEFAULT_REPEAT_DAYS),
            limit: DEFAULT_LIMIT,
        }
    }
}

/// A span of whole days.
pub fn days(n: u32) -> SignedDuration {
    SignedDuration::from_secs(i64::from(n) * 86_400)
}

/// One listed record and the spans of its text to highlight (its evidence).
#[derive(Debug, Clone)]
pub struct CustomerRecord {
    /// The record and its classification.
    pub doc: StoredDoc,
    /// The evidence spans, by start.
    pub highlights: Vec<Highlight>,
}

/// One customer's records and what they add up to.
#[derive(Debug, Clone)]
pub struct CustomerView {
    /// The customer.
    pub customer_id: String,
    /// How many records the customer has (in the requested time range).
    pub total: usize,
    /// Records per channel ([`NO_CHANNEL`] for records without one).
    pub channels: BTreeMap<String, usize>,
    /// The earliest timestamp.
    pub first_contact: Option<Timestamp>,
    /// The latest timestamp.
    pub last_contact: Option<Timestamp>,
    /// How many records have no timestamp.
    pub untimed: usize,
    /// The window repeat contacts were looked for in.
    pub repeat_window: SignedDuration,
    /// The same complaint label again within the window, in time order.
    pub repeats: Vec<RepeatContact>,
    /// The churn risk of each timed record, in time order.
    pub trajectory: RiskTrajectory,
    /// Churn labels within [`OPEN_SIGNAL_WINDOW`] of the last contact, most recent first.
    pub open_signals: Vec<OpenSignal>,
    /// The last `limit` records, oldest first, records without a timestamp last.
    pub records: Vec<CustomerRecord>,
}

/// What the summary needs of a timed record: its id, time, labels with scores and churn risk.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact<'a> {
    /// The record id.
    pub id: &'a str,
    /// When it was written.
    pub timestamp: Timestamp,
    /// Its labels and their scores.
    pub labels: Vec<(&'a str, f64)>,
    /// Its churn risk.
    pub churn_risk: f64,
}

impl<'a> Contact<'a> {
    /// The contact a stored record stands for; `None` when it has no timestamp.
    pub fn of(doc: &'a StoredDoc) -> Option<Contact<'a>> {
        Some(Contact {
            id: &doc.record.id,
            timestamp: doc.record.timestamp?,
            labels: doc
                .classification
                .labels
                .iter()
                .map(|l| (l.label.as_str(), l.score))
                .collect(),
            churn_risk: doc.classification.churn_risk,
        })
    }
}

/// A complaint that came back: the same label on two records of a customer within the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatContact {
    /// The complaint label.
    pub label: String,
    /// The earlier record.
    pub first_id: String,
    /// Its time.
    pub first_time: Timestamp,
    /// The record that repeats it.
    pub repeat_id: String,
    /// Its time.
    pub repeat_time: Timestamp,
    /// The time between them.
    pub gap: SignedDuration,
}

/// The repeat contacts among `contacts`: each time a `complaint.*` label comes back no later than
/// `window` after its previous occurrence (a gap of exactly `window` is a repeat), one repeat of
/// the previous occurrence. Three records with the same complaint in a row make two repeats (the
/// first and second, the second and third). Different labels never make a repeat, nor do churn
/// labels. The contacts may come in any order; the repeats come in time order, then by label.
pub fn repeat_contacts(contacts: &[Contact<'_>], window: SignedDuration) -> Vec<RepeatContact> {
    let mut ordered: Vec<&Contact<'_>> = contacts.iter().collect();
    ordered.sort_by(|a, b| (a.timestamp, a.id).cmp(&(b.timestamp, b.id)));
    let mut previous: BTreeMap<&str, &Contact<'_>> = BTreeMap::new();
    let mut repeats = Vec::new();
    for contact in ordered {
        let mut seen: Vec<&str> = Vec::new();
        for &(label, _) in &contact.labels {
            if !label.starts_with("complaint.") || seen.contains(&label) {
                continue;
            }
            seen.push(label);
            if let Some(before) = previous.insert(label, contact) {
                let gap = contact.timestamp.duration_since(before.timestamp);
                if gap <= window {
                    repeats.push(RepeatContact {
                        label: label.to_string(),
                        first_id: before.id.to_string(),
                        first_time: before.timestamp,
                        repeat_id: contact.id.to_string(),
                        repeat_time: contact.timestamp,
                        gap,
                    });
                }
            }
        }
    }
    repeats.sort_by(|a, b| (a.repeat_time, &a.label).cmp(&(b.repeat_time, &b.label)));
    repeats
}

/// The churn risk of one record.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskPoint {
    /// The record id.
    pub id: String,
    /// Its time.
    pub timestamp: Timestamp,
    /// Its churn risk in [0, 1].
    pub risk: f64,
}

/// A customer's churn risk, record by record, in time order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RiskTrajectory {
    /// One point per timed record, oldest first.
    pub points: Vec<RiskPoint>,
}

impl RiskTrajectory {
    /// The trajectory of `contacts`, put in time order.
    pub fn of(contacts: &[Contact<'_>]) -> RiskTrajectory {
        let mut points: Vec<RiskPoint> = contacts
            .iter()
            .map(|c| RiskPoint {
                id: c.id.to_string(),
                timestamp: c.timestamp,
                risk: c.churn_risk,
            })
            .collect();
        points.sort_by(|a, b| (a.timestamp, &a.id).cmp(&(b.timestamp, &b.id)));
        RiskTrajectory { points }
    }

    /// The risk of the oldest record.
    pub fn first(&self) -> Option<f64> {
        self.points.first().map(|p| p.risk)
    }

    /// The risk of the newest record.
    pub fn last(&self) -> Option<f64> {
        self.points.last().map(|p| p.risk)
    }

    /// The highest risk.
    pub fn max(&self) -> Option<f64> {
        self.points.iter().map(|p| p.risk).reduce(f64::max)
    }

    /// Whether the risk is rising: the newest record's risk lies at least [`RISING_MARGIN`] above
    /// the average of the ones before it. One point is not a trend.
    pub fn rising(&self) -> bool {
        let Some((last, earlier)) = self.points.split_last() else {
            return false;
        };
        if earlier.is_empty() {
            return false;
        }
        let mean = earlier.iter().map(|p| p.risk).sum::<f64>() / earlier.len() as f64;
        last.risk - mean >= RISING_MARGIN
    }

    /// The risks as a sparkline (▁ for 0 up to █ for 1) of at most `width` characters: with more
    /// points than that, each character shows the highest risk of its share of the points.
    pub fn sparkline(&self, width: usize) -> String {
        let n = self.points.len();
        let width = width.max(1).min(n);
        (0..width)
            .map(|i| {
                let share = &self.points[i * n / width..(i + 1) * n / width];
                let risk = share.iter().map(|p| p.risk).fold(0.0, f64::max);
                // Saturating float-to-int casts: NaN and negatives give 0, above 1 gives 7.
                SPARKS[((risk * 8.0) as usize).min(SPARKS.len() - 1)]
            })
            .collect()
    }
}

/// A churn label seen within [`OPEN_SIGNAL_WINDOW`] of the customer's last contact.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenSignal {
    /// The churn label.
    pub label: String,
    /// How many records in the window carry it.
    pub records: usize,
    /// The newest of them.
    pub last_id: String,
    /// Its time.
    pub last_time: Timestamp,
    /// The highest score the label had in the window.
    pub max_score: f64,
}

/// The open churn signals among `contacts`: every `churn.*` label on a record no older than
/// `window` before the newest contact, most recently seen first (then by label).
pub fn open_signals(contacts: &[Contact<'_>], window: SignedDuration) -> Vec<OpenSignal> {
    let Some(newest) = contacts.iter().map(|c| c.timestamp).max() else {
        return Vec::new();
    };
    let from = newest.checked_sub(window).unwrap_or(Timestamp::MIN);
    let mut signals: BTreeMap<&str, OpenSignal> = BTreeMap::new();
    for c in contacts.iter().filter(|c| c.timestamp >= from) {
        for &(label, score) in c.labels.iter().filter(|(l, _)| l.starts_with("churn.")) {
            let signal = signals.entry(label).or_insert_with(|| OpenSignal {
                label: label.to_string(),
                records: 0,
                last_id: c.id.to_string(),
                last_time: c.timestamp,
                max_score: score,
            });
            signal.records += 1;
            signal.max_score = signal.max_score.max(score);
            if (c.timestamp, c.id) > (signal.last_time, signal.last_id.as_str()) {
                signal.last_id = c.id.to_string();
                signal.last_time = c.timestamp;
            }
        }
    }
    let mut signals: Vec<OpenSignal> = signals.into_values().collect();
    signals.sort_by(|a, b| {
        b.last_time
            .cmp(&a.last_time)
            .then_with(|| a.label.cmp(&b.label))
    });
    signals
}

impl CustomerView {
    /// The view of `docs`, the records of `request.customer_id` in any order: sorts them (oldest
    /// first, untimed last, ties by id), sums them up, and keeps the last `request.limit` to list.
    pub fn from_docs(request: &CustomerRequest, mut docs: Vec<StoredDoc>) -> CustomerView {
        docs.sort_by(|a, b| {
            let key = |d: &StoredDoc| (d.record.timestamp.is_none(), d.record.timestamp);
            key(a)
                .cmp(&key(b))
                .then_with(|| a.record.id.cmp(&b.record.id))
        });
        let mut channels: BTreeMap<String, usize> = BTreeMap::new();
        for doc in &docs {
            let channel = doc.record.channel.as_deref().unwrap_or(NO_CHANNEL);
            *channels.entry(channel.to_string()).or_default() += 1;
        }
        let contacts: Vec<Contact<'_>> = docs.iter().filter_map(Contact::of).collect();
        let first_contact = contacts.iter().map(|c| c.timestamp).min();
        let last_contact = contacts.iter().map(|c| c.timestamp).max();
        let untimed = docs.len() - contacts.len();
        let repeats = repeat_contacts(&contacts, request.repeat_window);
        let trajectory = RiskTrajectory::of(&contacts);
        let open_signals = open_signals(&contacts, OPEN_SIGNAL_WINDOW);
        let total = docs.len();
        let records = docs
            .drain(total.saturating_sub(request.limit)..)
            .map(|doc| CustomerRecord {
                highlights: evidence_highlights(&doc),
                doc,
            })
            .collect();
        CustomerView {
            customer_id: request.customer_id.clone(),
            total,
            channels,
            first_contact,
            last_contact,
            untimed,
            repeat_window: request.repeat_window,
            repeats,
            trajectory,
            open_signals,
            records,
        }
    }
}

impl Index {
    /// The view of one customer: every record with `request.customer_id` (within `since` and
    /// `until`), read in full, summed up and listed as [`CustomerView::from_docs`] does. An
    /// unknown customer gives a view with no records.
    ///
    /// # Errors
    /// When tantivy fails or a stored document cannot be read.
    pub fn customer(&self, searcher: &Searcher, request: &CustomerRequest) -> Result<CustomerView> {
        let f = &self.fields;
        let customer: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(f.customer_id, &request.customer_id),
            IndexRecordOption::Basic,
        ));
        let mut clauses = vec![(Occur::Must, customer)];
        if request.since.is_some() || request.until.is_some() {
            let at = |ts: Timestamp| {
                Term::from_field_date_for_search(
                    f.timestamp,
                    DateTime::from_timestamp_secs(ts.as_second()),
                )
            };
            let lower = request
                .since
                .map_or(Bound::Unbounded, |ts| Bound::Included(at(ts)));
            let upper = request
                .until
                .map_or(Bound::Unbounded, |ts| Bound::Excluded(at(ts)));
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
        }
        let query = BooleanQuery::new(clauses);
        let mut addresses: Vec<DocAddress> = searcher
            .search(&query, &DocSetCollector)?
            .into_iter()
            .collect();
        // In store order, so that neighbouring records share a decompressed block.
        addresses.sort_unstable();
        let mut docs = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            docs.push(StoredDoc::from_document(f, &doc)?);
        }
        Ok(CustomerView::from_docs(request, docs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: i64, hour: i64) -> Timestamp {
        // 2026-03-01T00:00:00Z plus whole days and hours.
        Timestamp::from_second(1_772_323_200 + day * 86_400 + hour * 3_600).unwrap()
    }

    fn contact<'a>(id: &'a str, time: Timestamp, labels: &[&'a str]) -> Contact<'a> {
        Contact {
            id,
            timestamp: time,
            labels: labels.iter().map(|&l| (l, 1.0)).collect(),
            churn_risk: 0.0,
        }
    }

    /// (first record id, label, repeating record id).
    type Pair<'a> = (&'a str, &'a str, &'a str);

    /// The pair of each repeat.
    fn pairs(repeats: &[RepeatContact]) -> Vec<Pair<'_>> {
        repeats
            .iter()
            .map(|r| (r.first_id.as_str(), r.label.as_str(), r.repeat_id.as_str()))
            .collect()
    }

    #[test]
    fn repeat_contacts_cases() {
        let billing = "complaint.billing";
        let fault = "complaint.technical_fault";
        let cases: Vec<(&str, Vec<Contact<'_>>, Vec<Pair<'_>>)> = vec![
            (
                "same label within the window",
                vec![
                    contact("a", at(0, 0), &[billing]),
                    contact("b", at(3, 0), &[billing]),
                ],
                vec![("a", billing, "b")],
            ),
            (
                "different labels",
                vec![
                    contact("a", at(0, 0), &[billing]),
                    contact("b", at(1, 0), &[fault]),
                ],
                vec![],
            ),
            (
                "exactly the window apart is a repeat",
                vec![
                    contact("a", at(0, 0), &[billing]),
                    contact("b", at(7, 0), &[billing]),
                ],
                vec![("a", billing, "b")],
            ),
            (
                "one hour past the window is not",
                vec![
                    contact("a", at(0, 0), &[billing]),
                    contact("b", at(7, 1), &[billing]),
                ],
                vec![],
            ),
            (
                "three in a row make two repeats",
                vec![
                    contact("a", at(0, 0), &[billing]),
                    contact("b", at(2, 0), &[billing]),
                    contact("c", at(4, 0), &[billing]),
                ],
                vec![("a", billing, "b"), ("b", billing, "c")],
            ),
            (
                "a late one is measured from the previous occurrence, not the first",
                vec![
                    contact("a", at(0, 0), &[billing]),
                    contact("b", at(3, 0), &[billing]),
                    contact("c", at(23, 0), &[billing]),
                ],
                vec![("a", billing, "b")],
            ),
            (
                "churn labels are not complaints",
                vec![
                    contact("a", at(0, 0), &["churn.cancel_intent"]),
                    contact("b", at(1, 0), &["churn.cancel_intent"]),
                ],
                vec![],
            ),
            (
                "input order does not matter",
                vec![
                    contact("b", at(3, 0), &[billing]),
                    contact("a", at(0, 0), &[billing]),
                ],
                vec![("a", billing, "b")],
            ),
            (
                "each label on its own",
                vec![
                    contact("a", at(0, 0), &[billing, fault]),
                    contact("b", at(1, 0), &[fault]),
                    contact("c", at(2, 0), &[billing]),
                ],
                vec![("a", fault, "b"), ("a", billing, "c")],
            ),
            ("nothing", vec![], vec![]),
        ];
        for (name, contacts, expected) in cases {
            let repeats = repeat_contacts(&contacts, days(7));
            assert_eq!(pairs(&repeats), expected, "{name}");
        }
    }

    #[test]
    fn a_repeat_carries_its_times_and_gap() {
        let contacts = [
            contact("a", at(0, 0), &["complaint.billing"]),
            contact("b", at(3, 5), &["complaint.billing"]),
        ];
        let repeats = repeat_contacts(&contacts, days(7));
        assert_eq!(repeats.len(), 1);
        assert_eq!(repeats[0].first_time, at(0, 0));
        assert_eq!(repeats[0].repeat_time, at(3, 5));
        assert_eq!(repeats[0].gap, SignedDuration::from_hours(3 * 24 + 5));
    }

    fn trajectory(risks: &[f64]) -> RiskTrajectory {
        RiskTrajectory {
            points: risks
                .iter()
                .enumerate()
                .map(|(i, &risk)| RiskPoint {
                    id: i.to_string(),
                    timestamp: at(i as i64, 0),
                    risk,
                })
                .collect(),
        }
    }

    #[test]
    fn trajectory_rises_only_when_the_last_risk_clears_the_earlier_average() {
        assert!(trajectory(&[0.1, 0.1, 0.8]).rising());
        assert!(!trajectory(&[0.1, 0.8, 0.1]).rising());
        assert!(!trajectory(&[0.5, 0.55]).rising());
        assert!(!trajectory(&[0.9]).rising());
        assert!(!trajectory(&[]).rising());
        let t = trajectory(&[0.2, 0.9, 0.4]);
        assert_eq!(
            (t.first(), t.last(), t.max()),
            (Some(0.2), Some(0.4), Some(0.9))
        );
        assert_eq!(trajectory(&[]).max(), None);
    }

    #[test]
    fn sparkline_levels_and_width() {
        assert_eq!(trajectory(&[0.0, 0.5, 1.0]).sparkline(60), "▁▅█");
        assert_eq!(trajectory(&[f64::NAN, -1.0, 7.0]).sparkline(60), "▁▁█");
        assert_eq!(trajectory(&[]).sparkline(60), "");
        // Four points in two characters: the highest of each pair.
        assert_eq!(trajectory(&[0.0, 0.8, 0.1, 0.2]).sparkline(2), "▇▂");
        let many = trajectory(&vec![0.3; 1000]);
        assert_eq!(many.sparkline(60).chars().count(), 60);
        assert_eq!(many.sparkline(0).chars().count(), 1);
    }

    #[test]
    fn open_signals_are_churn_labels_in_the_last_window_of_history() {
        let contacts = [
            contact("old", at(0, 0), &["churn.cancel_intent"]),
            contact("a", at(40, 0), &["complaint.billing", "churn.escalation"]),
            contact("b", at(50, 0), &["churn.cancel_intent"]),
            contact("c", at(60, 0), &["churn.escalation"]),
        ];
        let open = open_signals(&contacts, OPEN_SIGNAL_WINDOW);
        let summary: Vec<(&str, usize, &str)> = open
            .iter()
            .map(|s| (s.label.as_str(), s.records, s.last_id.as_str()))
            .collect();
        // "old" lies 60 days before the last contact: closed.
        assert_eq!(
            summary,
            [
                ("churn.escalation", 2, "c"),
                ("churn.cancel_intent", 1, "b")
            ]
        );
        assert!(open_signals(&[], OPEN_SIGNAL_WINDOW).is_empty());
    }
}
