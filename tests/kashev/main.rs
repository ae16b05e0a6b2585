//! Integration tests: the real `kashev` binary in temporary directories.

mod classify;
mod generate;
mod lexicon;
mod sources;
mod trends;
mod util;
