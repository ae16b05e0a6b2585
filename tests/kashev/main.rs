//! Integration tests: the real `kashev` binary in temporary directories.

mod generate;
mod sources;
mod util;
