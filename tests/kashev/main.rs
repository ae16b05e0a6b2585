//! Integration tests: the real `kashev` binary in temporary directories.

mod sources;
mod util;
