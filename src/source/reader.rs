//! Opening an input (file or stdin, gzip or not) and reading it line by line with a hard cap on
//! what is kept of each line.
//!
//! Gzip is recognised by its magic bytes, not the file name, so `zcat`-less pipes work;
//! concatenated gzip members (as written by `cat a.gz b.gz`) are read as one stream. A UTF-8
//! byte-order mark at the start of the (decompressed) stream is dropped. [`LineReader`] never holds
//! more than the cap of one line: the rest of an over-long line is skipped with
//! `fill_buf`/`consume`, only counted.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};

use flate2::read::MultiGzDecoder;

use super::Input;
use crate::error::{Error, Result};

/// Read buffer size.
const BUFFER_BYTES: usize = 64 * 1024;
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const UTF8_BOM: [u8; 3] = [0xef, 0xbb, 0xbf];

/// A byte stream ready for line reading.
pub(crate) struct Opened {
    /// The decompressed bytes, without a leading BOM.
    pub reader: Box<dyn BufRead + Send>,
    /// Whether the input was gzip-compressed.
    pub gzip: bool,
}

/// Opens `input`: a file, or standard input for [`Input::Stdin`].
///
/// # Errors
/// [`Error::Io`] naming the input when it cannot be opened, or when its first bytes cannot be read
/// (a directory, a corrupt gzip header).
pub(crate) fn open(input: &Input) -> Result<Opened> {
    let raw: Box<dyn Read + Send> = match input {
        Input::Stdin => Box::new(io::stdin()),
        Input::Path(path) => Box::new(File::open(path).map_err(|e| Error::io(path, e))?),
    };
    decode(raw).map_err(|e| Error::io(input.to_string(), e))
}

/// Detects gzip by its magic bytes and drops a UTF-8 BOM.
pub(crate) fn decode(raw: Box<dyn Read + Send>) -> io::Result<Opened> {
    let (magic, raw) = peek(raw, GZIP_MAGIC.len())?;
    let gzip = magic == GZIP_MAGIC;
    let decoded: Box<dyn Read + Send> = if gzip {
        Box::new(MultiGzDecoder::new(raw))
    } else {
        raw
    };
    let (head, decoded) = peek(decoded, UTF8_BOM.len())?;
    let reader: Box<dyn Read + Send> = if head == UTF8_BOM {
        // `peek` chained the head back in front; read past it.
        let mut decoded = decoded;
        io::copy(
            &mut (&mut decoded).take(UTF8_BOM.len() as u64),
            &mut io::sink(),
        )?;
        decoded
    } else {
        decoded
    };
    Ok(Opened {
        reader: Box::new(BufReader::with_capacity(BUFFER_BYTES, reader)),
        gzip,
    })
}

/// Reads up to `n` bytes (fewer only at the end of the stream) and returns them together with a
/// reader that yields them again, followed by the rest.
fn peek(mut reader: Box<dyn Read + Send>, n: usize) -> io::Result<(Vec<u8>, Box<dyn Read + Send>)> {
    let mut head = vec![0; n];
    let mut filled = 0;
    while filled < n {
        match reader.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(k) => filled += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    head.truncate(filled);
    let again = Cursor::new(head.clone()).chain(reader);
    Ok((head, Box::new(again)))
}

/// Where a line was and how long it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line {
    /// 1-based line number.
    pub number: u64,
    /// Length in bytes, without the `\n` (a `\r` before it is counted).
    pub len: u64,
    /// How many of those bytes were appended to the caller's buffer.
    pub kept: usize,
}

impl Line {
    /// Whether part of the line was skipped rather than kept.
    pub fn truncated(&self) -> bool {
        self.len > self.kept as u64
    }
}

/// Splits a byte stream into `\n`-terminated lines, keeping at most a given number of bytes of
/// each.
pub(crate) struct LineReader {
    inner: Box<dyn BufRead + Send>,
    lines: u64,
    bytes: u64,
}

impl LineReader {
    /// Reads lines from `inner`.
    pub fn new(inner: Box<dyn BufRead + Send>) -> LineReader {
        LineReader {
            inner,
            lines: 0,
            bytes: 0,
        }
    }

    /// Lines read so far.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// Bytes read so far (decompressed).
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Reads the next line, appending at most `keep` of its bytes (without the `\n`) to `out`.
    /// `observe` sees every byte of the line, kept or not, in order. `None` at the end of the
    /// input.
    ///
    /// Memory stays bounded by `keep` whatever the line's length.
    pub fn next_line(
        &mut self,
        out: &mut Vec<u8>,
        keep: usize,
        mut observe: impl FnMut(&[u8]),
    ) -> io::Result<Option<Line>> {
        let (mut len, mut kept, mut started) = (0u64, 0usize, false);
        loop {
            let buf = match self.inner.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                if !started {
                    return Ok(None);
                }
                break;
            }
            started = true;
            let newline = buf.iter().position(|&b| b == b'\n');
            let chunk = &buf[..newline.unwrap_or(buf.len())];
            observe(chunk);
            let take = chunk.len().min(keep - kept);
            out.extend_from_slice(&chunk[..take]);
            kept += take;
            len += chunk.len() as u64;
            let used = chunk.len() + usize::from(newline.is_some());
            self.inner.consume(used);
            self.bytes += used as u64;
            if newline.is_some() {
                break;
            }
        }
        self.lines += 1;
        Ok(Some(Line {
            number: self.lines,
            len,
            kept,
        }))
    }
}

