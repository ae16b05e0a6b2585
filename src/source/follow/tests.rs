//! Following real files in a temporary directory, with the follower on its own thread handing
//! what it yields over a channel while the test writes, renames and truncates.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::JoinHandle;

use super::*;
use crate::source::{Reject, RejectKind};

/// How long to wait for something that should come; generous, so a loaded machine does not fail.
const PATIENCE: Duration = Duration::from_secs(20);
/// How long to watch for something that should not come.
const QUIET: Duration = Duration::from_millis(300);
/// The idle timeout that ends a follower once a file that is no longer written is read.
const IDLE: Duration = Duration::from_secs(1);

/// A follower running on its own thread.
struct Running {
    items: Receiver<Followed>,
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Position>,
}

impl Running {
    /// Follows `path`; the follower is built (and the file opened) before this returns.
    fn start(path: &Path, configure: impl FnOnce(&mut FollowerBuilder)) -> Running {
        let stop = Arc::new(AtomicBool::new(false));
        let mut builder = FollowerBuilder::new();
        builder
            .poll_interval(Duration::from_millis(10))
            .stop(stop.clone());
        configure(&mut builder);
        let mut follower = builder.build(&Input::Path(path.to_path_buf())).unwrap();
        let (tx, items) = mpsc::channel();
        let thread = thread::spawn(move || {
            for item in &mut follower {
                if tx.send(item.unwrap()).is_err() {
                    break;
                }
            }
            follower.position()
        });
        Running {
            items,
            stop,
            thread,
        }
    }

    fn next(&self) -> Followed {
        self.items
            .recv_timeout(PATIENCE)
            .expect("the follower yields in time")
    }

    /// The next item, which must be a line: its text and number.
    fn line(&self) -> (String, u64) {
        match self.next() {
            Followed::Line(line) => (String::from_utf8(line.bytes).unwrap(), line.number),
            other => panic!("expected a line, got {other:?}"),
        }
    }

    fn lines(&self, n: usize) -> Vec<String> {
        (0..n).map(|_| self.line().0).collect()
    }

    fn notice(&self) -> Notice {
        match self.next() {
            Followed::Notice(notice) => notice,
            other => panic!("expected a notice, got {other:?}"),
        }
    }

    fn assert_quiet(&self) {
        match self.items.recv_timeout(QUIET) {
            Err(RecvTimeoutError::Timeout) => {}
            other => panic!("expected nothing, got {other:?}"),
        }
    }

    /// Stops the follower; its final position.
    fn stop(self) -> Position {
        self.stop.store(true, Ordering::Relaxed);
        drop(self.items);
        self.thread.join().unwrap()
    }
}

fn append(path: &Path) -> File {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap()
}

fn write(file: &mut File, text: &str) {
    file.write_all(text.as_bytes()).unwrap();
}

fn numbered(prefix: &str, range: std::ops::RangeInclusive<usize>) -> Vec<String> {
    range.map(|i| format!("{prefix}{i}")).collect()
}

#[test]
fn lines_appended_over_time_arrive_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calls.log");
    write(&mut append(&path), "first\n");
    let run = Running::start(&path, |_| {});
    assert_eq!(run.line(), ("first".to_string(), 1));
    let writer = {
        let path = path.clone();
        thread::spawn(move || {
            let mut file = append(&path);
            for i in 1..=300 {
                write(&mut file, &format!("line {i}\n"));
                if i % 50 == 0 {
                    thread::sleep(Duration::from_millis(20));
                }
            }
        })
    };
    assert_eq!(run.lines(300), numbered("line ", 1..=300));
    writer.join().unwrap();
    let position = run.stop();
    assert_eq!(position.line, 301);
    assert_eq!(position.offset, fs::metadata(&path).unwrap().len());
    assert_eq!(
        position.file,
        Some(FileId::of(&fs::metadata(&path).unwrap()))
    );
}

