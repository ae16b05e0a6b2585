//! Integration tests: the real `kashev` binary in temporary directories, and the parts of the
//! library that talk to the outside world (alert delivery) against real local receivers.

mod alerts;
mod alerts_run;
mod browser;
mod classify;
mod customer;
mod delivery;
mod generate;
mod index;
mod lexicon;
mod receivers;
mod reindex;
mod serve;
mod sources;
mod trends;
mod util;
mod watch;
mod webdriver;
