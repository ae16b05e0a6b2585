//! `kashev serve`: the HTTP API and the web workspace over an index.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use kashev::alerts::store;
use kashev::serve::auth::{TOKENS_ENV, Tokens};
use kashev::serve::{DEFAULT_ADDR, ServeSettings, Server};

use super::Outcome;
use super::index::IndexDirArgs;
use super::lexicon_args::LexiconArgs;

/// Flags of `kashev serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    dir: IndexDirArgs,

    /// The address to listen on. Anything but loopback needs API tokens.
    #[arg(long, value_name = "ADDR", default_value = DEFAULT_ADDR)]
    addr: SocketAddr,

    /// The subscriptions file the API lists and edits (the alerts page needs it).
    #[arg(long, value_name = "FILE")]
    subscriptions: Option<PathBuf>,

    /// The alert state database (default: kashev-state.sqlite next to the index directory).
    #[arg(long, value_name = "PATH")]
    state: Option<PathBuf>,

    /// A file of API tokens, one per line: NAME SCOPES TOKEN (scopes: read, admin, pii). Tokens
    /// may also come from the environment variable KASHEV_API_TOKENS; never from a flag.
    #[arg(long, value_name = "PATH")]
    tokens_file: Option<PathBuf>,

    /// The largest request body accepted, in KiB.
    #[arg(long, value_name = "KIB", default_value_t = 1024,
          value_parser = clap::value_parser!(u32).range(1..=65_536))]
    body_limit_kib: u32,

    /// The longest a request may take, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=600))]
    request_timeout: u32,

    /// Do not log each request on stderr.
    #[arg(long)]
    quiet: bool,

    #[command(flatten)]
    lexicons: LexiconArgs,
}

/// Runs `kashev serve`.
pub fn run(args: ServeArgs) -> anyhow::Result<Outcome> {
    let mut tokens = Tokens::none();
    if let Some(path) = &args.tokens_file {
        let text = std::fs::read_to_string(path).map_err(|e| kashev::Error::io(path, e))?;
        tokens.add(&text, &path.display().to_string())?;
    }
    if let Ok(text) = std::env::var(TOKENS_ENV) {
        tokens.add(&text, TOKENS_ENV)?;
    }
    if let Some(path) = &args.subscriptions
        && !path.exists()
    {
        eprintln!(
            "kashev serve: {} does not exist yet; creating a subscription will create it",
            path.display()
        );
    }
    let settings = ServeSettings {
        state: args
            .state
            .clone()
            .unwrap_or_else(|| store::default_path(&args.dir.index)),
        index_dir: args.dir.index,
        addr: args.addr,
        lexicon: args.lexicons.load()?,
        subscriptions: args.subscriptions,
        tokens,
        body_limit: (args.body_limit_kib as usize) << 10,
        request_timeout: Duration::from_secs(u64::from(args.request_timeout)),
        log_requests: !args.quiet,
    };
    let tokens = settings.tokens.len();
    let server = Server::bind(settings)?;
    let addr = server.local_addr()?;
    eprintln!("kashev serve: listening on http://{addr}");
    if tokens == 0 {
        eprintln!(
            "kashev serve: no API tokens: loopback callers may read and edit; personal data is masked"
        );
    } else {
        eprintln!("kashev serve: {tokens} API tokens; every API request needs one");
    }
    server.run()?;
    Ok(Outcome::Success)
}
