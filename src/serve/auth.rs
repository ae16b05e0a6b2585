//! API tokens and what they allow.
//!
//! Tokens come from a file (`--tokens-file PATH`) or the environment variable `KASHEV_API_TOKENS`,
//! never from a flag (a flag shows in `ps`). One token per line: a name (shown in the request log
//! instead of the token), its scopes, and the token itself:
//!
//! ```text
//! # name     scopes           token
//! analyst    read             3f9c1d8e0b7a4c2e9d51
//! retention  read,admin,pii   b87e2a90c4d13f6e58a2
//! ```
//!
//! Scopes: `read` (search, trends, customers, explain, labels, stats, alerts), `admin` (edit the
//! subscriptions; implies `read`), `pii` (see phone numbers, e-mail addresses, ID and card numbers
//! unmasked). In the environment variable, entries may also be separated by `;`. A token must be
//! at least 16 characters. Requests present it as `Authorization: Bearer TOKEN`; it is compared in
//! constant time (SHA-256 digests compared with `subtle`), and never logged.

use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

use crate::error::{Error, Result};

/// The environment variable that may hold tokens.
pub const TOKENS_ENV: &str = "KASHEV_API_TOKENS";

/// The shortest token accepted.
pub const MIN_TOKEN_LEN: usize = 16;

/// What a caller may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// Who: the token's name, or `local` for a caller on a server without tokens.
    pub name: String,
    /// May read the index and the alerts.
    pub read: bool,
    /// May edit the subscriptions.
    pub admin: bool,
    /// May see personal data unmasked.
    pub pii: bool,
}

impl Grant {
    /// The caller of a loopback server without tokens: reads and edits, but sees personal data
    /// masked (a token with the `pii` scope is the only way to see it).
    pub fn local() -> Grant {
        Grant {
            name: "local".into(),
            read: true,
            admin: true,
            pii: false,
        }
    }

    /// The scopes, as the API lists them.
    pub fn scopes(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.read {
            out.push("read");
        }
        if self.admin {
            out.push("admin");
        }
        if self.pii {
            out.push("pii");
        }
        out
    }
}

#[derive(Clone)]
struct Entry {
    digest: [u8; 32],
    grant: Grant,
}

/// The tokens a server accepts.
#[derive(Clone, Default)]
pub struct Tokens {
    entries: Vec<Entry>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.entries.iter().map(|e| &e.grant.name))
            .finish()
    }
}

fn digest(token: &[u8]) -> [u8; 32] {
    Sha256::digest(token).into()
}

impl Tokens {
    /// No tokens: a server that only loopback callers can reach.
    pub fn none() -> Tokens {
        Tokens::default()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Adds the tokens in `text` (the file format above; `;` also separates entries); `source`
    /// names it in messages.
    ///
    /// # Errors
    /// [`Error::Config`] with every problem as `source:line: message` (the token itself is never
    /// part of a message).
    pub fn add(&mut self, text: &str, source: &str) -> Result<()> {
        let mut problems = Vec::new();
        for (n, line) in text.lines().enumerate() {
            for entry in line.split(';') {
                let entry = entry.trim();
                if entry.is_empty() || entry.starts_with('#') {
                    continue;
                }
                match parse_entry(entry) {
                    Ok(e) => {
                        if self.entries.iter().any(|x| x.grant.name == e.grant.name) {
                            problems.push(format!(
                                "{source}:{}: the token name '{}' is used twice",
                                n + 1,
                                e.grant.name
                            ));
                        } else if self.entries.iter().any(|x| x.digest == e.digest) {
                            problems.push(format!(
                                "{source}:{}: token '{}' repeats another token",
                                n + 1,
                                e.grant.name
                            ));
                        } else {
                            self.entries.push(e);
                        }
                    }
                    Err(message) => problems.push(format!("{source}:{}: {message}", n + 1)),
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Config { problems })
        }
    }

    /// The grant of the token presented, if it is one of them. Every token is compared, in
    /// constant time, whatever matches.
    pub fn check(&self, presented: &str) -> Option<&Grant> {
        let presented = digest(presented.as_bytes());
        let mut found = None;
        for e in &self.entries {
            if bool::from(e.digest.ct_eq(&presented)) {
                found = Some(&e.grant);
            }
        }
        found
    }
}

fn parse_entry(entry: &str) -> std::result::Result<Entry, String> {
    let parts: Vec<&str> = entry.split_whitespace().collect();
    let [name, scopes, token] = parts[..] else {
        return Err(format!(
            "expected 'NAME SCOPES TOKEN' (three fields), found {}",
            parts.len()
        ));
    };
    let mut grant = Grant {
        name: name.to_string(),
        read: false,
        admin: false,
        pii: false,
    };
    for scope in scopes.split(',') {
        match scope {
            "read" => grant.read = true,
            "admin" => {
                grant.admin = true;
                grant.read = true;
            }
            "pii" => grant.pii = true,
            other => {
                return Err(format!(
                    "token '{name}': unknown scope '{other}' (read, admin, pii)"
                ));
            }
        }
    }
    if !grant.read {
        return Err(format!(
            "token '{name}': scopes '{scopes}' do not include read or admin"
        ));
    }
    if token.chars().count() < MIN_TOKEN_LEN {
        return Err(format!(
            "token '{name}' is shorter than {MIN_TOKEN_LEN} characters"
        ));
    }
    Ok(Entry {
        digest: digest(token.as_bytes()),
        grant,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_grant_their_scopes() {
        let mut t = Tokens::none();
        t.add(
            "# name scopes token\nanalyst read 0123456789abcdef\nlead read,admin,pii fedcba9876543210xyz\n",
            "tokens",
        )
        .unwrap();
        t.add(
            "ops admin abcdefabcdefabcdef;bot read,pii zzzzzzzzzzzzzzzzzz",
            "env",
        )
        .unwrap();
        assert_eq!(t.len(), 4);
        let analyst = t.check("0123456789abcdef").unwrap();
        assert_eq!(analyst.scopes(), ["read"]);
        assert_eq!(
            t.check("fedcba9876543210xyz").unwrap().scopes(),
            ["read", "admin", "pii"]
        );
        assert_eq!(
            t.check("abcdefabcdefabcdef").unwrap().scopes(),
            ["read", "admin"]
        );
        assert_eq!(t.check("zzzzzzzzzzzzzzzzzz").unwrap().name, "bot");
        assert!(t.check("0123456789abcdeF").is_none());
        assert!(t.check("").is_none());
    }

    #[test]
    fn bad_lines_are_reported_by_line_without_the_token() {
        let mut t = Tokens::none();
        let err = t
            .add(
                "a read short\nb write 0123456789abcdefgh\nc read\nd pii 0123456789abcdefgh\na read 0123456789abcdefgh\ne read 0123456789abcdefgh\n",
                "tok",
            )
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "tok:1: token 'a' is shorter than 16 characters\n\
             tok:2: token 'b': unknown scope 'write' (read, admin, pii)\n\
             tok:3: expected 'NAME SCOPES TOKEN' (three fields), found 2\n\
             tok:4: token 'd': scopes 'pii' do not include read or admin\n\
             tok:6: token 'e' repeats another token"
        );
        assert!(!err.contains("0123456789"));
    }
}
