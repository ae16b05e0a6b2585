//! The alert state store: an embedded SQLite database that makes alerting survive restarts.
//!
//! It takes what the evaluator produces — alerts, its exported window and throttle state, and how
//! far it has read — and records them in one transaction: the alert ledger (one row per alert,
//! upserted as the alert is updated), an outbox row per destination, the state blobs and the
//! checkpoints. Either all of it lands or none of it does, so a crash at any point loses no alert and
//! never leaves a checkpoint ahead of the alerts it produced. The deliverer
//! ([`crate::alerts::deliver`]) then drains the outbox: [`Store::due`] hands it the rows to send,
//! [`Store::mark_delivered`] and [`Store::mark_failed`] record the outcome. A row stays `pending`
//! until it is confirmed, so one that was sent but not confirmed before a crash is sent again
//! (at-least-once) with the same idempotency key.
//!
//! Times are stored as Unix milliseconds. The schema carries a `user_version` and is migrated when
//! the database is opened.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Timestamp;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension, ToSql, Transaction, TransactionBehavior, params};

use super::{Alert, Destination};
use crate::{Error, Result};

/// The state file's name when it lives next to the index.
pub const STATE_FILE_NAME: &str = "kashev-state.sqlite";

/// Attempts before a delivery to a destination without its own limit (file, stdout) is dead.
pub const LOCAL_MAX_ATTEMPTS: u32 = 8;

/// How long a writer waits for another process's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The schema, one migration per version: migration `i` takes the database from version `i` to
/// `i + 1`. Never edit a released migration; append a new one.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE checkpoints (
    subscription TEXT PRIMARY KEY NOT NULL,
    position     ANY NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE state (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE ledger (
    alert_id     TEXT PRIMARY KEY NOT NULL,
    subscription TEXT NOT NULL,
    customer     TEXT,
    rule         TEXT NOT NULL,
    first_seen   INTEGER NOT NULL,
    last_seen    INTEGER NOT NULL,
    updates      INTEGER NOT NULL,
    payload      TEXT NOT NULL
) STRICT;
CREATE INDEX ledger_by_subscription ON ledger (subscription, last_seen);
CREATE INDEX ledger_by_last_seen ON ledger (last_seen);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id        TEXT NOT NULL REFERENCES ledger (alert_id),
    idempotency_key TEXT NOT NULL,
    destination     TEXT NOT NULL,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    max_attempts    INTEGER NOT NULL,
    last_error      TEXT,
    last_attempt_at INTEGER,
    next_attempt_at INTEGER NOT NULL,
    created         INTEGER NOT NULL,
    delivered_at    INTEGER,
    UNIQUE (idempotency_key, destination)
) STRICT;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_alert ON outbox (alert_id);
"#,
    r#"
-- Payloads and state values are kept compressed (an LZ4 block after its size, 4 bytes little
-- endian) in `packed`, with `payload` / `value` left empty; rows written as text before stay as
-- they are and read as before.
ALTER TABLE ledger ADD COLUMN packed BLOB;
ALTER TABLE state ADD COLUMN packed BLOB;
"#,
];

/// The state file that belongs to an index: `kashev-state.sqlite` next to the index directory
/// (`data/index` → `data/kashev-state.sqlite`), so that rebuilding the index keeps the state.
pub fn default_path(index_dir: &Path) -> PathBuf {
    match index_dir.parent() {
        Some(parent) => parent.join(STATE_FILE_NAME),
        // `/` or an empty path: nothing to be next to.
        None => index_dir.join(STATE_FILE_NAME),
    }
}

/// How far a subscription's evaluation has read: an opaque value the evaluator gives and gets back
/// (a record count, an index opstamp, a file offset, a time, a cursor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// A number.
    Offset(i64),
    /// Anything else, as text.
    Token(String),
}

impl ToSql for Position {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        match self {
            Position::Offset(n) => n.to_sql(),
            Position::Token(s) => s.to_sql(),
        }
    }
}

impl FromSql for Position {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Integer(n) => Ok(Position::Offset(n)),
            ValueRef::Text(_) => String::column_result(value).map(Position::Token),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

/// A subscription's new checkpoint, recorded with the alerts it led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The subscription's name.
    pub subscription: String,
    /// How far it has read.
    pub position: Position,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeliveryStatus {
    /// Not confirmed yet: due now or at its next attempt.
    Pending,
    /// The destination accepted it.
    Delivered,
    /// It failed as many times as its destination allows; [`Store::retry_dead`] brings it back.
    Dead,
}

impl DeliveryStatus {
    /// The name stored in the database and shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Dead => "dead",
        }
    }

    fn parse(s: &str) -> Option<DeliveryStatus> {
        match s {
            "pending" => Some(DeliveryStatus::Pending),
            "delivered" => Some(DeliveryStatus::Delivered),
            "dead" => Some(DeliveryStatus::Dead),
            _ => None,
        }
    }
}

impl std::fmt::Display for DeliveryStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the outbox: an alert state on its way to one destination.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// The delivery's id.
    pub id: i64,
    /// The alert.
    pub alert_id: String,
    /// The same on every attempt: receivers drop repeats by it.
    pub idempotency_key: String,
    /// The destination, as JSON (see [`Delivery::destination`]).
    pub destination_json: String,
    /// The alert payload, as JSON, exactly as it is sent (see [`Delivery::alert`]).
    pub payload: String,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: u32,
    /// Attempts allowed before it is dead.
    pub max_attempts: u32,
    /// The last attempt's error.
    pub last_error: Option<String>,
    /// When it is due next.
    pub next_attempt_at: Timestamp,
    /// When it was queued.
    pub created: Timestamp,
    /// When it was confirmed.
    pub delivered_at: Option<Timestamp>,
}

impl Delivery {
    /// The destination.
    ///
    /// # Errors
    ///
    /// [`Error::Json`] if the stored destination is not one this version knows.
    pub fn destination(&self) -> Result<Destination> {
        Ok(serde_json::from_str(&self.destination_json)?)
    }

    /// The alert.
    ///
    /// # Errors
    ///
    /// [`Error::Json`] if the stored payload is not an alert this version reads.
    pub fn alert(&self) -> Result<Alert> {
        Ok(serde_json::from_str(&self.payload)?)
    }
}

/// What [`Store::record`] (or [`Recording::commit`]) wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recorded {
    /// Alerts written to the ledger (new or updated).
    pub alerts: usize,
    /// Of them, alerts the ledger did not hold before.
    pub new_alerts: usize,
    /// Deliveries queued; an alert state already queued for a destination is not queued again.
    pub queued: usize,
}

/// A row of the alert ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerEntry {
    /// The alert.
    pub alert_id: String,
    /// Its subscription.
    pub subscription: String,
    /// Its customer (none for a volume spike).
    pub customer: Option<String>,
    /// The rule, described.
    pub rule: String,
    /// When it was raised.
    pub first_seen: Timestamp,
    /// When it was last updated.
    pub last_seen: Timestamp,
    /// How many times it was updated.
    pub updates: u32,
    /// Its latest payload, as JSON.
    pub payload: String,
}

/// A delivery that failed as many times as its destination allows.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadLetter {
    /// The delivery's id.
    pub id: i64,
    /// The alert.
    pub alert_id: String,
    /// The alert's subscription.
    pub subscription: String,
    /// The alert's customer.
    pub customer: Option<String>,
    /// The alert's rule.
    pub rule: String,
    /// The destination, described for people (a webhook shows its host only: its path may be a
    /// secret token).
    pub destination: String,
    /// Attempts made.
    pub attempts: u32,
    /// The last attempt's error.
    pub last_error: Option<String>,
    /// When the last attempt was made.
    pub last_attempt_at: Option<Timestamp>,
    /// When it was queued.
    pub created: Timestamp,
}

