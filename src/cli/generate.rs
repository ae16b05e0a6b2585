//! `kashev generate` (placeholder until implemented).

use super::Outcome;

/// Flags of `kashev generate`.
#[derive(Debug, clap::Args)]
pub struct GenerateArgs {}

/// Runs `kashev generate`.
pub fn run(_args: GenerateArgs) -> anyhow::Result<Outcome> {
    Ok(Outcome::Success)
}
