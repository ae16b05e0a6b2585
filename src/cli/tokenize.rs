//! `kashev tokenize` (placeholder until implemented).

use super::Outcome;

/// Flags of `kashev tokenize`.
#[derive(Debug, clap::Args)]
pub struct TokenizeArgs {}

/// Runs `kashev tokenize`.
pub fn run(_args: TokenizeArgs) -> anyhow::Result<Outcome> {
    Ok(Outcome::Success)
}