/// Which dead letters [`Store::retry_dead`] brings back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetryFilter {
    /// Only this subscription's.
    pub subscription: Option<String>,
    /// Only this delivery.
    pub delivery_id: Option<i64>,
}

/// Delivery counts by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusCounts {
    /// Not confirmed yet.
    pub pending: u64,
    /// Confirmed.
    pub delivered: u64,
    /// Given up on.
    pub dead: u64,
}

impl StatusCounts {
    fn add(&mut self, status: DeliveryStatus, n: u64) {
        match status {
            DeliveryStatus::Pending => self.pending += n,
            DeliveryStatus::Delivered => self.delivered += n,
            DeliveryStatus::Dead => self.dead += n,
        }
    }
}

/// One subscription's part of [`StoreStatus`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SubscriptionStatus {
    /// Alerts in the ledger.
    pub alerts: u64,
    /// When the latest of them was last seen.
    pub last_alert: Option<Timestamp>,
    /// Its deliveries by status.
    pub deliveries: StatusCounts,
    /// How far its evaluation has read.
    pub checkpoint: Option<Position>,
}

/// A summary of the store, for `kashev alerts status`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoreStatus {
    /// The database file.
    pub path: PathBuf,
    /// Alerts in the ledger.
    pub alerts: u64,
    /// All deliveries by status.
    pub deliveries: StatusCounts,
    /// When the earliest pending delivery is due.
    pub next_attempt_at: Option<Timestamp>,
    /// Per subscription, by name: every subscription with alerts or a checkpoint.
    pub subscriptions: BTreeMap<String, SubscriptionStatus>,
}

