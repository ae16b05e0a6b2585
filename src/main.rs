//! The `kashev` command: parses arguments, runs the library, maps the outcome to an exit code.
//!
//! Exit codes (documented in the README):
//! 0 success; 1 finished, but some input records were rejected; 2 usage error (bad flags, missing
//! file, invalid configuration); 3 failure (an internal or I/O error); 4 an evaluation fell below
//! its floors; 5 `alerts run`/`retry` had nothing to deliver; 6 `alerts run`/`retry` left delivery
//! failures pending (retrying or dead). A closed stdout (`| head`) counts as success.

mod cli;

// The classifier and the indexer allocate many small strings on every core; mimalloc keeps that
// cheap and thread-local.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;

/// Process exit codes.
pub mod exit {
    /// Everything went well.
    pub const SUCCESS: u8 = 0;
    /// The run finished, but some input records were rejected.
    pub const REJECTED: u8 = 1;
    /// The user asked for something impossible: bad flags, a missing file, invalid configuration.
    pub const USAGE: u8 = 2;
    /// An internal or I/O failure.
    pub const FAILURE: u8 = 3;
    /// `kashev eval --floors`: a figure fell below its floor.
    pub const BELOW_FLOORS: u8 = 4;
    /// `kashev alerts run`/`retry`: nothing was delivered and no delivery is failing (0 means
    /// alerts were delivered).
    pub const NOTHING_TO_DO: u8 = 5;
    /// `kashev alerts run`/`retry`: some deliveries failed and wait for a retry, or are dead
    /// (see `kashev alerts status`).
    pub const DELIVERY_FAILURES_PENDING: u8 = 6;
}

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::from(exit::SUCCESS);
            }
            let _ = writeln!(std::io::stderr(), "kashev: {err:#}");
            let usage = err.chain().any(|cause| {
                cause
                    .downcast_ref::<kashev::Error>()
                    .is_some_and(kashev::Error::is_usage)
            }) || err.downcast_ref::<cli::UsageError>().is_some();
            ExitCode::from(if usage { exit::USAGE } else { exit::FAILURE })
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause.downcast_ref::<kashev::Error>().is_some_and(|e| {
                matches!(e, kashev::Error::Io { cause, .. } if cause.kind() == std::io::ErrorKind::BrokenPipe)
            })
    })
}
