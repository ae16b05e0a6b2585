//! The analyzer as a tantivy tokenizer, for the text field at index time and in the query parser.
//!
//! Every word, typed token, emoji and emoticon becomes one indexed term at its own position: Hebrew
//! and other words by their key, Latin words by their Snowball stem. Punctuation and bare Hebrew
//! prefixes (the ה of הwifi) are dropped. When the tokenizer knows a vocabulary ([`KnownKeys`], the
//! lexicon keys), a Hebrew word's prefix readings whose remainder is known are indexed at the same
//! position too, so a search for ביטול finds והביטול while מחיר never turns into חיר; the same goes
//! for the folded alternative of an elongated word.

use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::{Analysis, Analyzer, Flags, Script, TokenKind};

/// The name the tokenizer is registered under in a tantivy index.
pub const TOKENIZER_NAME: &str = "kashev";

/// A vocabulary of keys that prefix readings may resolve to.
pub trait KnownKeys: Send + Sync {
    /// Whether `key` is a known word.
    fn contains_key(&self, key: &str) -> bool;
}

impl KnownKeys for std::collections::HashSet<String> {
    fn contains_key(&self, key: &str) -> bool {
        self.contains(key)
    }
}

/// The Kashev analyzer as a tantivy [`Tokenizer`].
#[derive(Clone)]
pub struct KashevTokenizer {
    analyzer: Analyzer,
    known: Option<Arc<dyn KnownKeys>>,
    analysis: Analysis,
    tokens: Vec<Token>,
}

impl KashevTokenizer {
    /// A tokenizer over `analyzer`, without a vocabulary (no prefix readings are indexed).
    pub fn new(analyzer: Analyzer) -> KashevTokenizer {
        KashevTokenizer {
            analyzer,
            known: None,
            analysis: Analysis::new(),
            tokens: Vec::new(),
        }
    }

    /// Indexes, beside each Hebrew word, its prefix readings whose remainder `known` contains.
    pub fn with_known_keys(mut self, known: Arc<dyn KnownKeys>) -> KashevTokenizer {
        self.known = Some(known);
        self
    }

    /// Registers a fresh copy of this tokenizer on `index` under [`TOKENIZER_NAME`]. Call it after
    /// every create and every open of an index.
    pub fn register(&self, index: &tantivy::Index) {
        index.tokenizers().register(TOKENIZER_NAME, self.clone());
    }
}

impl Tokenizer for KashevTokenizer {
    type TokenStream<'a> = KashevTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> KashevTokenStream<'a> {
        self.analyzer.analyze_into(text, &mut self.analysis);
        let mut used = 0usize;
        let tokens = &mut self.tokens;
        index_terms(&self.analysis, self.known.as_deref(), |term| {
            if used == tokens.len() {
                tokens.push(Token::default());
            }
            let t = &mut tokens[used];
            t.offset_from = term.start;
            t.offset_to = term.end;
            t.position = term.position;
            t.position_length = 1;
            t.text.clear();
            t.text.push_str(term.text);
            used += 1;
        });
        KashevTokenStream {
            tokens: &self.tokens[..used],
            next: 0,
            current: Token::default(),
        }
    }
}

/// One term the index holds for a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexTerm<'a> {
    /// Byte offset of the token's surface form in the text.
    pub start: usize,
    /// Byte offset one past it.
    pub end: usize,
    /// The token's position (terms of one token share it).
    pub position: usize,
    /// The term.
    pub text: &'a str,
}

