//! `kashev records` (placeholder until implemented).

use super::Outcome;

/// Flags of `kashev records`.
#[derive(Debug, clap::Args)]
pub struct RecordsArgs {}

/// Runs `kashev records`.
pub fn run(_args: RecordsArgs) -> anyhow::Result<Outcome> {
    Ok(Outcome::Success)
}
