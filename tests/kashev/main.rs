//! Integration tests: the real `kashev` binary in temporary directories.

mod classify;
mod generate;
mod sources;
mod util;