/// The state store. See the [module documentation](self).
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens the database at `path`, creating it if needed, and brings its schema up to date.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the file cannot be opened as a database, or was written by a newer
    /// version of Kashev.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        let conn = Connection::open(&path).map_err(|e| state_error(&path, e))?;
        let mut store = Store { conn, path };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens the state that belongs to the index at `index_dir` (see [`default_path`]).
    ///
    /// # Errors
    ///
    /// As [`Store::open`].
    pub fn open_next_to_index(index_dir: &Path) -> Result<Store> {
        Store::open(default_path(index_dir))
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&self) -> Result<()> {
        self.conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| self.error(e))?;
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(|e| self.error(e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(self.message(format!(
                "cannot use write-ahead logging (journal mode is {mode})"
            )));
        }
        // FULL: a committed alert, checkpoint or confirmation survives a power cut too. A 64 MiB
        // page cache (the default is 2 MiB) keeps the ledger's and outbox's indexes in memory
        // while a run writes hundreds of thousands of alerts at random ids.
        self.conn
            .execute_batch(
                "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;",
            )
            .map_err(|e| self.error(e))
    }

    fn migrate(&mut self) -> Result<()> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| self.error(e))?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(self.message(format!(
                "schema version {version} is newer than this kashev knows ({known}); \
                 use a newer kashev or another state file"
            )));
        }
        if version < 0 {
            return Err(self.message(format!("invalid schema version {version}")));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let path = &self.path;
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Exclusive)
                .map_err(|e| state_error(path, e))?;
            tx.execute_batch(sql)
                .and_then(|()| tx.pragma_update(None, "user_version", i as i64 + 1))
                .and_then(|()| tx.commit())
                .map_err(|e| state_error(path, format!("migrating to schema {}: {e}", i + 1)))?;
        }
        Ok(())
    }

    /// Starts recording: everything written through the [`Recording`] lands together when it is
    /// committed, and not at all if it is dropped first.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the database cannot be locked for writing.
    pub fn begin(&mut self) -> Result<Recording<'_>> {
        let Store { conn, path } = self;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| state_error(path, e))?;
        Ok(Recording {
            tx,
            path,
            now: Timestamp::now().as_millisecond(),
            recorded: Recorded::default(),
        })
    }

    /// Records an evaluation's outcome in one transaction: each alert in the ledger and queued for
    /// each of `destination_of(alert)`, the evaluator's exported `state` (key → JSON), and the
    /// `checkpoints`. A failure anywhere writes nothing.
    ///
    /// # Errors
    ///
    /// [`Error::Usage`] for an alert without an id or idempotency key; [`Error::State`] if the
    /// database cannot be written.
    pub fn record<F>(
        &mut self,
        alerts: &[Alert],
        mut destination_of: F,
        state: &[(String, serde_json::Value)],
        checkpoints: &[Checkpoint],
    ) -> Result<Recorded>
    where
        F: FnMut(&Alert) -> Vec<Destination>,
    {
        let mut recording = self.begin()?;
        for alert in alerts {
            let destinations = destination_of(alert);
            recording.alert(alert, &destinations)?;
        }
        for (key, value) in state {
            recording.state(key, value)?;
        }
        for checkpoint in checkpoints {
            recording.checkpoint(checkpoint)?;
        }
        recording.commit()
    }

    /// A subscription's checkpoint.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the database cannot be read.
    pub fn checkpoint(&self, subscription: &str) -> Result<Option<Position>> {
        self.conn
            .query_row(
                "SELECT position FROM checkpoints WHERE subscription = ?1",
                [subscription],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.error(e))
    }

    /// A state blob.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the database cannot be read or the blob is not JSON.
    pub fn state(&self, key: &str) -> Result<Option<serde_json::Value>> {
        let stored: Option<(String, Option<Vec<u8>>)> = self
            .conn
            .query_row(
                "SELECT value, packed FROM state WHERE key = ?1",
                [key],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(|e| self.error(e))?;
        stored
            .map(|(text, packed)| {
                let text = self.unpack(text, packed, &format!("state {key:?}"))?;
                serde_json::from_str(&text).map_err(|e| self.message(format!("state {key:?}: {e}")))
            })
            .transpose()
    }

    /// Runs `f` in one transaction: the confirmations and failures it records land together,
    /// with one sync to disk instead of one each. Keep `f` short; it holds the write lock.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the transaction cannot be started or committed; `f`'s error, with
    /// nothing it wrote kept.
    pub fn in_transaction<R>(&self, f: impl FnOnce(&Store) -> Result<R>) -> Result<R> {
        let tx = self
            .conn
            .unchecked_transaction()
            .map_err(|e| self.error(e))?;
        let result = f(self)?;
        tx.commit().map_err(|e| self.error(e))?;
        Ok(result)
    }

    /// The state blobs whose keys start with `prefix`, as JSON text, by key.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the database cannot be read.
    pub fn states_under(&self, prefix: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT key, value, packed FROM state WHERE substr(key, 1, length(?1)) = ?1 \
                 ORDER BY key",
            )
            .map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map([prefix], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<Vec<u8>>>(2)?,
                ))
            })
            .map_err(|e| self.error(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (key, text, packed) = row.map_err(|e| self.error(e))?;
            let text = self.unpack(text, packed, &format!("state {key:?}"))?;
            out.push((key, text));
        }
        Ok(out)
    }

    /// Deliveries that failed: dead ones, and pending ones that have failed at least once.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the database cannot be read.
    pub fn failures_pending(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row(
                "SELECT COUNT(*) FROM outbox \
                 WHERE status = 'dead' OR (status = 'pending' AND attempts > 0)",
                [],
                |row| row.get(0),
            )
            .map_err(|e| self.error(e))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Makes pending deliveries that failed before and wait for their next attempt due now (a
    /// receiver is known to be back). Returns how many.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the database cannot be written.
    pub fn retry_waiting(&self, filter: &RetryFilter) -> Result<usize> {
        let now = Timestamp::now().as_millisecond();
        self.conn
            .execute(
                "UPDATE outbox SET next_attempt_at = ?1 \
                 WHERE status = 'pending' AND attempts > 0 AND next_attempt_at > ?1 \
                 AND (?2 IS NULL OR alert_id IN (SELECT alert_id FROM ledger WHERE subscription = ?2)) \
                 AND (?3 IS NULL OR id = ?3)",
                params![now, filter.subscription, filter.delivery_id],
            )
            .map_err(|e| self.error(e))
    }

    /// Pending deliveries due at `now`, oldest first, at most `limit`.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the database cannot be read.
    pub fn due(&self, now: Timestamp, limit: usize) -> Result<Vec<Delivery>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.deliveries(
            "WHERE o.status = 'pending' AND o.next_attempt_at <= ?1 \
             ORDER BY o.next_attempt_at, o.id LIMIT ?2",
            params![now.as_millisecond(), limit],
        )
    }

    /// One delivery.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the database cannot be read.
    pub fn delivery(&self, id: i64) -> Result<Option<Delivery>> {
        Ok(self.deliveries("WHERE o.id = ?1", params![id])?.pop())
    }

    /// The deliveries of an alert, oldest first.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the database cannot be read.
    pub fn deliveries_of(&self, alert_id: &str) -> Result<Vec<Delivery>> {
        self.deliveries("WHERE o.alert_id = ?1 ORDER BY o.id", params![alert_id])
    }

    fn deliveries(&self, filter: &str, params: &[&dyn ToSql]) -> Result<Vec<Delivery>> {
        // An outbox row's empty payload stands for the ledger's (see `Recording::queue_payload`).
        let sql = format!(
            "SELECT o.id, o.alert_id, o.idempotency_key, o.destination, o.payload, l.payload, \
             l.packed, o.status, o.attempts, o.max_attempts, o.last_error, o.next_attempt_at, \
             o.created, o.delivered_at FROM outbox o LEFT JOIN ledger l ON l.alert_id = o.alert_id \
             {filter}"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map(params, |row| {
                Ok((
                    (
                        row.get::<_, i64>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, String>(3)?,
                    ),
                    (
                        row.get::<_, String>(4)?,
                        row.get::<_, Option<String>>(5)?,
                        row.get::<_, Option<Vec<u8>>>(6)?,
                    ),
                    row.get::<_, String>(7)?,
                    row.get::<_, i64>(8)?,
                    row.get::<_, i64>(9)?,
                    row.get::<_, Option<String>>(10)?,
                    row.get::<_, i64>(11)?,
                    row.get::<_, i64>(12)?,
                    row.get::<_, Option<i64>>(13)?,
                ))
            })
            .map_err(|e| self.error(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (
                (id, alert_id, key, destination),
                (own, ledger_text, ledger_packed),
                status,
                attempts,
                max,
                last_error,
                next,
                created,
                delivered,
            ) = row.map_err(|e| self.error(e))?;
            let payload = if own.is_empty() {
                let place = format!("payload of alert {alert_id:?}");
                self.unpack(ledger_text.unwrap_or_default(), ledger_packed, &place)?
            } else {
                own
            };
            out.push(Delivery {
                id,
                alert_id,
                idempotency_key: key,
                destination_json: destination,
                payload,
                status: self.status_of(&status)?,
                attempts: count(attempts),
                max_attempts: count(max),
                last_error,
                next_attempt_at: self.time(next)?,
                created: self.time(created)?,
                delivered_at: delivered.map(|t| self.time(t)).transpose()?,
            });
        }
        Ok(out)
    }

    /// Confirms deliveries, as [`Store::mark_delivered`] confirms each, in a few statements
    /// rather than one per row. Returns how many this call confirmed.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the database cannot be written or one of them does not exist.
    pub fn mark_all_delivered(&self, ids: &[i64]) -> Result<usize> {
        /// Ids per statement (well under SQLite's limit on parameters).
        const CHUNK: usize = 256;
        let now = Timestamp::now().as_millisecond();
        let mut changed = 0;
        for chunk in ids.chunks(CHUNK) {
            let sql = format!(
                "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, \
                 delivered_at = ?1, last_attempt_at = ?1 \
                 WHERE status <> 'delivered' AND id IN ({})",
                vec!["?"; chunk.len()].join(", ")
            );
            let mut values: Vec<&dyn ToSql> = Vec::with_capacity(chunk.len() + 1);
            values.push(&now);
            values.extend(chunk.iter().map(|id| id as &dyn ToSql));
            changed += self
                .conn
                .prepare_cached(&sql)
                .and_then(|mut stmt| stmt.execute(values.as_slice()))
                .map_err(|e| self.error(e))?;
        }
        if changed < ids.len() {
            for &id in ids {
                if self.delivery(id)?.is_none() {
                    return Err(self.message(format!("no delivery {id}")));
                }
            }
        }
        Ok(changed)
    }

    /// Confirms a delivery (the attempt that succeeded counts as one). Confirming one twice changes
    /// nothing; the result says whether this call did.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the database cannot be written or there is no such delivery.
    pub fn mark_delivered(&self, id: i64) -> Result<bool> {
        let now = Timestamp::now().as_millisecond();
        let changed = self
            .conn
            .execute(
                "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, \
                 delivered_at = ?2, last_attempt_at = ?2 \
                 WHERE id = ?1 AND status <> 'delivered'",
                params![id, now],
            )
            .map_err(|e| self.error(e))?;
        if changed == 0 && self.delivery(id)?.is_none() {
            return Err(self.message(format!("no delivery {id}")));
        }
        Ok(changed > 0)
    }

    /// Records a failed attempt: the delivery is due again at `next_attempt_at`, or dead once it
    /// has had its destination's maximum of attempts. A delivery that is not pending (confirmed
    /// meanwhile, or already dead) is left as it is. Returns the delivery's status afterwards.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the database cannot be written or there is no such delivery.
    pub fn mark_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: Timestamp,
    ) -> Result<DeliveryStatus> {
        let now = Timestamp::now().as_millisecond();
        let status: Option<String> = self
            .conn
            .query_row(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, \
                 last_attempt_at = ?3, next_attempt_at = ?4, \
                 status = CASE WHEN attempts + 1 >= max_attempts THEN 'dead' ELSE 'pending' END \
                 WHERE id = ?1 AND status = 'pending' RETURNING status",
                params![id, error, now, next_attempt_at.as_millisecond()],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.error(e))?;
        match status {
            Some(status) => self.status_of(&status),
            None => match self.delivery(id)? {
                Some(delivery) => Ok(delivery.status),
                None => Err(self.message(format!("no delivery {id}"))),
            },
        }
    }

    /// The dead deliveries, oldest first, with their last errors.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the database cannot be read.
    pub fn dead_letters(&self) -> Result<Vec<DeadLetter>> {
        self.failed("o.status = 'dead'")
    }

    /// Pending deliveries that failed at least once and wait for their next attempt, oldest
    /// first, with their last errors (in the shape of a [`DeadLetter`]).
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the database cannot be read.
    pub fn retrying(&self) -> Result<Vec<DeadLetter>> {
        self.failed("o.status = 'pending' AND o.attempts > 0")
    }

    fn failed(&self, filter: &str) -> Result<Vec<DeadLetter>> {
        let sql = format!(
            "SELECT o.id, o.alert_id, l.subscription, l.customer, l.rule, o.destination, \
             o.attempts, o.last_error, o.last_attempt_at, o.created \
             FROM outbox o JOIN ledger l ON l.alert_id = o.alert_id \
             WHERE {filter} ORDER BY o.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map([], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, String>(5)?,
                    row.get::<_, i64>(6)?,
                    row.get::<_, Option<String>>(7)?,
                    row.get::<_, Option<i64>>(8)?,
                    row.get::<_, i64>(9)?,
                ))
            })
            .map_err(|e| self.error(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (
                id,
                alert_id,
                subscription,
                customer,
                rule,
                destination,
                attempts,
                last_error,
                last,
                created,
            ) = row.map_err(|e| self.error(e))?;
            out.push(DeadLetter {
                id,
                alert_id,
                subscription,
                customer,
                rule,
                destination: describe_json(&destination),
                attempts: count(attempts),
                last_error,
                last_attempt_at: last.map(|t| self.time(t)).transpose()?,
                created: self.time(created)?,
            });
        }
        Ok(out)
    }

    /// Brings dead deliveries back: pending, due now, attempts reset (the last error is kept until
    /// the next attempt). Returns how many.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the database cannot be written.
    pub fn retry_dead(&self, filter: &RetryFilter) -> Result<usize> {
        let now = Timestamp::now().as_millisecond();
        self.conn
            .execute(
                "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?1 \
                 WHERE status = 'dead' \
                 AND (?2 IS NULL OR alert_id IN (SELECT alert_id FROM ledger WHERE subscription = ?2)) \
                 AND (?3 IS NULL OR id = ?3)",
                params![now, filter.subscription, filter.delivery_id],
            )
            .map_err(|e| self.error(e))
    }

    /// Counts of alerts and deliveries, overall and per subscription.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the database cannot be read.
    pub fn status(&self) -> Result<StoreStatus> {
        let mut status = StoreStatus {
            path: self.path.clone(),
            ..StoreStatus::default()
        };
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT subscription, COUNT(*), MAX(last_seen) FROM ledger GROUP BY subscription",
            )
            .map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, Option<i64>>(2)?,
                ))
            })
            .map_err(|e| self.error(e))?;
        for row in rows {
            let (subscription, alerts, last) = row.map_err(|e| self.error(e))?;
            let entry = status.subscriptions.entry(subscription).or_default();
            entry.alerts = count(alerts).into();
            entry.last_alert = last.map(|t| self.time(t)).transpose()?;
            status.alerts += u64::from(count(alerts));
        }

        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT l.subscription, o.status, COUNT(*) FROM outbox o \
                 JOIN ledger l ON l.alert_id = o.alert_id GROUP BY l.subscription, o.status",
            )
            .map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, i64>(2)?,
                ))
            })
            .map_err(|e| self.error(e))?;
        for row in rows {
            let (subscription, delivery_status, n) = row.map_err(|e| self.error(e))?;
            let delivery_status = self.status_of(&delivery_status)?;
            let n = u64::try_from(n).unwrap_or(0);
            status
                .subscriptions
                .entry(subscription)
                .or_default()
                .deliveries
                .add(delivery_status, n);
            status.deliveries.add(delivery_status, n);
        }

        let mut stmt = self
            .conn
            .prepare_cached("SELECT subscription, position FROM checkpoints")
            .map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, Position>(1)?))
            })
            .map_err(|e| self.error(e))?;
        for row in rows {
            let (subscription, position) = row.map_err(|e| self.error(e))?;
            status
                .subscriptions
                .entry(subscription)
                .or_default()
                .checkpoint = Some(position);
        }

        let next: Option<i64> = self
            .conn
            .query_row(
                "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'",
                [],
                |row| row.get(0),
            )
            .map_err(|e| self.error(e))?;
        status.next_attempt_at = next.map(|t| self.time(t)).transpose()?;
        Ok(status)
    }

    /// The ledger's most recently updated alerts, latest first, at most `limit`.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the database cannot be read.
    pub fn ledger(&self, limit: usize) -> Result<Vec<LedgerEntry>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT alert_id, subscription, customer, rule, first_seen, last_seen, updates, \
                 payload, packed FROM ledger ORDER BY last_seen DESC, alert_id LIMIT ?1",
            )
            .map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map([limit], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, i64>(4)?,
                    row.get::<_, i64>(5)?,
                    row.get::<_, i64>(6)?,
                    row.get::<_, String>(7)?,
                    row.get::<_, Option<Vec<u8>>>(8)?,
                ))
            })
            .map_err(|e| self.error(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (alert_id, subscription, customer, rule, first, last, updates, text, packed) =
                row.map_err(|e| self.error(e))?;
            let payload = self.unpack(text, packed, &format!("payload of alert {alert_id:?}"))?;
            out.push(LedgerEntry {
                alert_id,
                subscription,
                customer,
                rule,
                first_seen: self.time(first)?,
                last_seen: self.time(last)?,
                updates: count(updates),
                payload,
            });
        }
        Ok(out)
    }

    fn status_of(&self, s: &str) -> Result<DeliveryStatus> {
        DeliveryStatus::parse(s)
            .ok_or_else(|| self.message(format!("unknown delivery status {s:?}")))
    }

    fn time(&self, ms: i64) -> Result<Timestamp> {
        Timestamp::from_millisecond(ms)
            .map_err(|e| self.message(format!("invalid time {ms} in the database: {e}")))
    }

    /// A JSON text as read back: `packed` decompressed when there is one, else `text`.
    fn unpack(&self, text: String, packed: Option<Vec<u8>>, what: &str) -> Result<String> {
        let Some(packed) = packed else {
            return Ok(text);
        };
        // LZ4 expands a block at most 255 times: a larger size prefix is damage, not data, and
        // must not be allocated.
        let size = packed
            .get(..4)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
        if size > packed.len().saturating_mul(255) {
            return Err(self.message(format!(
                "{what}: cannot decompress: damaged (size {size} from {} bytes)",
                packed.len()
            )));
        }
        lz4_flex::block::decompress_size_prepended(&packed)
            .map_err(|e| e.to_string())
            .and_then(|bytes| String::from_utf8(bytes).map_err(|e| e.to_string()))
            .map_err(|e| self.message(format!("{what}: cannot decompress: {e}")))
    }

    fn error(&self, e: rusqlite::Error) -> Error {
        state_error(&self.path, e)
    }

    fn message(&self, message: String) -> Error {
        state_error(&self.path, message)
    }
}

