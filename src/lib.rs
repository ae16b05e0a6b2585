//! Kashev (קשב, "attentive listening") mines the free text that customer-service organisations already
//! write — agent notes, chats, social posts, e-mails, in Hebrew and English — for complaints, sentiment
//! and churn signals.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! source ──► record ──► analyze ──► lexicon ──► classify ──► sinks (JSONL, …)
//! ```
//!
//! - [`source`] streams [`record::Record`]s from JSONL, CSV/TSV or plain text (files, `.gz`, stdin),
//!   turning every bad line into a counted [`source::Reject`];
//! - [`analyze`] splits text into tokens with byte offsets into the original text, Hebrew- and
//!   English-aware keys, typed tokens (phones, IDs, cards, money, …) and emoji; it is also a tantivy
//!   tokenizer;
//! - [`lexicon`] loads and validates the plain-text lexicons and finds their entries in an analysis
//!   with one aho-corasick automaton;
//! - [`classify`] turns hits into sentiment, complaint and churn labels with evidence, and a churn
//!   risk — a pure function of (text, lexicon);
//! - [`eval`] measures accuracy on gold-labelled data;
//! - [`report`] holds the JSON shapes of results that the CLI and the HTTP API share;
//! - [`serve`] is the HTTP API and web workspace over an index;
//! - [`generate`] writes a realistic, seeded corpus of customer-service records for tests and
//!   benchmarks.

pub mod alerts;
pub mod analyze;
pub mod classify;
pub mod error;
pub mod eval;
pub mod generate;
mod hash;
pub mod index;
pub mod lexicon;
pub mod record;
pub mod report;
pub mod serve;
pub mod source;

pub use error::{Error, Result};
