//! Following a file as it grows, like `tail -F`, for `kashev watch`.
//!
//! A [`Follower`] takes an [`Input`] and hands on its complete lines as they are written, waiting
//! (polling every [`FollowerBuilder::poll_interval`]) when there is nothing new. It never hands on
//! a line before its `\n` arrives, unless the file is rotated away or standard input ends. It
//! survives rotation (the path names another file: the old one is read to its end, then the new
//! one from its start), truncation (the file shrinks below what was read: reading restarts from
//! its start) and a file that does not exist yet (it waits for it). Standard input is read to its
//! end, gzip-compressed or not, as by the batch reader.
//!
//! [`Follower::position`] says where it stands (path, device and inode, byte offset and line
//! number after the last line handed on), so a caller can persist it and, after a restart, resume
//! exactly there with [`FollowerBuilder::resume`].
//!
//! [`SourceSettings::follow`] turns the lines into the same [`Entry`] stream as the batch sources
//! (JSON Lines and plain text), parsing each line with the function the batch reader uses, so a
//! line means the same thing to both and a bad one becomes a [`Reject`](super::Reject) at
//! `file:line`.

use std::collections::VecDeque;
use std::fmt;
use std::fs::{self, File, Metadata};
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{
    DEFAULT_MAX_RECORD_BYTES, Entry, Format, Input, LineParser, SourceSettings, Tally, entry_of,
    reader,
};
use crate::error::{Error, Result};

/// The default for [`FollowerBuilder::poll_interval`]: 50 ms.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_millis(50);

/// Read buffer size.
const BUFFER_BYTES: usize = 64 * 1024;
const UTF8_BOM: [u8; 3] = [0xef, 0xbb, 0xbf];

/// Which file a position is in: its device and inode numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileId {
    /// The device number.
    pub dev: u64,
    /// The inode number.
    pub inode: u64,
}

impl FileId {
    fn of(meta: &Metadata) -> FileId {
        FileId {
            dev: meta.dev(),
            inode: meta.ino(),
        }
    }
}

/// Where a follower stands: just after the last line it handed on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Position {
    /// The path followed (`-` for standard input).
    pub path: PathBuf,
    /// The file being read, `None` before one was opened (and for standard input).
    pub file: Option<FileId>,
    /// Bytes of that file up to the end of the last line handed on.
    pub offset: u64,
    /// The number of that line in the file (0 before the first).
    pub line: u64,
}

/// Something that happened to the followed file, worth telling the user about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The path names another file now: the old one was read to its end and the new one is read
    /// from its start.
    Rotated {
        /// The path followed.
        path: PathBuf,
    },
    /// The file shrank below what had been read (it was truncated in place): reading restarts from
    /// its start.
    Truncated {
        /// The path followed.
        path: PathBuf,
        /// The bytes that had been read.
        offset: u64,
        /// The file's size when the truncation was noticed.
        size: u64,
    },
    /// A saved position does not fit the file now at the path (another file, or a shorter one):
    /// reading starts from the file's start.
    PositionLost {
        /// The path followed.
        path: PathBuf,
        /// The position that could not be resumed.
        saved: Position,
    },
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Notice::Rotated { path } => write!(
                f,
                "{}: file replaced (rotated); reading the new one from its start",
                path.display()
            ),
            Notice::Truncated { path, offset, size } => write!(
                f,
                "{}: file truncated ({size} bytes, {offset} had been read); reading from its start",
                path.display()
            ),
            Notice::PositionLost { path, saved } => write!(
                f,
                "{}: the saved position (line {}, byte {}) is not in the file now at this path; \
                 reading from its start",
                path.display(),
                saved.line,
                saved.offset
            ),
        }
    }
}

/// One complete line of the followed input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowedLine {
    /// Its first bytes (at most [`FollowerBuilder::max_line_bytes`]), without the `\n`; a `\r`
    /// before it is kept, and a UTF-8 byte-order mark starting the file is dropped.
    pub bytes: Vec<u8>,
    /// Its full length in bytes, without the `\n` (and the byte-order mark).
    pub len: u64,
    /// Its 1-based number in the file being read.
    pub number: u64,
}

/// What a [`Follower`] yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Followed {
    /// A complete line.
    Line(FollowedLine),
    /// Something that happened to the file.
    Notice(Notice),
}