/// A JSON text as the store keeps it: compressed into a `packed` column, the text column left
/// empty. LZ4 rather than a stronger codec: alert JSON (Hebrew and English text, evidence,
/// repeated keys) still shrinks to about 60 %, at a fraction of the time, and recording a busy
/// page is bound by the time to compress and write it.
#[derive(Debug, Clone, PartialEq)]
struct Packed(Vec<u8>);

impl Packed {
    fn new(text: &str) -> Packed {
        Packed(lz4_flex::block::compress_prepend_size(text.as_bytes()))
    }
}

/// An alert with its payload serialised and compressed, ready for
/// [`Recording::sealed_alert_at`]. That is most of the cost of recording an alert; sealing lets
/// it happen before the transaction, on another thread.
#[derive(Debug, Clone)]
pub struct SealedAlert {
    alert: Alert,
    payload: Packed,
}

impl SealedAlert {
    /// Seals `alert`.
    ///
    /// # Errors
    ///
    /// [`Error::Usage`] for an alert without an id or idempotency key; [`Error::Json`] if it does
    /// not serialise.
    pub fn new(alert: Alert) -> Result<SealedAlert> {
        check_ids(&alert)?;
        let payload = Packed::new(&serde_json::to_string(&alert)?);
        Ok(SealedAlert { alert, payload })
    }