#[test]
fn a_partial_line_is_held_until_its_newline() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calls.log");
    let mut file = append(&path);
    let hebrew = "הלקוח מבקש לבטל";
    let (head, tail) = hebrew.as_bytes().split_at(5); // inside a letter
    write(&mut file, "one\n");
    file.write_all(head).unwrap();
    let run = Running::start(&path, |_| {});
    assert_eq!(run.line(), ("one".to_string(), 1));
    run.assert_quiet();
    file.write_all(tail).unwrap();
    run.assert_quiet();
    write(&mut file, "\r\nthree");
    assert_eq!(run.line(), (format!("{hebrew}\r"), 2));
    run.assert_quiet();
    let position = run.stop();
    assert_eq!(
        (position.line, position.offset),
        (2, 4 + hebrew.len() as u64 + 2)
    );
}

#[test]
fn rotation_loses_nothing_and_repeats_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calls.log");
    let rotated = dir.path().join("calls.log.1");
    let mut old = append(&path);
    write(&mut old, &(numbered("old ", 1..=5).join("\n") + "\n"));
    let run = Running::start(&path, |_| {});
    assert_eq!(run.lines(5), numbered("old ", 1..=5));

    // The writer keeps its handle on the old file for a while after the rename, as loggers do
    // until they reopen, and its last line there has no newline.
    fs::rename(&path, &rotated).unwrap();
    write(&mut old, "old 6\nold 7\n");
    assert_eq!(run.lines(2), numbered("old ", 6..=7));
    write(&mut old, "old 8\nold 9");
    assert_eq!(run.line(), ("old 8".to_string(), 8));
    run.assert_quiet();
    let mut new = append(&path);
    write(&mut new, "new 1\nnew 2\n");
    assert_eq!(run.line(), ("old 9".to_string(), 9));
    assert_eq!(run.notice(), Notice::Rotated { path: path.clone() });
    assert_eq!(run.line(), ("new 1".to_string(), 1));
    assert_eq!(run.line(), ("new 2".to_string(), 2));
    write(&mut new, "new 3\n");
    assert_eq!(run.line(), ("new 3".to_string(), 3));
    run.assert_quiet();
    let position = run.stop();
    assert_eq!(
        position.file,
        Some(FileId::of(&fs::metadata(&path).unwrap()))
    );
    assert_eq!((position.line, position.offset), (3, 18));
}

#[test]
fn truncation_restarts_from_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calls.log");
    let mut file = append(&path);
    write(&mut file, "a\nb\n");
    let run = Running::start(&path, |_| {});
    assert_eq!(run.lines(2), ["a", "b"]);
    file.set_len(0).unwrap();
    assert_eq!(
        run.notice(),
        Notice::Truncated {
            path: path.clone(),
            offset: 4,
            size: 0
        }
    );
    write(&mut file, "c\n");
    assert_eq!(run.line(), ("c".to_string(), 1));
    assert_eq!(run.stop().offset, 2);
}

#[test]
fn a_missing_file_is_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("later.log");
    let run = Running::start(&path, |b| {
        b.from_end(true);
    });
    run.assert_quiet();
    // A file that appears is read from its start, even when following from the end.
    write(&mut append(&path), "hello\nworld\n");
    assert_eq!(run.line(), ("hello".to_string(), 1));
    assert_eq!(run.line(), ("world".to_string(), 2));
    run.stop();
}

#[test]
fn from_end_skips_what_is_there_and_counts_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calls.log");
    let mut file = append(&path);
    write(&mut file, "a\nb\npart");
    let run = Running::start(&path, |b| {
        b.from_end(true);
    });
    run.assert_quiet();
    write(&mut file, "ial\nc\n");
    assert_eq!(run.line(), ("partial".to_string(), 3));
    assert_eq!(run.line(), ("c".to_string(), 4));
    run.stop();
}

