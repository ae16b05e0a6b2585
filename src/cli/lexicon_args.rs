//! The `--lexicons DIR` flag shared by every command that classifies.

use std::path::PathBuf;

use kashev::lexicon::Lexicon;

/// Which lexicons to use.
#[derive(Debug, Clone, clap::Args)]
pub struct LexiconArgs {
    /// Use the lexicon files in DIR (same layout as the embedded defaults: taxonomy.txt,
    /// competitors.txt, emoji.txt, he/*.txt, en/*.txt) instead of the embedded defaults.
    #[arg(long, value_name = "DIR")]
    pub lexicons: Option<PathBuf>,
}

impl LexiconArgs {
    /// Loads the chosen lexicons; problems are reported as `file:line: message` (exit code 2).
    pub fn load(&self) -> anyhow::Result<Lexicon> {
        let lexicon = match &self.lexicons {
            Some(dir) => Lexicon::load_dir(dir)?,
            None => Lexicon::embedded()?,
        };
        Ok(lexicon)
    }
}