    /// The alert.
    pub fn alert(&self) -> &Alert {
        &self.alert
    }
}

/// A state value serialised and compressed, ready for [`Recording::state_json`].
#[derive(Debug, Clone, PartialEq)]
pub struct StateJson(Packed);

impl StateJson {
    /// Serialises `value`.
    ///
    /// # Errors
    ///
    /// [`Error::Json`] if it does not serialise.
    pub fn new<T: serde::Serialize + ?Sized>(value: &T) -> Result<StateJson> {
        Ok(StateJson(Packed::new(&serde_json::to_string(value)?)))
    }

    /// The state value of an active alert: its payload, as sealed.
    pub fn of_sealed(sealed: &SealedAlert) -> StateJson {
        StateJson(sealed.payload.clone())
    }
}

/// An alert needs an id and an idempotency key to be recorded.
fn check_ids(alert: &Alert) -> Result<()> {
    if alert.alert_id.trim().is_empty() {
        return Err(Error::Usage(format!(
            "alert of subscription {:?} has no alert_id",
            alert.subscription
        )));
    }
    if alert.idempotency_key.trim().is_empty() {
        return Err(Error::Usage(format!(
            "alert {:?} has no idempotency_key",
            alert.alert_id
        )));
    }
    Ok(())
}

/// An open recording transaction (see [`Store::begin`]): write alerts, state and checkpoints, then
/// [`commit`](Recording::commit). Dropping it without committing rolls everything back.
#[derive(Debug)]
pub struct Recording<'a> {
    tx: Transaction<'a>,
    path: &'a Path,
    now: i64,
    recorded: Recorded,
}

impl Recording<'_> {
    /// Writes an alert to the ledger (an update replaces the payload of an older state of the same
    /// alert, never of a newer one) and queues it for each destination, unless that alert state is
    /// already queued there.
    ///
    /// # Errors
    ///
    /// [`Error::Usage`] for an alert without an id or idempotency key; [`Error::State`] if the
    /// database cannot be written.
    pub fn alert(&mut self, alert: &Alert, destinations: &[Destination]) -> Result<()> {
        check_ids(alert)?;
        let payload = Packed::new(&serde_json::to_string(alert)?);
        self.queue_payload(alert, &payload, destinations, self.now)
    }

    /// Writes an alert sealed beforehand, as [`Recording::alert`] does, but the deliveries it
    /// queues are not due before `not_before` (the end of a digest interval); a time in the past
    /// means now.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the database cannot be written.
    pub fn sealed_alert_at(
        &mut self,
        sealed: &SealedAlert,
        destinations: &[Destination],
        not_before: Timestamp,
    ) -> Result<()> {
        let due = self.now.max(not_before.as_millisecond());
        self.queue_payload(&sealed.alert, &sealed.payload, destinations, due)
    }

    fn queue_payload(
        &mut self,
        alert: &Alert,
        payload: &Packed,
        destinations: &[Destination],
        due: i64,
    ) -> Result<()> {
        let before: Option<i64> = self
            .tx
            .prepare_cached("SELECT updates FROM ledger WHERE alert_id = ?1")
            .and_then(|mut stmt| {
                stmt.query_row([&alert.alert_id], |row| row.get(0))
                    .optional()
            })
            .map_err(|e| state_error(self.path, e))?;
        self.tx
            .prepare_cached(
                "INSERT INTO ledger (alert_id, subscription, customer, rule, first_seen, last_seen, \
                 updates, payload, packed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, '', ?8) \
                 ON CONFLICT (alert_id) DO UPDATE SET rule = excluded.rule, \
                 last_seen = excluded.last_seen, updates = excluded.updates, \
                 payload = excluded.payload, packed = excluded.packed \
                 WHERE excluded.updates >= ledger.updates",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    alert.alert_id,
                    alert.subscription,
                    alert.customer_id,
                    alert.rule,
                    alert.first_seen.as_millisecond(),
                    alert.last_seen.as_millisecond(),
                    alert.updates,
                    payload.0,
                ])
            })
            .map_err(|e| state_error(self.path, e))?;
        self.recorded.alerts += 1;
        if before.is_none() {
            self.recorded.new_alerts += 1;
        }
        // The ledger holds the payload once; an outbox row's empty payload stands for the ledger's.
        // That stays true because a newer state of an alert replaces the rows of older states not
        // delivered yet (pending or dead) for the same destination: the newer one carries them.
        // (A replay of an older state changes nothing: its key is already there, or it is older
        // than the ledger's.)
        if before.is_some_and(|b| b > i64::from(alert.updates)) {
            return Ok(());
        }
        for destination in destinations {
            let destination_json = serde_json::to_string(destination)?;
            // An alert new to the ledger has no deliveries to replace.
            if before.is_some() {
                self.tx
                    .prepare_cached(
                        "DELETE FROM outbox WHERE alert_id = ?1 AND destination = ?2 \
                         AND status IN ('pending', 'dead') AND idempotency_key <> ?3",
                    )
                    .and_then(|mut stmt| {
                        stmt.execute(params![
                            alert.alert_id,
                            destination_json,
                            alert.idempotency_key
                        ])
                    })
                    .map_err(|e| state_error(self.path, e))?;
            }
            let queued = self
                .tx
                .prepare_cached(
                    "INSERT INTO outbox (alert_id, idempotency_key, destination, payload, \
                     max_attempts, next_attempt_at, created) VALUES (?1, ?2, ?3, '', ?4, ?5, ?6) \
                     ON CONFLICT (idempotency_key, destination) DO NOTHING",
                )
                .and_then(|mut stmt| {
                    stmt.execute(params![
                        alert.alert_id,
                        alert.idempotency_key,
                        destination_json,
                        max_attempts(destination),
                        due,
                        self.now,
                    ])
                })
                .map_err(|e| state_error(self.path, e))?;
            self.recorded.queued += queued;
        }
        Ok(())
    }

    /// Sets a state blob (the evaluator's or throttle's exported state, or a part of it).
    ///
    /// # Errors
    ///
    /// [`Error::Json`] if the value does not serialise; [`Error::State`] if the database cannot
    /// be written.
    pub fn state<T: serde::Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<()> {
        self.state_json(key, &StateJson::new(value)?)
    }

    /// Sets a state blob serialised beforehand.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the database cannot be written.
    pub fn state_json(&mut self, key: &str, value: &StateJson) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO state (key, value, packed, updated_at) VALUES (?1, '', ?2, ?3) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, \
                 packed = excluded.packed, updated_at = excluded.updated_at",
            )
            .and_then(|mut stmt| stmt.execute(params![key, value.0.0, self.now]))
            .map_err(|e| state_error(self.path, e))?;
        Ok(())
    }

    /// Removes a state blob (nothing happens when there is none).
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the database cannot be written.
    pub fn remove_state(&mut self, key: &str) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM state WHERE key = ?1")
            .and_then(|mut stmt| stmt.execute([key]))
            .map_err(|e| state_error(self.path, e))?;
        Ok(())
    }

    /// Sets a subscription's checkpoint.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the database cannot be written.
    pub fn checkpoint(&mut self, checkpoint: &Checkpoint) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO checkpoints (subscription, position, updated_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (subscription) DO UPDATE SET position = excluded.position, \
                 updated_at = excluded.updated_at",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    checkpoint.subscription,
                    checkpoint.position,
                    self.now
                ])
            })
            .map_err(|e| state_error(self.path, e))?;
        Ok(())
    }

    /// Makes everything written through this recording durable, at once.
    ///
    /// # Errors
    ///
    /// [`Error::State`] if the commit fails; then nothing was written.
    pub fn commit(self) -> Result<Recorded> {
        let Recording {
            tx, path, recorded, ..
        } = self;
        tx.commit().map_err(|e| state_error(path, e))?;
        Ok(recorded)
    }
}