#[test]
fn resuming_from_a_saved_position_yields_exactly_the_lines_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calls.log");
    let mut file = append(&path);
    write(&mut file, "1\n2\n3\n");
    let input = Input::Path(path.clone());
    let mut first = FollowerBuilder::new().build(&input).unwrap();
    for want in ["1", "2"] {
        match first.next() {
            Some(Ok(Followed::Line(line))) => assert_eq!(line.bytes, want.as_bytes()),
            other => panic!("{other:?}"),
        }
    }
    // Saved and reloaded, as `watch` keeps it in its state.
    let saved = serde_json::to_string(&first.position()).unwrap();
    drop(first);
    let saved: Position = serde_json::from_str(&saved).unwrap();
    assert_eq!((saved.line, saved.offset), (2, 4));
    write(&mut file, "4\n5\n");

    let resumed = |position: Position| -> Vec<Followed> {
        FollowerBuilder::new()
            .resume(Some(position))
            .from_end(true)
            .idle_timeout(Some(IDLE))
            .poll_interval(Duration::from_millis(10))
            .build(&input)
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let line = |text: &str, number| {
        Followed::Line(FollowedLine {
            bytes: text.as_bytes().to_vec(),
            len: text.len() as u64,
            number,
        })
    };
    assert_eq!(
        resumed(saved.clone()),
        [line("3", 3), line("4", 4), line("5", 5)]
    );

    // Once another file is at the path, the position does not apply: it is read from its start.
    fs::rename(&path, dir.path().join("calls.log.1")).unwrap();
    write(&mut append(&path), "x\n");
    assert_eq!(
        resumed(saved.clone()),
        [
            Followed::Notice(Notice::PositionLost {
                path: path.clone(),
                saved
            }),
            line("x", 1)
        ]
    );
}

#[test]
fn the_stop_flag_ends_the_iteration_promptly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calls.log");
    write(&mut append(&path), "a\n");
    let stop = Arc::new(AtomicBool::new(false));
    let mut follower = FollowerBuilder::new()
        .stop(stop.clone())
        .build(&Input::Path(path))
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let thread = thread::spawn(move || {
        for item in &mut follower {
            tx.send(item.unwrap()).unwrap();
        }
    });
    assert!(matches!(rx.recv_timeout(PATIENCE), Ok(Followed::Line(_))));
    let asked = Instant::now();
    stop.store(true, Ordering::Relaxed);
    assert_eq!(
        rx.recv_timeout(PATIENCE),
        Err(RecvTimeoutError::Disconnected)
    );
    // One poll interval (50 ms) is the expected wait; the bound is loose for busy machines.
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "{:?}",
        asked.elapsed()
    );
    thread.join().unwrap();
}

#[test]
fn a_directory_cannot_be_followed() {
    let dir = tempfile::tempdir().unwrap();
    let err = FollowerBuilder::new()
        .build(&Input::Path(dir.path().to_path_buf()))
        .unwrap_err();
    assert!(err.is_usage(), "{err}");
}

/// What a source made of its input.
fn entries(source: impl Iterator<Item = Result<Entry>>) -> Vec<Entry> {
    source.map(Result::unwrap).collect()
}

