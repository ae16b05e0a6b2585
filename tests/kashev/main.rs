//! Integration tests: the real `kashev` binary in temporary directories.

mod classify;
mod generate;
mod index;
mod lexicon;
mod sources;
mod util;