/// The attempts a destination allows (at least one).
fn max_attempts(destination: &Destination) -> u32 {
    match destination {
        Destination::Webhook { max_attempts, .. } | Destination::Email { max_attempts, .. } => {
            (*max_attempts).max(1)
        }
        Destination::File { .. } | Destination::Stdout => LOCAL_MAX_ATTEMPTS,
    }
}

/// A destination described for people: a webhook shows its scheme and host only, as the path of a
/// chat webhook is often its secret token.
pub(crate) fn describe(destination: &Destination) -> String {
    match destination {
        Destination::Webhook { url, slack, .. } => {
            let kind = if *slack { "slack webhook" } else { "webhook" };
            format!("{kind} {}", redact_url(url))
        }
        Destination::File { path } => format!("file {path}"),
        Destination::Stdout => "stdout".to_string(),
        Destination::Email { relay, to, .. } => {
            format!("email to {} via {relay}", to.join(", "))
        }
    }
}

fn describe_json(json: &str) -> String {
    match serde_json::from_str::<Destination>(json) {
        Ok(destination) => describe(&destination),
        Err(_) => format!("unreadable destination {json}"),
    }
}

/// `scheme://host[:port]/…`: a URL without its path, query or credentials.
pub(crate) fn redact_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // Drop `user:password@`.
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let elided = if authority.len() < rest.len() {
        "/…"
    } else {
        ""
    };
    if scheme.is_empty() {
        format!("{host}{elided}")
    } else {
        format!("{scheme}://{host}{elided}")
    }
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