/// Where the first file opened is read from.
#[derive(Debug, Clone)]
enum Start {
    Beginning,
    End,
    Resume(Position),
}

/// Builds [`Follower`]s: how to follow, then [`FollowerBuilder::build`] for an input.
#[derive(Debug, Clone)]
pub struct FollowerBuilder {
    from_end: bool,
    poll_interval: Duration,
    idle_timeout: Option<Duration>,
    stop: Option<Arc<AtomicBool>>,
    resume: Option<Position>,
    max_line_bytes: usize,
}

impl Default for FollowerBuilder {
    fn default() -> FollowerBuilder {
        FollowerBuilder::new()
    }
}

impl FollowerBuilder {
    /// The defaults: from the start of the file, polling every 50 ms, no idle timeout, no stop
    /// flag, lines kept up to 1 MiB plus one byte.
    pub fn new() -> FollowerBuilder {
        FollowerBuilder {
            from_end: false,
            poll_interval: DEFAULT_POLL_INTERVAL,
            idle_timeout: None,
            stop: None,
            resume: None,
            max_line_bytes: DEFAULT_MAX_RECORD_BYTES + 1,
        }
    }

    /// Starts at the end of the file as it is when the follower is built (after its last complete
    /// line), rather than at its start. Line numbers still count the lines skipped. A file that
    /// does not exist yet when the follower is built, or that replaces this one, is read from its
    /// start.
    pub fn from_end(&mut self, yes: bool) -> &mut FollowerBuilder {
        self.from_end = yes;
        self
    }

    /// How long to wait before looking again when there is nothing new.
    pub fn poll_interval(&mut self, interval: Duration) -> &mut FollowerBuilder {
        self.poll_interval = interval;
        self
    }

    /// Ends the iteration once nothing new has arrived for this long (`None`: never).
    pub fn idle_timeout(&mut self, timeout: Option<Duration>) -> &mut FollowerBuilder {
        self.idle_timeout = timeout;
        self
    }

    /// Ends the iteration soon (within one poll interval while waiting) after `flag` is set.
    pub fn stop(&mut self, flag: Arc<AtomicBool>) -> &mut FollowerBuilder {
        self.stop = Some(flag);
        self
    }

    /// Resumes from a saved [`Position`]: if the file at the path is the one it names (same
    /// device and inode) and is at least as long, reading continues at its offset and line;
    /// otherwise from the file's start, with a [`Notice::PositionLost`]. Takes precedence over
    /// [`FollowerBuilder::from_end`]; ignored for standard input.
    pub fn resume(&mut self, position: Option<Position>) -> &mut FollowerBuilder {
        self.resume = position;
        self
    }

    /// At most this many bytes of a line are kept; the rest is skipped, only counted in
    /// [`FollowedLine::len`]. At least 1.
    pub fn max_line_bytes(&mut self, bytes: usize) -> &mut FollowerBuilder {
        self.max_line_bytes = bytes.max(1);
        self
    }

    /// A follower of `input`. A file that exists is opened (and its start decided) here; one that
    /// does not is waited for.
    ///
    /// # Errors
    /// [`Error::Io`] when the file exists but cannot be opened or read (a directory, no
    /// permission), or standard input cannot be read.
    pub fn build(&self, input: &Input) -> Result<Follower> {
        let start = match (&self.resume, self.from_end) {
            (Some(position), _) => Start::Resume(position.clone()),
            (None, true) => Start::End,
            (None, false) => Start::Beginning,
        };
        let (path, origin) = match input {
            Input::Stdin => (
                PathBuf::from("-"),
                Origin::Stream(reader::open(input)?.reader),
            ),
            Input::Path(path) => (path.clone(), Origin::File(None)),
        };
        let mut follower = Follower {
            path,
            origin,
            id: None,
            start,
            splitter: Splitter::new(self.max_line_bytes),
            queue: VecDeque::new(),
            poll_interval: self.poll_interval,
            idle_timeout: self.idle_timeout,
            stop: self.stop.clone(),
            last_progress: Instant::now(),
            done: false,
        };
        if matches!(follower.origin, Origin::File(_)) && !follower.try_open()? {
            // No file yet: the one that appears is new, read from its start.
            if let Start::Resume(saved) = std::mem::replace(&mut follower.start, Start::Beginning)
                && saved.file.is_some()
            {
                follower
                    .queue
                    .push_back(Followed::Notice(Notice::PositionLost {
                        path: follower.path.clone(),
                        saved,
                    }));
            }
        }
        Ok(follower)
    }
}

