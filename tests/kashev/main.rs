//! Integration tests: the real `kashev` binary in temporary directories.

mod alerts;
mod classify;
mod customer;
mod generate;
mod index;
mod lexicon;
mod reindex;
mod sources;
mod trends;
mod util;