/// Whether a line holds nothing but ASCII whitespace (blank lines are not records).
pub(crate) fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use flate2::Compression;
    use flate2::write::GzEncoder;

    use super::*;

    /// A reader that hands out one byte per `read` call, like a slow pipe.
    struct Trickle(Cursor<Vec<u8>>);

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(1);
            self.0.read(&mut buf[..n])
        }
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    fn decoded(raw: Vec<u8>, trickle: bool) -> (Vec<u8>, bool) {
        let reader: Box<dyn Read + Send> = if trickle {
            Box::new(Trickle(Cursor::new(raw)))
        } else {
            Box::new(Cursor::new(raw))
        };
        let mut opened = decode(reader).unwrap();
        let mut out = Vec::new();
        opened.reader.read_to_end(&mut out).unwrap();
        (out, opened.gzip)
    }

    #[test]
    fn decoding() {
        let two_members = [gzip(b"a\n"), gzip(b"b\n")].concat();
        let cases: [(&str, Vec<u8>, &[u8], bool); 7] = [
            ("plain", b"a\nb\n".to_vec(), b"a\nb\n", false),
            ("empty", Vec::new(), b"", false),
            ("one byte", b"x".to_vec(), b"x", false),
            ("bom dropped", b"\xef\xbb\xbfa\n".to_vec(), b"a\n", false),
            ("gzip", gzip(b"a\nb\n"), b"a\nb\n", true),
            ("gzip with bom", gzip(b"\xef\xbb\xbf{}\n"), b"{}\n", true),
            ("concatenated gzip members", two_members, b"a\nb\n", true),
        ];
        for (name, raw, want, want_gzip) in cases {
            for trickle in [false, true] {
                let (got, gz) = decoded(raw.clone(), trickle);
                assert_eq!(got, want, "{name} (trickle: {trickle})");
                assert_eq!(gz, want_gzip, "{name}");
            }
        }
    }

    #[test]
    fn corrupt_gzip_is_an_error() {
        let mut data = gzip(&b"some text that compresses\n".repeat(100));
        let mid = data.len() / 2;
        data[mid] ^= 0xff;
        data[mid + 1] ^= 0xff;
        let truncated = gzip(&b"line\n".repeat(1000))[..20].to_vec();
        for (name, raw) in [("flipped bytes", data), ("truncated", truncated)] {
            let result = decode(Box::new(Cursor::new(raw))).and_then(|mut opened| {
                let mut out = Vec::new();
                opened.reader.read_to_end(&mut out)
            });
            assert!(result.is_err(), "{name}: {result:?}");
        }
    }

    fn lines(input: &[u8], keep: usize) -> Vec<(Vec<u8>, Line)> {
        let mut reader = LineReader::new(Box::new(BufReader::with_capacity(
            4,
            Cursor::new(input.to_vec()),
        )));
        let mut out = Vec::new();
        let mut all = Vec::new();
        loop {
            out.clear();
            let mut seen = 0u64;
            match reader
                .next_line(&mut out, keep, |chunk| seen += chunk.len() as u64)
                .unwrap()
            {
                Some(line) => {
                    assert_eq!(seen, line.len, "observe sees every byte");
                    all.push((out.clone(), line));
                }
                None => return all,
            }
        }
    }

    #[test]
    fn line_splitting() {
        type Case = (
            &'static str,
            &'static [u8],
            usize,
            &'static [(&'static [u8], u64)],
        );
        let cases: [Case; 7] = [
            ("empty input", b"", 100, &[]),
            ("no final newline", b"a\nbc", 100, &[(b"a", 1), (b"bc", 2)]),
            ("final newline", b"a\nbc\n", 100, &[(b"a", 1), (b"bc", 2)]),
            (
                "blank lines count",
                b"\n\nx\n",
                100,
                &[(b"", 0), (b"", 0), (b"x", 1)],
            ),
            (
                "crlf kept for the caller",
                b"ab\r\ncd\r\n",
                100,
                &[(b"ab\r", 3), (b"cd\r", 3)],
            ),
            (
                "long line cut",
                b"abcdefghij\nk\n",
                3,
                &[(b"abc", 10), (b"k", 1)],
            ),
            ("cut at zero", b"abcdefghij\n", 0, &[(b"", 10)]),
        ];
        for (name, input, keep, want) in cases {
            let got = lines(input, keep);
            assert_eq!(got.len(), want.len(), "{name}");
            for (i, ((bytes, line), (want_bytes, want_len))) in
                got.iter().zip(want.iter()).enumerate()
            {
                assert_eq!(bytes.as_slice(), *want_bytes, "{name}: line {}", i + 1);
                assert_eq!(line.len, *want_len, "{name}: line {}", i + 1);
                assert_eq!(line.number, i as u64 + 1, "{name}");
                assert_eq!(line.truncated(), *want_len > keep as u64, "{name}");
            }
        }
    }

    #[test]
    fn over_long_lines_are_skipped_without_buffering() {
        let mut input = vec![b'x'; 10 * BUFFER_BYTES];
        input.extend_from_slice(b"\nnext\n");
        let mut reader = LineReader::new(Box::new(BufReader::new(Cursor::new(input))));
        let mut out = Vec::new();
        let line = reader.next_line(&mut out, 16, |_| {}).unwrap().unwrap();
        assert_eq!((out.len(), out.capacity() < 1024), (16, true));
        assert_eq!(line.len, 10 * BUFFER_BYTES as u64);
        out.clear();
        reader.next_line(&mut out, 16, |_| {}).unwrap().unwrap();
        assert_eq!(out, b"next");
        assert_eq!(reader.lines(), 2);
        assert_eq!(reader.bytes(), 10 * BUFFER_BYTES as u64 + 6);
    }

    #[test]
    fn blank_lines() {
        assert!(is_blank(b" \t\r"));
        assert!(!is_blank(b" x "));
    }
}