#[test]
fn followed_lines_become_the_entries_the_batch_reader_makes() {
    let dir = tempfile::tempdir().unwrap();
    let settings = SourceSettings::builder()
        .max_record_bytes(60)
        .build()
        .unwrap();
    let mut options = FollowerBuilder::new();
    options
        .idle_timeout(Some(IDLE))
        .poll_interval(Duration::from_millis(10));
    let long = "x".repeat(100);
    let jsonl = format!(
        "\u{feff}{{\"id\":\"1\",\"text\":\"the bill is wrong\"}}\n\
         {{\"text\":\"broken\"\n\
         \n\
         [1]\r\n\
         {{\"text\":\"{long}\"}}\n\
         {{\"text\":\"אני רוצה לבטל\",\"customer_id\":\"c1\"}}\r\n\
         {{\"text\":\"last, unterminated\"}}"
    );
    let text = [format!("שלום\n  \n{long}\nbad ").as_bytes(), b"\xff\n"].concat();
    let cases = [
        (
            "calls.jsonl",
            jsonl.into_bytes(),
            [
                (2, RejectKind::InvalidJson),
                (4, RejectKind::NotObject),
                (5, RejectKind::TooLarge),
            ]
            .as_slice(),
        ),
        (
            "notes.txt",
            text,
            [(3, RejectKind::TooLarge), (4, RejectKind::InvalidUtf8)].as_slice(),
        ),
    ];
    for (name, bytes, want_rejects) in cases {
        let path = dir.path().join(name);
        fs::write(&path, &bytes).unwrap();
        let input = Input::Path(path.clone());
        let batch = entries(settings.open(&input).unwrap());
        let mut followed = settings.follow(&input, &options).unwrap();
        let got = entries(&mut followed);
        let rejects: Vec<(u64, RejectKind)> = got
            .iter()
            .filter_map(|e| match e {
                Entry::Reject(Reject { line, kind, .. }) => Some((*line, *kind)),
                Entry::Record(_) => None,
            })
            .collect();
        assert_eq!(rejects, want_rejects, "{name}");
        if name.ends_with(".jsonl") {
            // The unterminated last line is held: the file may still be growing.
            assert_eq!(got[..], batch[..batch.len() - 1], "{name}");
            assert_eq!(followed.position().line, 6, "{name}");
        } else {
            assert_eq!(got, batch, "{name}");
        }
        assert!(followed.tally().is_consistent(), "{name}");
        assert_eq!(followed.tally().rejected as usize, rejects.len(), "{name}");
        let reject = got.iter().find_map(|e| match e {
            Entry::Reject(r) => Some(r.to_string()),
            Entry::Record(_) => None,
        });
        let place = format!("{}:{}:", path.display(), want_rejects[0].0);
        assert!(reject.unwrap().starts_with(&place), "{name}");
    }
}

#[test]
fn a_followed_source_goes_on_after_a_bad_line_as_lines_arrive() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calls.jsonl");
    let mut file = append(&path);
    let stop = Arc::new(AtomicBool::new(false));
    let mut options = FollowerBuilder::new();
    options
        .poll_interval(Duration::from_millis(10))
        .stop(stop.clone());
    let mut source = SourceSettings::default()
        .follow(&Input::Path(path.clone()), &options)
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let thread = thread::spawn(move || {
        for entry in &mut source {
            tx.send(entry.unwrap()).unwrap();
        }
        (
            source.tally().clone(),
            source.take_notices().collect::<Vec<_>>(),
        )
    });
    let next = || rx.recv_timeout(PATIENCE).unwrap();
    write(&mut file, "{\"text\":\"one\"}\n");
    assert!(matches!(next(), Entry::Record(r) if r.text == "one"));
    write(&mut file, "{\"text\":\n");
    match next() {
        Entry::Reject(reject) => {
            assert_eq!((reject.line, reject.kind), (2, RejectKind::InvalidJson));
        }
        other => panic!("{other:?}"),
    }
    file.set_len(0).unwrap();
    write(&mut file, "{\"text\":\"three\"}\n");
    assert!(matches!(next(), Entry::Record(r) if r.text == "three"));
    stop.store(true, Ordering::Relaxed);
    let (tally, notices) = thread.join().unwrap();
    assert_eq!((tally.read, tally.accepted, tally.rejected), (3, 2, 1));
    assert!(
        matches!(notices[..], [Notice::Truncated { offset: 24, .. }]),
        "{notices:?}"
    );
}

#[test]
fn csv_is_not_followed() {
    let err = SourceSettings::default()
        .follow(&Input::from_arg("calls.csv"), &FollowerBuilder::new())
        .unwrap_err();
    assert!(err.to_string().contains("cannot be followed"), "{err}");
}
