//! Plain text: every non-blank line is one record, with a derived id and a detected language.

use super::jsonl::invalid_utf8;
use super::{Parsed, Record};

/// Parses one non-blank line (without its terminator).
pub(crate) fn parse(line: &[u8]) -> Parsed {
    match std::str::from_utf8(line) {
        Ok(text) => Parsed::Record(Box::new(Record::from_text(text))),
        Err(e) => Parsed::Problem(invalid_utf8(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::RejectKind;

    #[test]
    fn lines() {
        let cases: [(&str, &[u8], Result<&str, RejectKind>); 3] = [
            (
                "hebrew",
                "הלקוח מבקש לבטל".as_bytes(),
                Ok("הלקוח מבקש לבטל"),
            ),
            ("spaces kept", b"  indented ", Ok("  indented ")),
            (
                "invalid utf-8",
                b"ok \xc3\x28",
                Err(RejectKind::InvalidUtf8),
            ),
        ];
        for (name, line, want) in cases {
            match (parse(line), want) {
                (Parsed::Record(record), Ok(text)) => {
                    assert_eq!(record.text, text, "{name}");
                    assert_eq!(record.id, Record::from_text(text).id, "{name}");
                    assert!(record.lang.is_none(), "{name}: detected at output");
                }
                (Parsed::Problem(p), Err(kind)) => {
                    assert_eq!(p.kind, kind, "{name}");
                    assert_eq!(p.reason, "invalid UTF-8 at byte 3", "{name}");
                }
                (got, _) => panic!("{name}: {got:?}"),
            }
        }
    }
}