enum Origin {
    /// Standard input: read to its end.
    Stream(Box<dyn io::BufRead + Send>),
    /// A file, once it exists.
    File(Option<OpenFile>),
}

struct OpenFile {
    file: File,
    /// Bytes read from it so far.
    read: u64,
}

/// Follows a file (or reads standard input), yielding its complete lines as they arrive; an
/// iterator of [`Followed`] items that ends when the stop flag is set, the idle timeout passes or
/// standard input ends. After an error it yields nothing more.
pub struct Follower {
    path: PathBuf,
    origin: Origin,
    /// The file whose lines are being handed on (kept after it is closed, until another is open).
    id: Option<FileId>,
    start: Start,
    splitter: Splitter,
    /// Items found but not yet handed on; they are handed on before anything more is read.
    queue: VecDeque<Followed>,
    poll_interval: Duration,
    idle_timeout: Option<Duration>,
    stop: Option<Arc<AtomicBool>>,
    last_progress: Instant,
    done: bool,
}

impl fmt::Debug for Follower {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Follower")
            .field("position", &self.position())
            .finish_non_exhaustive()
    }
}

impl Follower {
    /// The path followed (`-` for standard input).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where it stands: just after the last line handed on. Saved and passed to
    /// [`FollowerBuilder::resume`], it makes a new follower start with the next line.
    pub fn position(&self) -> Position {
        Position {
            path: self.path.clone(),
            file: self.id,
            offset: self.splitter.offset,
            line: self.splitter.number,
        }
    }

    fn stopped(&self) -> bool {
        self.stop
            .as_ref()
            .is_some_and(|s| s.load(Ordering::Relaxed))
    }

    fn io_error(&self, e: io::Error) -> Error {
        Error::io(&self.path, e)
    }

    fn next_item(&mut self) -> Result<Option<Followed>> {
        loop {
            if self.stopped() {
                return Ok(None);
            }
            if let Some(item) = self.queue.pop_front() {
                return Ok(Some(item));
            }
            if let Some(line) = self.splitter.take_line() {
                self.last_progress = Instant::now();
                return Ok(Some(Followed::Line(line)));
            }
            let progress = match &mut self.origin {
                Origin::Stream(stream) => {
                    let n = self.splitter.fill(stream).map_err(|e| Error::io("-", e))?;
                    if n == 0 {
                        return Ok(self.splitter.take_partial().map(Followed::Line));
                    }
                    true
                }
                Origin::File(_) => self.poll_file()?,
            };
            if progress {
                self.last_progress = Instant::now();
                continue;
            }
            let mut wait = self.poll_interval;
            if let Some(timeout) = self.idle_timeout {
                let left = timeout.saturating_sub(self.last_progress.elapsed());
                if left.is_zero() {
                    return Ok(None);
                }
                wait = wait.min(left);
            }
            thread::sleep(wait);
        }
    }

    /// Reads more of the file, or opens it, or notices its rotation or truncation. Whether
    /// anything happened (if not, the caller waits).
    fn poll_file(&mut self) -> Result<bool> {
        let Origin::File(Some(open)) = &mut self.origin else {
            return self.try_open();
        };
        let n = self
            .splitter
            .fill(&mut open.file)
            .map_err(|e| Error::io(&self.path, e))?;
        if n > 0 {
            open.read += n as u64;
            return Ok(true);
        }
        let meta = match fs::metadata(&self.path) {
            Ok(meta) => meta,
            // Removed and not replaced yet: keep reading the old file until a new one appears.
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(self.io_error(e)),
        };
        if Some(FileId::of(&meta)) != self.id {
            // Rotated. Whatever was written to the old file before the new one appeared may have
            // come after the read above: read it to its end first.
            let n = self
                .splitter
                .fill(&mut open.file)
                .map_err(|e| Error::io(&self.path, e))?;
            if n > 0 {
                open.read += n as u64;
                return Ok(true);
            }
            // The old file has been read to its end; a line it ends without a `\n`
            // will get no more, so it is handed on as it is. The new file is opened only once
            // everything queued has been handed on, so that the position stays in the old file
            // until then.
            if let Some(line) = self.splitter.take_partial() {
                self.queue.push_back(Followed::Line(line));
            }
            self.queue.push_back(Followed::Notice(Notice::Rotated {
                path: self.path.clone(),
            }));
            self.origin = Origin::File(None);
            return Ok(true);
        }
        if meta.len() < open.read {
            let notice = Notice::Truncated {
                path: self.path.clone(),
                offset: open.read,
                size: meta.len(),
            };
            open.file
                .seek(SeekFrom::Start(0))
                .map_err(|e| Error::io(&self.path, e))?;
            open.read = 0;
            self.splitter.restart(0, 0);
            self.queue.push_back(Followed::Notice(notice));
            return Ok(true);
        }
        // Bytes written between the read and the look at the path are read on the next round.
        Ok(meta.len() > open.read)
    }