fn state_error(path: &Path, message: impl std::fmt::Display) -> Error {
    Error::State {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::alerts::{Event, LabelHit, PAYLOAD_VERSION, Span, Window};
    use jiff::SignedDuration;

    /// An alert for customer `C-1` with one Hebrew billing complaint.
    pub(crate) fn alert(id: &str, key: &str, subscription: &str, updates: u32) -> Alert {
        let at: Timestamp = "2026-03-01T10:00:00Z".parse().unwrap();
        let event = Event {
            id: format!("{id}-r1"),
            customer_id: Some("C-1".into()),
            channel: Some("email".into()),
            lang: "he".into(),
            timestamp: at,
            sentiment: -0.6,
            sentiment_label: "negative".into(),
            labels: vec![LabelHit {
                label: "complaint.billing".into(),
                score: 0.9,
                evidence: vec![Span {
                    start: 0,
                    end: 15,
                    text: "חיוב כפול".into(),
                    entry: "lexicons/he/complaint.tsv:3".into(),
                }],
            }],
            churn_risk: 0.7,
            text: "חיוב כפול בחשבונית\nשוב".into(),
            meta: serde_json::Map::new(),
        };
        Alert {
            v: PAYLOAD_VERSION,
            alert_id: id.into(),
            idempotency_key: key.into(),
            subscription: subscription.into(),
            rule: "3 × complaint.billing in 14d".into(),
            customer_id: Some("C-1".into()),
            churn_risk: 0.7,
            records: vec![event.into()],
            window: Window { start: at, end: at },
            first_seen: at,
            last_seen: at + SignedDuration::from_secs(i64::from(updates)),
            updates,
        }
    }

    fn file(path: &str) -> Destination {
        Destination::File { path: path.into() }
    }

    fn temp_store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("state.sqlite")).unwrap();
        (dir, store)
    }

    #[test]
    fn default_path_is_next_to_the_index() {
        let cases = [
            ("data/index", "data/kashev-state.sqlite"),
            ("data/index/", "data/kashev-state.sqlite"),
            ("index", "kashev-state.sqlite"),
            ("/", "/kashev-state.sqlite"),
        ];
        for (index, expected) in cases {
            assert_eq!(
                default_path(Path::new(index)),
                PathBuf::from(expected),
                "{index}"
            );
        }
    }

    #[test]
    fn open_sets_the_schema_version_and_pragmas() {
        let (_dir, store) = temp_store();
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = store
            .conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
    }

    #[test]
    fn reopening_keeps_the_schema_and_rejects_a_newer_one() {
        let (dir, store) = temp_store();
        drop(store);
        let store = Store::open(dir.path().join("state.sqlite")).unwrap();
        store.conn.pragma_update(None, "user_version", 99).unwrap();
        drop(store);
        let err = Store::open(dir.path().join("state.sqlite")).unwrap_err();
        assert!(err.to_string().contains("schema version 99"), "{err}");
    }

    #[test]
    fn a_version_1_state_file_is_migrated_and_its_text_rows_still_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite");
        let old = alert("a-old", "k-old", "billing", 0);
        let old_json = serde_json::to_string(&old).unwrap();
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            conn.execute(
                "INSERT INTO ledger VALUES ('a-old', 'billing', 'C-1', 'r', 0, 0, 0, ?1)",
                [&old_json],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO outbox (alert_id, idempotency_key, destination, payload, \
                 max_attempts, next_attempt_at, created) VALUES ('a-old', 'k-old', ?1, '', 3, 0, 0)",
                [serde_json::to_string(&Destination::Stdout).unwrap()],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO state VALUES ('evaluator', '{\"watermark\":null}', 0)",
                [],
            )
            .unwrap();
        }
        let mut store = Store::open(&path).unwrap();
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        assert_eq!(
            store.state("evaluator").unwrap(),
            Some(serde_json::json!({"watermark": null}))
        );
        assert_eq!(store.ledger(10).unwrap()[0].payload, old_json);
        let due = store.due(Timestamp::now(), 10).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].alert().unwrap(), old);

        // New rows go in packed, beside the old text rows, and read back the same.
        let new = alert("a-new", "k-new", "billing", 0);
        store
            .record(
                std::slice::from_ref(&new),
                |_| vec![Destination::Stdout],
                &[("evaluator".into(), serde_json::json!({"watermark": 1}))],
                &[],
            )
            .unwrap();
        let (text, packed): (String, Option<Vec<u8>>) = store
            .conn
            .query_row(
                "SELECT payload, packed FROM ledger WHERE alert_id = 'a-new'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(text, "");
        let packed = packed.expect("a new payload is packed");
        assert!(packed.len() < serde_json::to_string(&new).unwrap().len());
        let alerts: Vec<Alert> = store
            .due(Timestamp::now(), 10)
            .unwrap()
            .iter()
            .map(|d| d.alert().unwrap())
            .collect();
        assert_eq!(alerts, [old, new]);
        assert_eq!(
            store.state("evaluator").unwrap(),
            Some(serde_json::json!({"watermark": 1}))
        );
    }

    #[test]
    fn a_damaged_packed_value_is_an_error_not_a_panic() {
        let (_dir, mut store) = temp_store();
        store
            .record(
                &[alert("a", "k", "billing", 0)],
                |_| vec![Destination::Stdout],
                &[("evaluator".into(), serde_json::json!({"watermark": 1}))],
                &[],
            )
            .unwrap();
        // A size prefix far beyond what the bytes can expand to, then bytes that are not LZ4.
        for damage in [
            &b"\xff\xff\xff\x7fjunk"[..],
            &b"\x10\x00\x00\x00\xff\xff\xff"[..],
        ] {
            store
                .conn
                .execute("UPDATE state SET packed = ?1", [damage])
                .unwrap();
            store
                .conn
                .execute("UPDATE ledger SET packed = ?1", [damage])
                .unwrap();
            let err = store.state("evaluator").unwrap_err();
            assert!(err.to_string().contains("cannot decompress"), "{err}");
            let err = store.due(Timestamp::now(), 10).unwrap_err();
            assert!(err.to_string().contains("payload of alert \"a\""), "{err}");
            assert!(store.ledger(10).is_err());
        }
    }

    #[test]
    fn a_file_that_is_not_a_database_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("junk.sqlite");
        std::fs::write(
            &path,
            b"\x00\x01 this is not sqlite at all, just junk bytes...",
        )
        .unwrap();
        let err = Store::open(&path).unwrap_err();
        assert!(err.to_string().contains("junk.sqlite"), "{err}");
        let err = Store::open(dir.path().join("missing-dir/state.sqlite")).unwrap_err();
        assert!(matches!(err, Error::State { .. }), "{err}");
    }

    #[test]
    fn record_writes_ledger_outbox_state_and_checkpoint_together() {
        let (dir, mut store) = temp_store();
        let alerts = [
            alert("a1", "k1", "billing", 0),
            alert("a2", "k2", "billing", 0),
        ];
        let recorded = store
            .record(
                &alerts,
                |_| vec![file("/tmp/x.jsonl"), Destination::Stdout],
                &[("window:billing".into(), serde_json::json!({"C-1": [1, 2]}))],
                &[Checkpoint {
                    subscription: "billing".into(),
                    position: Position::Offset(42),
                }],
            )
            .unwrap();
        assert_eq!(
            recorded,
            Recorded {
                alerts: 2,
                new_alerts: 2,
                queued: 4
            }
        );
        drop(store);

        let store = Store::open(dir.path().join("state.sqlite")).unwrap();
        assert_eq!(store.ledger(10).unwrap().len(), 2);
        assert_eq!(store.due(Timestamp::now(), 100).unwrap().len(), 4);
        assert_eq!(
            store.checkpoint("billing").unwrap(),
            Some(Position::Offset(42))
        );
        assert_eq!(store.checkpoint("other").unwrap(), None);
        assert_eq!(
            store.state("window:billing").unwrap(),
            Some(serde_json::json!({"C-1": [1, 2]}))
        );
        let delivery = &store.deliveries_of("a1").unwrap()[0];
        assert_eq!(delivery.alert().unwrap(), alerts[0]);
        assert_eq!(delivery.destination().unwrap(), file("/tmp/x.jsonl"));
        assert_eq!(delivery.max_attempts, LOCAL_MAX_ATTEMPTS);
    }

    #[test]
    fn the_same_alert_state_is_never_queued_twice() {
        let (_dir, mut store) = temp_store();
        let first = alert("a1", "k1", "billing", 0);
        let dest = |_: &Alert| vec![file("/tmp/x.jsonl")];
        store
            .record(std::slice::from_ref(&first), dest, &[], &[])
            .unwrap();
        let again = store.record(&[first], dest, &[], &[]).unwrap();
        assert_eq!(again.queued, 0);
        assert_eq!(again.new_alerts, 0);

        // An update is a new alert state: a new key, queued again, the ledger row updated.
        let updated = alert("a1", "k1-u1", "billing", 1);
        let recorded = store
            .record(std::slice::from_ref(&updated), dest, &[], &[])
            .unwrap();
        assert_eq!(recorded.queued, 1);
        let ledger = store.ledger(10).unwrap();
        assert_eq!(ledger.len(), 1);
        assert_eq!(ledger[0].updates, 1);
        assert_eq!(ledger[0].payload, serde_json::to_string(&updated).unwrap());

        // A replay of an older state does not overwrite the newer payload.
        store
            .record(&[alert("a1", "k1", "billing", 0)], dest, &[], &[])
            .unwrap();
        assert_eq!(store.ledger(10).unwrap()[0].updates, 1);
        // The newer state replaced the older one's pending delivery, and neither the replay nor
        // anything else brought it back: one delivery, of the latest state.
        let deliveries = store.deliveries_of("a1").unwrap();
        assert_eq!(deliveries.len(), 1);
        assert_eq!(deliveries[0].idempotency_key, "k1-u1");
        assert_eq!(
            deliveries[0].payload,
            serde_json::to_string(&updated).unwrap()
        );
    }

    #[test]
    fn a_delivered_state_stays_and_the_update_is_queued_beside_it() {
        let (_dir, mut store) = temp_store();
        let dest = |_: &Alert| vec![file("/tmp/x.jsonl")];
        store
            .record(&[alert("a1", "k1", "billing", 0)], dest, &[], &[])
            .unwrap();
        let first = store.deliveries_of("a1").unwrap()[0].id;
        assert!(store.mark_delivered(first).unwrap());
        let updated = alert("a1", "k1-u1", "billing", 1);
        store
            .record(std::slice::from_ref(&updated), dest, &[], &[])
            .unwrap();
        let deliveries = store.deliveries_of("a1").unwrap();
        let keys: Vec<&str> = deliveries
            .iter()
            .map(|d| d.idempotency_key.as_str())
            .collect();
        assert_eq!(keys, ["k1", "k1-u1"]);
        assert_eq!(deliveries[0].status, DeliveryStatus::Delivered);
        assert_eq!(deliveries[1].status, DeliveryStatus::Pending);
        assert_eq!(
            deliveries[1].payload,
            serde_json::to_string(&updated).unwrap()
        );
    }

    #[test]
    fn positions_keep_their_type() {
        let (_dir, mut store) = temp_store();
        for position in [
            Position::Offset(-5),
            Position::Offset(i64::MAX),
            Position::Token("opstamp:17/seg-3".into()),
            Position::Token(String::new()),
        ] {
            let checkpoint = Checkpoint {
                subscription: "s".into(),
                position: position.clone(),
            };
            store
                .record(&[], |_| Vec::new(), &[], &[checkpoint])
                .unwrap();
            assert_eq!(store.checkpoint("s").unwrap(), Some(position));
        }
    }

    #[test]
    fn a_failure_midway_writes_nothing() {
        let (dir, mut store) = temp_store();
        let alerts = [
            alert("a1", "k1", "billing", 0),
            alert("", "k2", "billing", 0),
        ];
        let checkpoint = Checkpoint {
            subscription: "billing".into(),
            position: Position::Offset(9),
        };
        // The second alert is invalid: the first one's ledger and outbox rows, already written in
        // the transaction, must go too, and so must the state and checkpoint.
        let err = store
            .record(
                &alerts,
                |_| vec![Destination::Stdout],
                &[("k".into(), serde_json::json!(1))],
                std::slice::from_ref(&checkpoint),
            )
            .unwrap_err();
        assert!(err.to_string().contains("no alert_id"), "{err}");
        assert_empty(&store);

        // A panic in the destination lookup after the first alert was written.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut calls = 0;
            store.record(
                &[
                    alert("a1", "k1", "billing", 0),
                    alert("a2", "k2", "billing", 0),
                ],
                |_| {
                    calls += 1;
                    assert!(calls < 2, "lookup failed");
                    vec![Destination::Stdout]
                },
                &[],
                &[],
            )
        }));
        assert!(result.is_err());
        assert_empty(&store);

        // Dropped before commit.
        let mut recording = store.begin().unwrap();
        recording
            .alert(&alert("a1", "k1", "billing", 0), &[Destination::Stdout])
            .unwrap();
        recording.checkpoint(&checkpoint).unwrap();
        drop(recording);
        assert_empty(&store);
        drop(store);
        let store = Store::open(dir.path().join("state.sqlite")).unwrap();
        assert_empty(&store);
    }

    fn assert_empty(store: &Store) {
        assert!(store.ledger(10).unwrap().is_empty());
        assert!(store.due(Timestamp::MAX, 10).unwrap().is_empty());
        assert_eq!(store.checkpoint("billing").unwrap(), None);
        assert_eq!(store.state("k").unwrap(), None);
    }

    #[test]
    fn delivered_is_final_and_idempotent() {
        let (_dir, mut store) = temp_store();
        store
            .record(
                &[alert("a1", "k1", "s", 0)],
                |_| vec![Destination::Stdout],
                &[],
                &[],
            )
            .unwrap();
        let id = store.due(Timestamp::now(), 1).unwrap()[0].id;
        assert!(store.mark_delivered(id).unwrap());
        assert!(!store.mark_delivered(id).unwrap());
        let delivery = store.delivery(id).unwrap().unwrap();
        assert_eq!(delivery.status, DeliveryStatus::Delivered);
        assert_eq!(delivery.attempts, 1);
        assert!(delivery.delivered_at.is_some());
        // A late failure report does not undo it.
        let status = store.mark_failed(id, "late", Timestamp::now()).unwrap();
        assert_eq!(status, DeliveryStatus::Delivered);
        assert!(store.due(Timestamp::MAX, 10).unwrap().is_empty());
        assert!(store.mark_delivered(12345).is_err());
        assert!(store.mark_failed(12345, "x", Timestamp::now()).is_err());
    }

    #[test]
    fn many_are_confirmed_at_once_as_each_would_be() {
        let (_dir, mut store) = temp_store();
        let alerts: Vec<Alert> = (0..600)
            .map(|i| alert(&format!("a{i}"), &format!("k{i}"), "s", 0))
            .collect();
        store
            .record(&alerts, |_| vec![Destination::Stdout], &[], &[])
            .unwrap();
        let ids: Vec<i64> = store
            .due(Timestamp::now(), 1000)
            .unwrap()
            .iter()
            .map(|d| d.id)
            .collect();
        assert_eq!(ids.len(), 600);
        // Three statements' worth, one of them already confirmed on its own.
        assert!(store.mark_delivered(ids[300]).unwrap());
        assert_eq!(store.mark_all_delivered(&ids).unwrap(), 599);
        assert_eq!(store.mark_all_delivered(&ids).unwrap(), 0);
        for &id in &ids {
            let delivery = store.delivery(id).unwrap().unwrap();
            assert_eq!(delivery.status, DeliveryStatus::Delivered);
            assert_eq!(delivery.attempts, 1);
            assert!(delivery.delivered_at.is_some());
        }
        assert!(store.due(Timestamp::MAX, 10).unwrap().is_empty());
        let err = store.mark_all_delivered(&[ids[0], 12345]).unwrap_err();
        assert!(err.to_string().contains("no delivery 12345"), "{err}");
        assert_eq!(store.mark_all_delivered(&[]).unwrap(), 0);
    }

    #[test]
    fn failures_reschedule_then_dead_letter_then_retry() {
        let (_dir, mut store) = temp_store();
        let webhook = Destination::Webhook {
            url: "https://hooks.example/services/SECRET".into(),
            secret_env: None,
            slack: false,
            timeout_ms: 100,
            max_attempts: 3,
        };
        store
            .record(
                &[
                    alert("a1", "k1", "billing", 0),
                    alert("a2", "k2", "churn", 0),
                ],
                |_| vec![webhook.clone()],
                &[],
                &[],
            )
            .unwrap();
        let now = Timestamp::now();
        let later = now + SignedDuration::from_secs(60);
        let ids: Vec<i64> = store.due(now, 10).unwrap().iter().map(|d| d.id).collect();
        assert_eq!(ids.len(), 2);
        for id in &ids {
            assert_eq!(
                store.mark_failed(*id, "HTTP 500", later).unwrap(),
                DeliveryStatus::Pending
            );
        }
        assert!(
            store.due(now, 10).unwrap().is_empty(),
            "not due before its time"
        );
        assert_eq!(store.due(later, 10).unwrap().len(), 2);
        for id in &ids {
            store.mark_failed(*id, "HTTP 502", later).unwrap();
            assert_eq!(
                store.mark_failed(*id, "HTTP 503: down", later).unwrap(),
                DeliveryStatus::Dead
            );
        }
        assert!(store.due(Timestamp::MAX, 10).unwrap().is_empty());

        let dead = store.dead_letters().unwrap();
        assert_eq!(dead.len(), 2);
        assert_eq!(dead[0].attempts, 3);
        assert_eq!(dead[0].last_error.as_deref(), Some("HTTP 503: down"));
        assert_eq!(dead[0].subscription, "billing");
        assert_eq!(dead[0].destination, "webhook https://hooks.example/…");

        let status = store.status().unwrap();
        assert_eq!(status.deliveries.dead, 2);
        assert_eq!(status.subscriptions["billing"].deliveries.dead, 1);
        assert_eq!(status.subscriptions["billing"].alerts, 1);
        assert_eq!(status.next_attempt_at, None);

        let filter = RetryFilter {
            subscription: Some("billing".into()),
            ..RetryFilter::default()
        };
        assert_eq!(store.retry_dead(&filter).unwrap(), 1);
        assert_eq!(store.retry_dead(&filter).unwrap(), 0);
        let due = store.due(Timestamp::now(), 10).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].attempts, 0);
        assert_eq!(due[0].status, DeliveryStatus::Pending);
        assert_eq!(store.dead_letters().unwrap().len(), 1);
        assert_eq!(store.retry_dead(&RetryFilter::default()).unwrap(), 1);
        assert!(store.dead_letters().unwrap().is_empty());
    }

    #[test]
    fn status_counts_per_subscription() {
        let (_dir, mut store) = temp_store();
        store
            .record(
                &[
                    alert("a1", "k1", "billing", 0),
                    alert("a2", "k2", "billing", 0),
                    alert("a3", "k3", "churn", 0),
                ],
                |_| vec![Destination::Stdout],
                &[],
                &[Checkpoint {
                    subscription: "quiet".into(),
                    position: Position::Token("t".into()),
                }],
            )
            .unwrap();
        let first = store.deliveries_of("a1").unwrap()[0].id;
        store.mark_delivered(first).unwrap();
        let status = store.status().unwrap();
        assert_eq!(status.alerts, 3);
        assert_eq!(
            status.deliveries,
            StatusCounts {
                pending: 2,
                delivered: 1,
                dead: 0
            }
        );
        let billing = &status.subscriptions["billing"];
        assert_eq!(billing.alerts, 2);
        assert_eq!(billing.deliveries.pending, 1);
        assert_eq!(billing.deliveries.delivered, 1);
        assert_eq!(status.subscriptions["churn"].alerts, 1);
        let quiet = &status.subscriptions["quiet"];
        assert_eq!(quiet.alerts, 0);
        assert_eq!(quiet.checkpoint, Some(Position::Token("t".into())));
        assert!(status.next_attempt_at.is_some());
    }

    #[test]
    fn a_second_connection_sees_committed_rows_only() {
        let (dir, mut store) = temp_store();
        let other = Store::open(dir.path().join("state.sqlite")).unwrap();
        let mut recording = store.begin().unwrap();
        recording
            .alert(&alert("a1", "k1", "s", 0), &[Destination::Stdout])
            .unwrap();
        assert!(other.ledger(10).unwrap().is_empty());
        recording.commit().unwrap();
        assert_eq!(other.ledger(10).unwrap().len(), 1);
        assert_eq!(other.due(Timestamp::now(), 10).unwrap().len(), 1);
    }
}