/// The terms the index holds for an analysed text, in order: every word, typed token, emoji and
/// emoticon by its key (Latin words by their stem), and with a vocabulary, the prefix readings and
/// the elongation alternative it knows, at the same position. Punctuation and bare Hebrew prefixes
/// are dropped. [`KashevTokenizer`] is this function as a tantivy tokenizer; indexing code that
/// already holds the analysis (the classifier's) calls it directly.
pub fn index_terms<'a>(
    analysis: &'a Analysis,
    known: Option<&dyn KnownKeys>,
    mut emit: impl FnMut(IndexTerm<'a>),
) {
    let mut position = 0usize;
    for t in analysis.iter() {
        let token = t.token;
        if token.kind == TokenKind::Punct || token.flags.contains(Flags::PREFIX_ONLY) {
            continue;
        }
        let at = |text: &'a str| IndexTerm {
            start: token.start,
            end: token.end,
            position,
            text,
        };
        emit(at(if token.script == Script::Latin {
            t.stem
        } else {
            t.key
        }));
        if let Some(known) = known {
            for reading in t.prefix_readings() {
                if known.contains_key(reading.rest) {
                    emit(at(reading.rest));
                }
            }
            if let Some(alt) = t.alt
                && known.contains_key(alt)
            {
                emit(at(alt));
            }
        }
        position += 1;
    }
}

/// The token stream of [`KashevTokenizer`].
pub struct KashevTokenStream<'a> {
    tokens: &'a [Token],
    next: usize,
    current: Token,
}

impl TokenStream for KashevTokenStream<'_> {
    fn advance(&mut self) -> bool {
        match self.tokens.get(self.next) {
            Some(t) => {
                self.current.clone_from(t);
                self.next += 1;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use tantivy::collector::Count;
    use tantivy::query::QueryParser;
    use tantivy::schema::{IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions};
    use tantivy::{Index, TantivyDocument, doc};

    use super::*;

    fn terms(tokenizer: &mut KashevTokenizer, text: &str) -> Vec<(usize, String)> {
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            assert_eq!(&text[t.offset_from..t.offset_to].is_empty(), &false);
            out.push((t.position, t.text.clone()));
        }
        out
    }

    #[test]
    fn terms_are_keys_and_stems_without_punctuation() {
        let mut tokenizer = KashevTokenizer::new(Analyzer::new());
        let got = terms(&mut tokenizer, "Cancelled!! המנוי, בוטל 😡");
        let want: Vec<(usize, String)> = vec![
            (0, "cancel".into()),
            (1, "המנוי".into()),
            (2, "בוטל".into()),
            (3, "😡".into()),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn prefix_readings_are_indexed_only_when_known() {
        let known: HashSet<String> = ["ביטול".to_string(), "מחיר".to_string()]
            .into_iter()
            .collect();
        let mut tokenizer = KashevTokenizer::new(Analyzer::new()).with_known_keys(Arc::new(known));
        let got = terms(&mut tokenizer, "והביטול מחיר הwifi");
        let want: Vec<(usize, String)> = vec![
            (0, "והביטול".into()),
            (0, "ביטול".into()),
            (1, "מחיר".into()),
            (2, "wifi".into()),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn a_real_index_finds_prefixed_forms_through_the_query_parser() {
        let known: HashSet<String> = ["ביטול".to_string()].into_iter().collect();
        let tokenizer = KashevTokenizer::new(Analyzer::new()).with_known_keys(Arc::new(known));
        let mut schema = Schema::builder();
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let text = schema.add_text_field(
            "text",
            TextOptions::default().set_indexing_options(indexing) | STORED,
        );
        let dir = tempfile::tempdir().unwrap();
        let index = Index::create_in_dir(dir.path(), schema.build()).unwrap();
        tokenizer.register(&index);
        let mut writer = index.writer::<TantivyDocument>(15_000_000).unwrap();
        writer
            .add_document(doc!(text => "הלקוח ביקש והביטול בוצע"))
            .unwrap();
        writer.add_document(doc!(text => "המחיר עלה שוב")).unwrap();
        writer
            .add_document(doc!(text => "The customer CANCELLED yesterday"))
            .unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let parser = QueryParser::for_index(&index, vec![text]);
        let count = |q: &str| {
            searcher
                .search(&parser.parse_query(q).unwrap(), &Count)
                .unwrap()
        };
        assert_eq!(count("ביטול"), 1);
        assert_eq!(count("חיר"), 0);
        assert_eq!(count("cancel"), 1);
        assert_eq!(count("cancelling"), 1);
    }
}