    /// Opens the file at the path if there is one, reading it from where [`Start`] says.
    fn try_open(&mut self) -> Result<bool> {
        let mut file = match File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(self.io_error(e)),
        };
        let meta = file.metadata().map_err(|e| self.io_error(e))?;
        if meta.is_dir() {
            return Err(self.io_error(io::Error::new(
                io::ErrorKind::IsADirectory,
                "is a directory, not a file to follow",
            )));
        }
        let id = FileId::of(&meta);
        let (offset, number) = match std::mem::replace(&mut self.start, Start::Beginning) {
            Start::Beginning => (0, 0),
            Start::End => last_line_end(&mut file).map_err(|e| self.io_error(e))?,
            Start::Resume(saved) => {
                if saved.path == self.path && saved.file == Some(id) && saved.offset <= meta.len() {
                    (saved.offset, saved.line)
                } else {
                    if saved.file.is_some() {
                        self.queue.push_back(Followed::Notice(Notice::PositionLost {
                            path: self.path.clone(),
                            saved,
                        }));
                    }
                    (0, 0)
                }
            }
        };
        file.seek(SeekFrom::Start(offset))
            .map_err(|e| self.io_error(e))?;
        self.splitter.restart(offset, number);
        self.id = Some(id);
        self.origin = Origin::File(Some(OpenFile { file, read: offset }));
        Ok(true)
    }
}

impl Iterator for Follower {
    type Item = Result<Followed>;

    fn next(&mut self) -> Option<Result<Followed>> {
        if self.done {
            return None;
        }
        // The first error, or the end, is the last item.
        let item = self.next_item().transpose();
        self.done = !matches!(item, Some(Ok(_)));
        item
    }
}

/// The offset just after the last `\n` of `file`, and the number of lines before it.
fn last_line_end(file: &mut File) -> io::Result<(u64, u64)> {
    let mut buf = vec![0; BUFFER_BYTES];
    let (mut read, mut end, mut lines) = (0u64, 0u64, 0u64);
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => return Ok((end, lines)),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        for (i, _) in buf[..n].iter().enumerate().filter(|(_, b)| **b == b'\n') {
            lines += 1;
            end = read + i as u64 + 1;
        }
        read += n as u64;
    }
}

/// Cuts bytes into lines as they arrive, keeping a line's start until its `\n` comes.
struct Splitter {
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    /// The kept bytes of the line being read.
    line: Vec<u8>,
    /// Its length so far.
    line_len: u64,
    keep: usize,
    /// Offset in the file of the end of the last line taken.
    offset: u64,
    /// Number of the last line taken.
    number: u64,
}

impl Splitter {
    fn new(keep: usize) -> Splitter {
        Splitter {
            buf: vec![0; BUFFER_BYTES].into_boxed_slice(),
            start: 0,
            end: 0,
            line: Vec::new(),
            line_len: 0,
            keep,
            offset: 0,
            number: 0,
        }
    }

    /// Forgets everything buffered: reading goes on at `offset`, after line `number`.
    fn restart(&mut self, offset: u64, number: u64) {
        self.start = 0;
        self.end = 0;
        self.line.clear();
        self.line_len = 0;
        self.offset = offset;
        self.number = number;
    }

