//! `kashev serve`: the JSON API and the web workspace over an index, in one process.
//!
//! An axum server on a tokio runtime. Every API request runs its index or store work on tokio's
//! blocking pool against a tantivy reader that reloads after each commit (so records that
//! `kashev index` or `kashev watch` commit appear without a restart). The web workspace is a set
//! of static files embedded in the binary ([`assets`]).
//!
//! Around every request: a request log line on stderr (time, method, path, status, duration, the
//! caller's token name — never the token or the query string, which may hold a customer's
//! details), a body size limit, a time limit, and authentication ([`auth`]). A server bound to
//! anything but a loopback address refuses to start without tokens. It shuts down gracefully on
//! SIGINT or SIGTERM: it stops accepting, lets requests in flight finish, then exits.

mod api;
pub mod assets;
pub mod auth;
pub mod subscriptions;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::classify::Classifier;
use crate::error::{Error, Result};
use crate::index::Index;
use crate::lexicon::Lexicon;

pub use auth::{Grant, Tokens};

/// The default address: loopback only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// The default limit on a request body.
pub const DEFAULT_BODY_LIMIT: usize = 1 << 20;

/// The default limit on the time a request may take.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// What a server serves and how.
#[derive(Debug, Clone)]
pub struct ServeSettings {
    /// The index directory.
    pub index_dir: PathBuf,
    /// Where to listen.
    pub addr: SocketAddr,
    /// The lexicons (explain, query analysis, taxonomy).
    pub lexicon: Lexicon,
    /// The subscriptions file the API lists and edits, if any.
    pub subscriptions: Option<PathBuf>,
    /// The alert state database.
    pub state: PathBuf,
    /// The accepted tokens; none means every loopback caller gets [`Grant::local`].
    pub tokens: Tokens,
    /// The largest request body accepted.
    pub body_limit: usize,
    /// The longest a request may take.
    pub request_timeout: Duration,
    /// Whether to log each request on stderr.
    pub log_requests: bool,
}

/// What every handler shares.
pub(crate) struct App {
    pub index: Index,
    pub reader: tantivy::IndexReader,
    pub classifier: Classifier,
    pub subscriptions: Option<PathBuf>,
    pub state: PathBuf,
    pub tokens: Tokens,
    pub settings: ServeSettings,
    /// Serialises edits of the subscriptions file.
    pub edit: tokio::sync::Mutex<()>,
    /// Index and store work running at once.
    pub work: Arc<tokio::sync::Semaphore>,
}

/// A server bound to its address, ready to run.
pub struct Server {
    listener: std::net::TcpListener,
    app: Arc<App>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("addr", &self.listener.local_addr().ok())
            .finish()
    }
}

impl Server {
    /// Opens the index and binds the address.
    ///
    /// # Errors
    /// A usage error for a non-loopback address without tokens, a missing index, an address in
    /// use; an index error when the index cannot be read.
    pub fn bind(settings: ServeSettings) -> Result<Server> {
        if !settings.addr.ip().is_loopback() && settings.tokens.is_empty() {
            return Err(Error::Usage(format!(
                "refusing to serve on {} without API tokens: give --tokens-file PATH or set {} \
                 (or bind to 127.0.0.1)",
                settings.addr,
                auth::TOKENS_ENV
            )));
        }
        let index = Index::open(&settings.index_dir, settings.lexicon.clone())?;
        let reader = index.reader()?;
        let listener = std::net::TcpListener::bind(settings.addr)
            .map_err(|e| Error::Usage(format!("cannot listen on {}: {e}", settings.addr)))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| Error::io("listener", e))?;
        let app = Arc::new(App {
            classifier: Classifier::new(settings.lexicon.clone()),
            index,
            reader,
            subscriptions: settings.subscriptions.clone(),
            state: settings.state.clone(),
            tokens: settings.tokens.clone(),
            settings,
            edit: tokio::sync::Mutex::new(()),
            work: Arc::new(tokio::sync::Semaphore::new(cores())),
        });
        Ok(Server { listener, app })
    }

    /// The address it listens on (the real port when bound to port 0).
    ///
    /// # Errors
    /// When the socket cannot tell.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        self.listener
            .local_addr()
            .map_err(|e| Error::io("listener", e))
    }

    /// Serves until SIGINT or SIGTERM, then lets the requests in flight finish.
    ///
    /// # Errors
    /// When the runtime cannot start or the listener fails.
    pub fn run(self) -> Result<()> {
        let threads = cores();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .thread_name("kashev-serve")
            .enable_all()
            .build()
            .map_err(|e| Error::io("tokio runtime", e))?;
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(self.listener)
                .map_err(|e| Error::io("listener", e))?;
            let router = api::router(self.app);
            axum::serve(listener, router)
                .with_graceful_shutdown(shutdown_signal())
                .await
                .map_err(|e| Error::io("server", e))
        })
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZero::get)
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    eprintln!("kashev serve: shutting down; finishing the requests in flight");
}