    /// Reads more bytes once the buffered ones are used up; 0 at the end of the input.
    fn fill(&mut self, source: &mut impl Read) -> io::Result<usize> {
        debug_assert_eq!(self.start, self.end, "buffered bytes are taken first");
        loop {
            match source.read(&mut self.buf) {
                Ok(n) => {
                    self.start = 0;
                    self.end = n;
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// The next complete line among the bytes read, if there is one; the buffer is used up
    /// otherwise.
    fn take_line(&mut self) -> Option<FollowedLine> {
        let data = &self.buf[self.start..self.end];
        let newline = data.iter().position(|&b| b == b'\n');
        let chunk = &data[..newline.unwrap_or(data.len())];
        let take = chunk.len().min(self.keep.saturating_sub(self.line.len()));
        self.line.extend_from_slice(&chunk[..take]);
        self.line_len += chunk.len() as u64;
        self.start += chunk.len();
        newline.map(|_| {
            self.start += 1;
            self.finish(1)
        })
    }

    /// The line begun but not ended, when no more of it will come.
    fn take_partial(&mut self) -> Option<FollowedLine> {
        (self.line_len > 0).then(|| self.finish(0))
    }

    fn finish(&mut self, terminator: u64) -> FollowedLine {
        let mut bytes = std::mem::take(&mut self.line);
        let mut len = self.line_len;
        if self.offset == 0 && bytes.starts_with(&UTF8_BOM) {
            bytes.drain(..UTF8_BOM.len());
            len -= UTF8_BOM.len() as u64;
        }
        self.offset += self.line_len + terminator;
        self.line_len = 0;
        self.number += 1;
        FollowedLine {
            bytes,
            len,
            number: self.number,
        }
    }
}

impl SourceSettings {
    /// Follows `input` as [`FollowerBuilder`] says, parsing its lines into [`Entry`]s as
    /// [`SourceSettings::open`] would. The follower keeps the first
    /// [`SourceSettings::max_record_bytes`] plus one bytes of a line, whatever the builder says.
    ///
    /// # Errors
    /// [`Error::Usage`] when the input's format is unknown or is CSV/TSV (whose records may span
    /// lines: not followed yet); as [`FollowerBuilder::build`] otherwise.
    pub fn follow(&self, input: &Input, follow: &FollowerBuilder) -> Result<FollowSource> {
        let format = self.format_of(input)?;
        let Some(parser) = LineParser::new(format) else {
            return Err(Error::Usage(format!(
                "{input}: {format} cannot be followed; follow JSONL or plain text"
            )));
        };
        let follower = follow
            .clone()
            .max_line_bytes(self.max_record_bytes() + 1)
            .build(input)?;
        Ok(FollowSource {
            follower,
            settings: self.clone(),
            format,
            parser,
            name: input.to_string(),
            tally: Tally::default(),
            notices: VecDeque::new(),
        })
    }
}

/// A followed input's records, as an iterator of [`Entry`]s (see [`SourceSettings::follow`]). It
/// ends when its [`Follower`] does; after an error it yields nothing more.
#[derive(Debug)]
pub struct FollowSource {
    follower: Follower,
    settings: SourceSettings,
    format: Format,
    parser: LineParser,
    name: String,
    tally: Tally,
    notices: VecDeque<Notice>,
}

impl FollowSource {
    /// Its format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// What it has yielded so far.
    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    /// Where it stands: just after the line of the last entry yielded (see
    /// [`Follower::position`]).
    pub fn position(&self) -> Position {
        self.follower.position()
    }

    /// The notices (rotation, truncation, a lost position) met since the last call, oldest first.
    pub fn take_notices(&mut self) -> impl Iterator<Item = Notice> + '_ {
        self.notices.drain(..)
    }
}

impl Iterator for FollowSource {
    type Item = Result<Entry>;

    fn next(&mut self) -> Option<Result<Entry>> {
        loop {
            let mut line = match self.follower.next()? {
                Ok(Followed::Line(line)) => line,
                Ok(Followed::Notice(notice)) => {
                    self.notices.push_back(notice);
                    continue;
                }
                Err(e) => return Some(Err(e)),
            };
            let Some((parsed, len)) =
                self.parser
                    .parse_line(&mut line.bytes, line.len, &self.settings)
            else {
                continue;
            };
            return Some(Ok(entry_of(
                parsed,
                &self.name,
                line.number,
                &line.bytes,
                len,
                &mut self.tally,
            )));
        }
    }
}

#[cfg(test)]
mod tests;
