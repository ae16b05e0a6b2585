//! What surrounds a hit: sentences, clauses and the modifiers that reach it.
//!
//! Built once per text from the tokens and the modifier hits, then asked about each sentiment,
//! complaint and churn hit: is it negated, boosted, in a question, in a conditional clause, before or
//! after a contrast word, inside a politeness formula?

use crate::analyze::{Analysis, Flags, Script, TokenKind};
use crate::lexicon::{Group, Hit, Lexicon, ModifierKind, WordMatch};

/// How many word tokens before a hit a negator, booster or diminisher reaches.
pub const SCOPE: usize = 3;

/// Fewer words than this stand between praise and an `ended` marker after it ("worked great for
/// years until last week": two).
const ENDED_AFTER: usize = 5;

/// Contrast words that open a concession ("although the agent was nice, …"): the clause they open is
/// weakened and the rest of the sentence strengthened. Every other contrast word ("but", "אבל")
/// weakens what came before it and strengthens what follows.
const CONCESSIVE: &[&str] = &[
    "although",
    "though",
    "despite",
    "while",
    "whilst",
    "even",
    "למרות",
    "אמנם",
    "אפ",
    "אפילו",
];

/// Whether a key is a conjunction that opens a reason or a consequence ("as", "because", "so",
/// "כי", "בגלל", "אז").
fn joiner(key: &str) -> bool {
    matches!(
        key,
        "as" | "because"
            | "since"
            | "cause"
            | "cuz"
            | "coz"
            | "so"
            | "כי"
            | "מכיוון"
            | "בגלל"
            | "אז"
    )
}

/// The subject pronoun or demonstrative a key is (with Hebrew ו, "and", glued on), numbered from
/// 1; 0 for none. When the subject a negator follows is said again after it ("זה לא שירות זה
/// עינוי", "it's not a bug it's a feature", "he didn't help he just hung up"), a new clause has
/// begun and the negation ends there, punctuation or not. "I" is not among them: in "I don't
/// think I'll stay" the second clause is what is negated.
fn subject_of(key: &str) -> u8 {
    let bare = key
        .strip_prefix('ו')
        .filter(|k| !k.is_empty())
        .unwrap_or(key);
    match bare {
        "זה" => 1,
        "זו" => 2,
        "זאת" => 3,
        "הוא" => 4,
        "היא" => 5,
        // Keys fold final letters.
        "המ" => 6,
        "הנ" => 7,
        _ if bare.len() != key.len() => 0,
        "it" => 8,
        "this" => 9,
        "that" => 10,
        "he" => 11,
        "she" => 12,
        "they" => 13,
        "we" => 14,
        _ => 0,
    }
}

/// A modifier hit, reduced to what the rules need.
#[derive(Debug, Clone, Copy)]
pub struct ModifierAt {
    pub kind: ModifierKind,
    pub weight: f32,
    /// First and one-past-last token.
    pub first: usize,
    pub last: usize,
    pub sentence: u32,
    pub clause: u32,
    pub start: usize,
    pub end: usize,
    /// How many word tokens ahead it reaches ([`SCOPE`]; 1 for the Hebrew prohibitive, which
    /// negates only the verb after it).
    pub reach: usize,
    /// A Hebrew word: as a booster or diminisher it may also follow the word it scales ("טוב
    /// מאוד"); an English one only precedes it ("rude so I left" is not "so rude").
    pub hebrew: bool,
    /// A negator of several words whose last word is no negation of its own ("לא הכי", "לא
    /// ממש", "not a single"): a hit that opens on that word is negated by it ("לא הכי טוב בארץ"),
    /// while one that opens on "לא" of "אף פעם לא" carries its own negation ("לא ביקשתי").
    pub open_tail: bool,
}

/// Words that negate alone: the last word of a negator ending in one of them belongs to the hit
/// that opens on it.
const NEGATION_WORDS: &[&str] = &["לא", "אין", "not", "no", "never", "nothing", "none"];

/// Sentences, clauses and modifiers of one text.
#[derive(Debug, Default)]
pub struct Context {
    /// Per token: its sentence number.
    pub sentence: Vec<u32>,
    /// Per token: its clause number (clauses end at commas, semicolons, dashes… and sentences).
    pub clause: Vec<u32>,
    /// Per token: whether it is a word-like token (not punctuation).
    pub wordlike: Vec<bool>,
    /// Per token: an English article, which a modifier's reach passes over ("wouldn't be such a
    /// bad idea" is three words from "n't" to "bad").
    pub article: Vec<bool>,
    /// Per token: the polarity of the sentiment, complaint or churn hit that starts at it (1 or −1;
    /// complaint and churn hits count as negative), 0 for none.
    pub hit_start: Vec<i8>,
    /// Per token: whether it is a coordinating "and" standing alone ("and", "&", "ו").
    pub and: Vec<bool>,
    /// Per token: the subject pronoun it is ([`subject_of`]), 0 for none; read only near a
    /// negator.
    pub subject: Vec<u8>,
    /// Per token: whether it is a conjunction that opens a reason or a consequence ([`joiner`]);
    /// read only just before a transaction.
    pub joiner: Vec<bool>,
    /// Per sentence: the clause its question mark ends (`u32::MAX` for none). Only that clause
    /// asks: in "I've had no internet for 3 days, when will it be fixed?" the outage is stated.
    pub question_clause: Vec<u32>,
    /// Per sentence: whether its question asks the clauses before its own too: a tag ("my
    /// contract ends next month, right?", "…, נכון?") or a sentence that opens with a condition
    /// ("אם אני מנייד את המספר, מה קורה עם היתרה?").
    pub asks_all: Vec<bool>,
    /// Per sentence: index of its first word-like token.
    pub sentence_first_word: Vec<usize>,
    /// The modifier hits, in text order.
    pub modifiers: Vec<ModifierAt>,
    /// Per token: the tokens of the non-modifier hit of more than one token that covers it, if any
    /// (a negator there belongs to that phrase, not to what follows it).
    pub in_phrase: Vec<Option<(usize, usize)>>,
    /// Exclamation marks in the text.
    pub exclamations: usize,
    /// Runs of punctuation that ask in indignation: `?!`, `!?`, `??`.
    pub indignant_questions: usize,
    /// Whether every Latin word of the text is in capitals (then capitals are not emphasis).
    pub all_caps_text: bool,
    /// Token spans of "no idea how" / "אין לכם מושג כמה": they intensify what follows, and a
    /// sentiment entry inside them counts for nothing.
    pub idea_spans: Vec<(usize, usize)>,
}

/// The strength of "no idea how" as a booster.
const IDEA_BOOST: f32 = 0.6;

/// The end of "no idea how" / "no clue what" / "אין לכם מושג כמה" when negator `first` opens
/// one: an intensifier of what follows ("you have no idea how frustrating this is", "אין לך מושג
/// כמה עזרת לי"), not a negation.
fn idea_how(analysis: &Analysis, first: usize) -> Option<usize> {
    let tokens = analysis.tokens();
    let key = |i: usize| tokens.get(i).map(|t| analysis.key(t));
    match key(first)? {
        // "no idea how to fix it" asks how, and intensifies nothing.
        "no" => (matches!(key(first + 1), Some("idea" | "clue"))
            && matches!(key(first + 2), Some("how" | "what"))
            && key(first + 3) != Some("to"))
        .then_some(first + 3),
        "אינ" => {
            let mut i = first + 1;
            if matches!(key(i), Some("לכ" | "לכמ" | "לו" | "לה" | "להמ" | "לכנ")) {
                i += 1;
            }
            if key(i) != Some("מושג") {
                return None;
            }
            match key(i + 1)? {
                "כמה" | "איזה" | "איזו" => Some(i + 2),
                "עד" if key(i + 2) == Some("כמה") => Some(i + 3),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether a Hebrew key reads as a second-person future verb, the form a prohibitive takes after
/// אל: ת and at least two more letters (תבטלו, תנתקי, תדאג; not the noun תל of "אל תל אביב").
fn prohibitive_verb(key: &str) -> bool {
    key.starts_with('ת') && key.chars().count() >= 3
}

/// Words that open a sentence as a discourse marker ("well", "ok") rather than say something
/// good, for [`Context::discourse_marker`].
const DISCOURSE: [&str; 3] = ["טוב", "fine", "בסדר"];

/// English verbs written in Hebrew letters that take "in" (אין, read אינ): log in, check in,
/// plug in, sign in.
const LOANWORDS_BEFORE_IN: [&str; 5] = ["לוג", "צ'ק", "צק", "פלאג", "סיין"];

/// Words that make a resolution one still awaited or hoped for ("supposed to be fixed", "until
/// it's resolved", "אמור להיות מטופל"), for [`Context::resolved_after`].
const AWAITING: [&str; 22] = [
    "to",
    "will",
    "would",
    "should",
    "supposed",
    "meant",
    "until",
    "till",
    "unless",
    "once",
    "hopefully",
    "hope",
    "expected",
    "expect",
    "wait",
    "waiting",
    "when",
    "אמור",
    "אמורה",
    "צריכ",
    "מקווה",
    "מחכה",
];

/// Words of a request or a wish: a resolution asked for is not one done, for
/// [`Context::resolved_after`].
const WANTING: [&str; 20] = [
    "want",
    "wants",
    "need",
    "needs",
    "please",
    "pls",
    "plz",
    "request",
    "requesting",
    "demand",
    "demanding",
    "רוצה",
    "רוצים",
    "מבקש",
    "מבקשת",
    "מבקשים",
    "אבקש",
    "נבקש",
    "דורש",
    "דורשת",
];

/// Words that make a resolution partial or temporary, for [`Context::resolved_after`].
const PARTLY: [&str; 8] = [
    "partially",
    "partly",
    "temporarily",
    "half",
    "חלקית",
    "זמנית",
    "לכאורה",
    "כביכול",
];

/// What "fixed" describes rather than repairs: a fixed line, a fixed price.
const FIXED_THINGS: [&str; 14] = [
    "line", "lines", "price", "prices", "rate", "rates", "term", "fee", "fees", "ip", "income",
    "amount", "cost", "costs",
];

/// Words after which a greeting or a wish describes instead: "it has been a good day", "what a
/// great weekend", "another good morning", "a pretty good day overall", "היה יום טוב", "איזה ערב
/// נעים", "עוד שבוע טוב".
const DESCRIBING: [&str; 26] = [
    "a",
    "an",
    "the",
    "this",
    "that",
    "such",
    "another",
    "very",
    "really",
    "pretty",
    "quite",
    "super",
    "fairly",
    "rather",
    "is",
    "was",
    "been",
    "היה",
    "היתה",
    "הייתה",
    "זה",
    "איזה",
    "עוד",
    "ממש",
    "באמת",
    "די",
];

/// Whether `key` is one of `words`, or a Hebrew prefix reading of it is ("שהנציג", "והלקוח").
fn names(key: &str, words: &[&str]) -> bool {
    words.contains(&key)
        || crate::analyze::hebrew::prefix_readings(key).any(|r| words.contains(&r.rest))
}

/// Words naming the customer in a note, for [`Context::by_customer`].
const CUSTOMER: [&str; 10] = [
    "לק'",
    "לקו'",
    "לקוח",
    "לקוחה",
    "cust",
    "customer",
    "cx",
    "client",
    "caller",
    "cstmr",
];

/// Words that may stand between the customer and what the customer did ("cust was very rude",
/// "לק' היה ממש גס רוח"), for [`Context::by_customer`].
const COPULAS: [&str; 18] = [
    "was",
    "is",
    "got",
    "became",
    "been",
    "very",
    "so",
    "really",
    "extremely",
    "being",
    "היה",
    "הייתה",
    "היתה",
    "נהיה",
    "נהייתה",
    "ממש",
    "מאוד",
    "נורא",
];

/// Words naming the agent or the company's people, for [`Context::by_customer`].
const AGENT: [&str; 14] = [
    "נציג",
    "נציגה",
    "נ\"ש",
    "טכנאי",
    "טכנאית",
    "מנהל",
    "agent",
    "rep",
    "representative",
    "tech",
    "technician",
    "advisor",
    "staff",
    "manager",
];

/// Words that ask why, for [`Context::asks_why`].
const WHY: [&str; 3] = ["why", "למה", "מדוע"];

/// Hebrew question words that never open a free relative: "למה שאני אשלם" asks ("why should I
/// pay"), as "מה שקרה" does not.
const ASKING_ONLY: [&str; 3] = ["למה", "מדוע", "האם"];

/// Whether a Hebrew key opens the clause of a free relative after a question word ("מה שקרה זה
/// ש…", "מה שאני רוצה זה לבטל", "איך שהתחלתי לדבר"): ש with the article or a verb's ה, a
/// pronoun, or קרה. A question word so followed opens a statement, not a question. Words whose
/// own root begins with ש ("מה שלחתם", "איך שומרים") are not matched.
fn relative_clause(key: &str) -> bool {
    key.strip_prefix('ש').is_some_and(|rest| {
        rest.chars().count() >= 2
            && (rest.starts_with('ה')
                || ["אני", "את", "אנחנו", "קרה"]
                    .iter()
                    .any(|p| rest.starts_with(p)))
    })
}

fn sentence_end(key: &str) -> bool {
    key.starts_with(['.', '!', '?', '…', ';']) || key.starts_with('\u{05C3}')
}

fn clause_end(key: &str) -> bool {
    sentence_end(key) || key.starts_with([',', ':', '(', ')', '[', ']', '–', '—', '/', '"', '|'])
}

/// Subjects beside [`subject_of`]'s after which a sentence-opening "no" is an answer, not a
/// negator ("no I'm not happy", "no you're wrong").
const ANSWERED_SUBJECTS: [&str; 7] = ["its", "i", "im", "you", "youre", "there", "thats"];

/// A hyphen with spaces on both sides is a dash: "no change - cust still hasn't received refund".
fn spaced_dash(text: &str, tok: &crate::analyze::Token, key: &str) -> bool {
    key.bytes().all(|b| b == b'-')
        && text[..tok.start].ends_with(char::is_whitespace)
        && text[tok.end..].starts_with(char::is_whitespace)
}

impl Context {
    /// Rebuilds the context for `text`, reusing the buffers.
    pub fn rebuild(&mut self, text: &str, analysis: &Analysis, hits: &[Hit], lexicon: &Lexicon) {
        let n = analysis.len();
        let ctx = self;
        ctx.sentence.clear();
        ctx.clause.clear();
        ctx.wordlike.clear();
        ctx.article.clear();
        ctx.hit_start.clear();
        ctx.hit_start.resize(n, 0);
        ctx.and.clear();
        ctx.subject.clear();
        ctx.joiner.clear();
        ctx.in_phrase.clear();
        ctx.in_phrase.resize(n, None);
        ctx.question_clause.clear();
        ctx.sentence_first_word.clear();
        ctx.modifiers.clear();
        ctx.idea_spans.clear();
        ctx.exclamations = 0;
        ctx.indignant_questions = 0;
        ctx.all_caps_text = false;
        let (mut sentence, mut clause) = (0u32, 0u32);
        let mut sentence_has_words = false;
        let mut prev_end = 0usize;
        let (mut latin_words, mut caps_words) = (0usize, 0usize);
        ctx.question_clause.push(u32::MAX);
        ctx.sentence_first_word.push(usize::MAX);
        for (i, tok) in analysis.tokens().iter().enumerate() {
            // A line break ends a sentence: agent notes are often one fact per line.
            if i > 0 && text[prev_end..tok.start].contains('\n') && sentence_has_words {
                sentence += 1;
                clause += 1;
                sentence_has_words = false;
                ctx.question_clause.push(u32::MAX);
                ctx.sentence_first_word.push(usize::MAX);
            }
            prev_end = tok.end;
            ctx.sentence.push(sentence);
            ctx.clause.push(clause);
            let is_word = tok.kind != TokenKind::Punct;
            ctx.wordlike.push(is_word);
            let key = analysis.key(tok);
            ctx.article.push(matches!(key, "a" | "an" | "the"));
            ctx.and
                .push(is_word && matches!(key, "and" | "ו") || key == "&");
            if is_word {
                if ctx.sentence_first_word[sentence as usize] == usize::MAX {
                    ctx.sentence_first_word[sentence as usize] = i;
                }
                sentence_has_words = true;
                if tok.script == crate::analyze::Script::Latin && tok.kind == TokenKind::Word {
                    latin_words += 1;
                    if tok.flags.contains(Flags::ALL_CAPS) {
                        caps_words += 1;
                    }
                }
                continue;
            }
            ctx.exclamations += key.matches('!').count();
            let next_key = analysis
                .tokens()
                .get(i + 1)
                .filter(|n| n.start == tok.end)
                .map(|n| analysis.key(n));
            if key.starts_with("??")
                || (key.starts_with('?') && next_key.is_some_and(|k| k.starts_with('!')))
                || (key.starts_with('!') && next_key.is_some_and(|k| k.starts_with('?')))
            {
                ctx.indignant_questions += 1;
            }
            if key.contains('?') {
                ctx.question_clause[sentence as usize] = clause;
            }
            if sentence_end(key) {
                if sentence_has_words {
                    sentence += 1;
                    sentence_has_words = false;
                    ctx.question_clause.push(u32::MAX);
                    ctx.sentence_first_word.push(usize::MAX);
                }
                clause += 1;
            } else if clause_end(key) || spaced_dash(text, tok, key) {
                clause += 1;
            }
        }
        ctx.all_caps_text = latin_words >= 2 && caps_words == latin_words;
        for hit in hits {
            let entry = lexicon.entry(hit.entry);
            if hit.group == Group::Modifier {
                let tokens = analysis.tokens();
                let opener = &tokens[hit.tokens.start];
                let free_relative = entry.modifier() == Some(ModifierKind::Question)
                    && opener.script == Script::Hebrew
                    && !ASKING_ONLY
                        .iter()
                        .any(|w| analysis.key(opener).ends_with(w))
                    && tokens.get(hit.tokens.end).is_some_and(|next| {
                        next.kind == TokenKind::Word
                            && next.script == Script::Hebrew
                            && relative_clause(analysis.key(next))
                    });
                // אין after an English verb written in Hebrew letters is "in": "לוג אין", "צ'ק
                // אין", "פלאג אין" negate nothing.
                let loanword_in = entry.modifier() == Some(ModifierKind::Negator)
                    && analysis.key(opener) == "אינ"
                    && hit.tokens.start > 0
                    && LOANWORDS_BEFORE_IN.contains(&analysis.key(&tokens[hit.tokens.start - 1]));
                // A formula after a describing word is a description: "has been a good day".
                let described = entry.modifier() == Some(ModifierKind::Politeness)
                    && hit.tokens.start > 0
                    && DESCRIBING.contains(&analysis.key(&tokens[hit.tokens.start - 1]));
                // "I have yet to receive", "is yet to arrive": not yet, no contrast.
                let not_yet = entry.modifier() == Some(ModifierKind::Contrast)
                    && analysis.key(opener) == "yet"
                    && tokens
                        .get(hit.tokens.end)
                        .is_some_and(|next| analysis.key(next) == "to");
                // "no" opening a sentence before a subject answers: "no that's rubbish", "no it's
                // terrible" (not "no signal").
                let answer_no = entry.modifier() == Some(ModifierKind::Negator)
                    && hit.tokens.len() == 1
                    && analysis.key(opener) == "no"
                    && ctx.sentence.get(hit.tokens.start).is_some_and(|&s| {
                        ctx.sentence_first_word.get(s as usize) == Some(&hit.tokens.start)
                    })
                    && tokens.get(hit.tokens.end).is_some_and(|next| {
                        let key = analysis.key(next);
                        next.kind == TokenKind::Word
                            && (subject_of(key) != 0 || ANSWERED_SUBJECTS.contains(&key))
                    });
                if free_relative || loanword_in || described || not_yet || answer_no {
                    continue;
                }
                if let Some(kind) = entry.modifier() {
                    // A negator opening "no idea how" boosts over its words instead.
                    let idea = (kind == ModifierKind::Negator)
                        .then(|| idea_how(analysis, hit.tokens.start))
                        .flatten();
                    let (kind, weight, last, end) = match idea {
                        Some(last) => {
                            ctx.idea_spans.push((hit.tokens.start, last));
                            (
                                ModifierKind::Booster,
                                IDEA_BOOST,
                                last,
                                tokens[last - 1].end,
                            )
                        }
                        None => (kind, entry.weight(), hit.tokens.end, hit.end),
                    };
                    ctx.modifiers.push(ModifierAt {
                        kind,
                        weight,
                        first: hit.tokens.start,
                        last,
                        sentence: ctx.sentence.get(hit.tokens.start).copied().unwrap_or(0),
                        clause: ctx.clause.get(hit.tokens.start).copied().unwrap_or(0),
                        start: hit.start,
                        end,
                        reach: SCOPE,
                        hebrew: analysis.tokens()[hit.tokens.start].script == Script::Hebrew,
                        open_tail: kind == ModifierKind::Negator
                            && hit.tokens.len() > 1
                            && !NEGATION_WORDS
                                .contains(&analysis.key(&analysis.tokens()[hit.tokens.end - 1])),
                    });
                }
            } else {
                if let Some(start) = ctx.hit_start.get_mut(hit.tokens.start) {
                    *start = if hit.group == Group::Sentiment && entry.weight() > 0.0 {
                        1
                    } else {
                        -1
                    };
                }
                if hit.tokens.len() > 1 {
                    for owner in &mut ctx.in_phrase[hit.tokens.clone()] {
                        owner.get_or_insert((hit.tokens.start, hit.tokens.end));
                    }
                }
            }
        }
        // Split contractions are negators whether or not the lexicon lists "not".
        let tokens = analysis.tokens();
        for (i, tok) in tokens.iter().enumerate() {
            if tok.flags.contains(Flags::NEGATOR) {
                ctx.add_negator(i, tok, SCOPE);
            }
        }
        // The Hebrew prohibitive: אל before a second-person future verb ("אל תבטלו", "אל תנתקו
        // אותי") is "don't" for what that verb opens, whether or not the lexicon lists it (as a
        // preposition, "to", it is not a negator). It reaches no further: in "אל תדאג אוהבים
        // אותך" the love is not negated.
        let hebrew_word =
            |t: &crate::analyze::Token| t.kind == TokenKind::Word && t.script == Script::Hebrew;
        for (i, pair) in tokens.windows(2).enumerate() {
            let (tok, next) = (&pair[0], &pair[1]);
            if hebrew_word(tok)
                && hebrew_word(next)
                && analysis.key(tok) == "אל"
                && prohibitive_verb(analysis.key(next))
            {
                ctx.add_negator(i, tok, 1);
            }
        }
        ctx.modifiers.sort_by_key(|m| m.first);
        ctx.asks_all.clear();
        for (s, &asked) in ctx.question_clause.iter().enumerate() {
            let all = asked != u32::MAX && {
                let opener = ctx.sentence_first_word[s];
                let tag = (opener.min(n)..n)
                    .take_while(|&i| ctx.clause[i] <= asked)
                    .filter(|&i| ctx.clause[i] == asked && ctx.wordlike[i])
                    .count()
                    <= 2;
                tag || ctx.modifiers.iter().any(|m| {
                    m.kind == ModifierKind::Conditional
                        && m.sentence as usize == s
                        && m.first <= opener.saturating_add(1)
                })
            };
            ctx.asks_all.push(all);
        }
        // Subjects matter only around a negator, conjunctions only just before a transaction:
        // only those windows are compared (the rest of each table stays 0 / false).
        ctx.subject.resize(n, 0);
        ctx.joiner.resize(n, false);
        let word_key = |i: usize| {
            let tok = &tokens[i];
            let key = analysis.key(tok);
            // Every word looked for is short: longer keys are skipped without a comparison.
            (tok.kind != TokenKind::Punct && key.len() <= 12).then_some(key)
        };
        for m in &ctx.modifiers {
            match m.kind {
                ModifierKind::Negator => {
                    for i in m.first.saturating_sub(3)..(m.last + SCOPE + 3).min(n) {
                        ctx.subject[i] = word_key(i).map_or(0, subject_of);
                    }
                }
                ModifierKind::Transaction => {
                    for i in m.first.saturating_sub(6)..m.first {
                        ctx.joiner[i] = word_key(i).is_some_and(joiner);
                    }
                }
                _ => {}
            }
        }
    }

    /// Adds token `i` as a negator reaching `reach` words, unless a negator already covers it, or
    /// a booster or diminisher idiom that opens with a negator ("can't believe", "couldn't be
    /// more": the idiom affirms what follows).
    fn add_negator(&mut self, i: usize, tok: &crate::analyze::Token, reach: usize) {
        if self.modifiers.iter().any(|m| {
            matches!(
                m.kind,
                ModifierKind::Negator | ModifierKind::Booster | ModifierKind::Diminisher
            ) && m.first <= i
                && i < m.last
        }) {
            return;
        }
        self.modifiers.push(ModifierAt {
            kind: ModifierKind::Negator,
            weight: 1.0,
            first: i,
            last: i + 1,
            sentence: self.sentence[i],
            clause: self.clause[i],
            start: tok.start,
            end: tok.end,
            reach,
            hebrew: tok.script == Script::Hebrew,
            open_tail: false,
        });
    }

    /// Whether a hit at token `first` lies inside a longer phrase that itself opens with a negator
    /// ("no complaints", "אין בעיה"): then the phrase, not the hit, carries the meaning.
    pub fn inside_negated_phrase(&self, first: usize) -> bool {
        let Some((a, _)) = self.in_phrase.get(first).copied().flatten() else {
            return false;
        };
        a < first
            && self
                .modifiers
                .iter()
                .any(|m| m.kind == ModifierKind::Negator && m.first >= a && m.last <= first)
    }

    /// Whether a negator stands in the gap of `hit`, among the words its entry lets in between its
    /// own ("the agent was not rude" for `agent was rude`, gap=2): the phrase is negated as if the
    /// negator stood before it. A negator that is one of the entry's words ("charges that aren't
    /// mine") is the entry's own.
    pub fn negated_in_gap(&self, hit: &Hit, words: &[WordMatch]) -> bool {
        self.modifiers.iter().any(|m| {
            m.kind == ModifierKind::Negator
                && m.first > hit.tokens.start
                && m.last <= hit.tokens.end
                && (m.first..m.last).all(|t| words.iter().all(|w| w.token != t))
        })
    }

    /// Modifiers of `kind` that end before token `first`, in the same clause, within their reach
    /// ([`SCOPE`] word tokens for most), nearest first, with their distance in word tokens
    /// (1 = adjacent). A negator with an open tail ([`ModifierAt::open_tail`]) may also end inside
    /// the hit, as long as it starts before it: "לא הכי" negates "הכי טוב בארץ" (distance 1).
    fn before(
        &self,
        kind: ModifierKind,
        first: usize,
    ) -> impl Iterator<Item = (&ModifierAt, usize)> {
        let clause = self.clause.get(first).copied();
        self.modifiers
            .iter()
            .rev()
            .filter(move |m| {
                m.kind == kind
                    && (m.last <= first || m.open_tail && m.first < first)
                    && Some(m.clause) == clause
            })
            .filter_map(move |m| {
                let distance = (m.last..first)
                    .filter(|&i| self.wordlike[i] && !self.article[i])
                    .count()
                    + 1;
                (distance <= m.reach).then_some((m, distance))
            })
    }

    /// Whether a hit starting at token `first` is negated: a negator within [`SCOPE`] word tokens
    /// before it, in its clause, not part of another phrase, and no contrast word between them
    /// (nor one that opens the hit: "לא חזר ללק' למרות שהובטח", "not fixed although promised").
    /// Several negators negate once (Hebrew negative concord: "לא קיבלתי שום תשובה").
    pub fn negated(&self, first: usize) -> Option<&ModifierAt> {
        self.negated_joined(first, 0, false)
    }

    /// As [`Context::negated`], for a hit of polarity `sign` (1 or −1) that may be joined to what
    /// precedes it by "and" glued to its first word (Hebrew ו: `joined`). A negator does not reach
    /// past "and" after a hit of the other polarity: in "לא מרוצה ומאוכזב" / "not happy and
    /// disappointed" only the first is negated, while "not fast and reliable" is neither.
    ///
    /// A hit that opens with a negator of its own ("לא ייתכן", "כבר לא יודע מה לעשות", "not worth
    /// it") carries its negation in the entry, and is never negated again: a negator a few words
    /// before it belongs to what it negates there ("זה כבר לא הפעם הראשונה לא ייתכן", "בלי שירות
    /// אני כבר לא יודע מה לעשות").
    pub fn negated_joined(&self, first: usize, sign: i8, joined: bool) -> Option<&ModifierAt> {
        if self
            .modifiers
            .iter()
            .any(|m| m.kind == ModifierKind::Negator && m.first == first)
        {
            return None;
        }
        let inside = |i: usize| self.in_phrase[i].is_some_and(|(a, b)| !(a <= first && first < b));
        self.before(ModifierKind::Negator, first)
            .map(|(m, _)| m)
            .find(|m| {
                !(m.first..m.last).all(inside)
                    && !self.modifiers.iter().any(|c| {
                        c.kind == ModifierKind::Contrast && c.first >= m.last && c.first <= first
                    })
                    && !self.subject_again(m, first)
            })
            .filter(|m| !self.coordinated_after_hit(m.last, first, sign, joined))
    }

    /// Whether negator `m` forbids: the Hebrew prohibitive (אל before a second-person future verb)
    /// or an English "do not" that opens its sentence ("don't worry", "do not hesitate").
    pub fn prohibitive(&self, m: &ModifierAt, analysis: &Analysis) -> bool {
        let tokens = analysis.tokens();
        if m.hebrew {
            return analysis.key(&tokens[m.first]) == "אל";
        }
        let opener = self.sentence_first_word[m.sentence as usize];
        m.first == opener + 1
            && analysis.key(&tokens[opener]) == "do"
            && analysis.key(&tokens[m.first]) == "not"
    }

    /// Whether the hit at `first` follows a forbidden "be": "אל תהיו עצובים", "אל תהיה חצוף".
    pub fn after_prohibited_be(&self, first: usize, analysis: &Analysis) -> bool {
        let tokens = analysis.tokens();
        first >= 2
            && analysis.key(&tokens[first - 2]) == "אל"
            && matches!(
                analysis.key(&tokens[first - 1]),
                "תהיה" | "תהיי" | "תהיו" | "תהיינה"
            )
    }

    /// Whether negator `m` opens a rhetorical question about the hit at `first`, which then asserts
    /// what it seems to deny: "לא חבל?", "זה לא מגוחך?", "isn't it ridiculous?", "aren't you
    /// ashamed?", "wasn't that great?". The negator opens the question's sentence, after at most a
    /// subject (Hebrew) or a form of "be" (English, with at most a subject between the negator and
    /// the hit). Other negated questions ask: "didn't you get my e-mail?", "don't you care?".
    pub fn rhetorical(&self, m: &ModifierAt, first: usize, analysis: &Analysis) -> bool {
        let Some(&s) = self.sentence.get(first) else {
            return false;
        };
        if m.sentence != s || !self.question(first) {
            return false;
        }
        let tokens = analysis.tokens();
        let opener = self.sentence_first_word[s as usize];
        // The first two word keys of a range.
        let two = |range: std::ops::Range<usize>| {
            let mut keys = range
                .filter(|&i| self.wordlike[i])
                .map(|i| analysis.key(&tokens[i]));
            (keys.next(), keys.next())
        };
        match (two(opener..m.first), two(m.last..first)) {
            ((None, _), (None, _)) => m.hebrew,
            ((Some(w), None), (None, _)) if m.hebrew => {
                subject_of(w) != 0 || matches!(w, "אתמ" | "אתה" | "את" | "אתנ")
            }
            ((Some(aux), None), (subject, None)) if !m.hebrew => {
                matches!(aux, "is" | "are" | "was" | "were")
                    && subject.is_none_or(|w| subject_of(w) != 0 || w == "you")
            }
            _ => false,
        }
    }

    /// Whether the subject of negator `m` (a [`subject_of`] word among the two words before it, in
    /// its clause: "זה לא", "it's not", "this is not") is said again before token `first` or at it.
    fn subject_again(&self, m: &ModifierAt, first: usize) -> bool {
        let subject = (0..m.first)
            .rev()
            .take_while(|&i| self.clause[i] == m.clause)
            .filter(|&i| self.wordlike[i])
            .take(2)
            .map(|i| self.subject[i])
            .find(|&s| s != 0);
        subject.is_some_and(|s| (m.last..=first).any(|j| self.subject.get(j) == Some(&s)))
    }

    /// Whether a hit of the polarity opposite to `sign` starts in `from..to` and an "and" follows
    /// it before `to` (or `joined`: the token at `to` carries its own ו).
    fn coordinated_after_hit(&self, from: usize, to: usize, sign: i8, joined: bool) -> bool {
        sign != 0
            && (from..to)
                .any(|j| self.hit_start[j] == -sign && (joined || (j + 1..to).any(|k| self.and[k])))
    }

    /// The nearest booster or diminisher before the hit (or a Hebrew one right after it: Hebrew puts
    /// מאוד after the adjective), as a multiplier on the hit's magnitude, with the modifier's tokens.
    pub fn intensity(
        &self,
        first: usize,
        last: usize,
    ) -> Option<(f32, ModifierKind, (usize, usize))> {
        let decay = |d: usize| 1.0 - 0.05 * (d as f32 - 1.0);
        let before = [ModifierKind::Booster, ModifierKind::Diminisher]
            .into_iter()
            .filter_map(|kind| self.before(kind, first).next().map(|(m, d)| (m, d, kind)))
            .min_by_key(|(_, d, _)| *d);
        let after = self.modifiers.iter().find(|m| {
            matches!(m.kind, ModifierKind::Booster | ModifierKind::Diminisher)
                && m.hebrew
                && m.first == last
                && self.clause.get(last) == self.clause.get(first)
        });
        let (m, distance, kind) = match (before, after) {
            (Some(b), _) => b,
            (None, Some(a)) => (a, 1, a.kind),
            (None, None) => return None,
        };
        let factor = match kind {
            ModifierKind::Booster => 1.0 + 0.4 * m.weight * decay(distance),
            _ => 1.0 - 0.5 * m.weight * decay(distance),
        };
        Some((factor, kind, (m.first, m.last)))
    }

    /// Whether token `first` is in a question: its clause ends with `?` (the last clause of its
    /// sentence; the whole sentence for a tag question or one that opens with a condition), or a
    /// question entry opens the sentence (within its first two tokens) before the hit. A Hebrew
    /// question word that opens a free relative ([`relative_clause`]) was never made a modifier.
    pub fn question(&self, first: usize) -> bool {
        let Some(&s) = self.sentence.get(first) else {
            return false;
        };
        let asked = self.question_clause[s as usize];
        if asked == self.clause[first] || (self.clause[first] < asked && self.asks_all[s as usize])
        {
            return true;
        }
        let opener = self.sentence_first_word[s as usize];
        self.modifiers.iter().any(|m| {
            m.kind == ModifierKind::Question
                && m.sentence == s
                && m.last <= first
                && m.first <= opener.saturating_add(1)
        })
    }

    /// Whether a hit on `tokens` signs off a message that asked something: it stands in the last
    /// sentence with at most two other words ("Thanks, Noah", "OK, thanks", "תודה, עמית"), and an
    /// earlier sentence asks ("…when my minimum term ends? Thanks, Amit"). Thanks closing a
    /// message that only tells ("Very useful. Thanks!") are sincere.
    pub fn signs_off_a_question(&self, tokens: std::ops::Range<usize>) -> bool {
        let Some(&s) = self.sentence.get(tokens.start) else {
            return false;
        };
        let n = self.sentence.len();
        let in_sentence = |i: &usize| self.sentence[*i] == s && self.wordlike[*i];
        let last = (0..n)
            .rev()
            .find(|&i| self.wordlike[i])
            .map(|i| self.sentence[i]);
        last == Some(s)
            && (0..tokens.start).filter(in_sentence).count()
                + (tokens.end..n).filter(in_sentence).count()
                <= 2
            && (0..s as usize).any(|t| self.question_clause.get(t).is_some_and(|&q| q != u32::MAX))
    }

    /// Whether the text says, after token `end`, that what went wrong was put right: a `resolved`
    /// marker ("fixed", "זוכה") that no negator governs, stated rather than asked, hoped for,
    /// awaited ("should be fixed by Friday", "until it's resolved", "מחכה שיתוקן") or requested
    /// ("would like the duplicate payment refunded"), and not a "fixed line" or a "fixed price".
    pub fn resolved_after(&self, end: usize, analysis: &Analysis) -> bool {
        self.modifiers
            .iter()
            .any(|m| m.kind == ModifierKind::Resolved && m.first >= end && self.done(m, analysis))
    }

    /// Whether a resolution marker stands just before token `first`, as the verb of what went
    /// wrong, in its clause with at most three words between: "they refunded the double charge",
    /// "זיכו אותי על החיוב הכפול", "the technician fixed the fault", on the same terms as
    /// [`Context::resolved_after`].
    pub fn resolved_before(&self, first: usize, analysis: &Analysis) -> bool {
        self.modifiers.iter().any(|m| {
            m.kind == ModifierKind::Resolved
                && m.last <= first
                && self.clause.get(first) == Some(&m.clause)
                && (m.last..first).filter(|&i| self.wordlike[i]).count() <= 3
                // "my salary got credited but bank deducted it": another act, not the fix's object.
                && !(m.last..first).any(|i| self.and[i])
                && !self
                    .modifiers
                    .iter()
                    .any(|c| c.kind == ModifierKind::Contrast && m.last <= c.first && c.first < first)
                && self.done(m, analysis)
        })
    }

    /// Whether resolution marker `m` says the thing was put right: see
    /// [`Context::resolved_after`].
    fn done(&self, m: &ModifierAt, analysis: &Analysis) -> bool {
        let tokens = analysis.tokens();
        let key = |i: usize| analysis.key(&tokens[i]);
        // "managed to get it fixed", "took three calls to get it sorted": done, not awaited.
        let got_it_done = |i: usize| {
            key(i) == "to"
                && i > 0
                && matches!(
                    key(i - 1),
                    "managed" | "able" | "calls" | "call" | "tries" | "weeks" | "days"
                )
        };
        {
            self.negated(m.first).is_none()
                && !self.question(m.first)
                && !self.in_condition(m.first)
                && !(0..m.first)
                    .rev()
                    .take_while(|&i| self.clause[i] == m.clause)
                    .filter(|&i| self.wordlike[i])
                    .take(3)
                    .any(|i| AWAITING.contains(&key(i)) && !got_it_done(i))
                // "would like the duplicate payment refunded", "אבקש שהחיוב יזוכה": asked for.
                && !(0..m.first)
                    .rev()
                    .take_while(|&i| self.clause[i] == m.clause)
                    .filter(|&i| self.wordlike[i])
                    .take(5)
                    .any(|i| {
                        WANTING.contains(&key(i))
                            || key(i) == "like" && i > 0 && matches!(key(i - 1), "would" | "'d" | "d")
                    })
                && !(m.last < tokens.len()
                    && key(m.first) == "fixed"
                    && FIXED_THINGS.contains(&key(m.last)))
                // "נפתר חלקית", "partially fixed", "temporarily restored": not put right.
                && ![m.first.checked_sub(1), Some(m.last)]
                    .into_iter()
                    .flatten()
                    .filter(|&i| i < tokens.len())
                    .any(|i| PARTLY.contains(&key(i)))
        }
    }

    /// Whether tokens `first..last` lie inside a longer `resolved` marker, as its own words.
    pub fn inside_resolution(&self, first: usize, last: usize) -> bool {
        self.modifiers.iter().any(|m| {
            m.kind == ModifierKind::Resolved
                && m.first <= first
                && last <= m.last
                && m.last - m.first > last - first
        })
    }

    /// Whether the text says, after token `end`, that the customer stays: a `retained` marker
    /// ("החליט להישאר", "decided to stay") that no negator governs.
    pub fn retained_after(&self, end: usize) -> bool {
        self.modifiers.iter().any(|m| {
            m.kind == ModifierKind::Retained && m.first >= end && self.negated(m.first).is_none()
        })
    }

    /// Whether a hit on tokens `first..last` describes a state that is over: a `formerly` marker
    /// ends at most [`SCOPE`] words before it ("used to be great", "פעם היה פה שירות טוב"), or an
    /// `ended` marker starts fewer than [`ENDED_AFTER`] words after it ("worked fine for years
    /// until last week", "עבד מצוין עד אתמול"), in its clause or opening the next one ("it was
    /// great, until yesterday"; but not "I'm happy, I used to hate it").
    pub fn ended(&self, first: usize, last: usize) -> bool {
        if self.before(ModifierKind::Formerly, first).next().is_some() {
            return true;
        }
        let (Some(&clause), Some(&sentence)) = (self.clause.get(first), self.sentence.get(first))
        else {
            return false;
        };
        let opens_next_clause = |m: &ModifierAt| {
            m.clause == clause + 1
                && m.sentence == sentence
                && (0..m.first)
                    .rev()
                    .take_while(|&i| self.clause[i] == m.clause)
                    .all(|i| !self.wordlike[i])
        };
        self.modifiers.iter().any(|m| {
            m.kind == ModifierKind::Ended
                && m.first >= last
                && (m.clause == clause || opens_next_clause(m))
                && (last..m.first).filter(|&i| self.wordlike[i]).count() < ENDED_AFTER
        })
    }

    /// Whether the customer is the subject of a hit starting at token `first`: a word naming the
    /// customer ([`CUSTOMER`]) right before it, or with at most two [`COPULAS`] between, in its
    /// clause; the hit not opening with a word naming the agent ([`AGENT`]); and not "customer
    /// service" ("לק' ניתק את השיחה", "cust was very rude"; but "cust complaining about rude
    /// agent", "cust says the agent was rude").
    pub fn by_customer(&self, first: usize, analysis: &Analysis) -> bool {
        let tokens = analysis.tokens();
        let key = |i: usize| analysis.key(&tokens[i]);
        let Some(&clause) = self.clause.get(first) else {
            return false;
        };
        if names(key(first), &AGENT) {
            return false;
        }
        let mut words = 0;
        for i in (0..first).rev() {
            if self.clause[i] != clause {
                return false;
            }
            if !self.wordlike[i] {
                continue;
            }
            if names(key(i), &CUSTOMER) {
                let service = tokens.get(i + 1).is_some_and(|t| {
                    matches!(
                        analysis.key(t),
                        "service" | "support" | "care" | "experience"
                    )
                });
                return !service;
            }
            // Only a copula or an intensifier may stand between them: in "cust complaining about
            // rude agent" the customer reports, the agent did it.
            if !COPULAS.contains(&key(i)) {
                return false;
            }
            words += 1;
            if words > 2 {
                return false;
            }
        }
        false
    }

    /// Whether a hit on tokens `first..last` is a discourse marker: one of [`DISCOURSE`], the
    /// first word of its sentence, a comma right after it and at least two more words in the
    /// sentence ("טוב, נחכה ונראה", "Fine, cancel it then."; but "טוב, תודה" is still content).
    pub fn discourse_marker(&self, first: usize, last: usize, analysis: &Analysis) -> bool {
        let tokens = analysis.tokens();
        let Some(&s) = self.sentence.get(first) else {
            return false;
        };
        last == first + 1
            && self.sentence_first_word[s as usize] == first
            && DISCOURSE.contains(&analysis.key(&tokens[first]))
            && tokens
                .get(last)
                .is_some_and(|t| analysis.key(t).starts_with(','))
            && (last + 1..tokens.len())
                .take_while(|&i| self.sentence[i] == s)
                .filter(|&i| self.wordlike[i])
                .count()
                >= 2
    }

    /// Whether a word asking why ("why", "how come", "למה", "מדוע", also with ו: "ולמה") stands
    /// before token `first` in its sentence.
    pub fn asks_why(&self, first: usize, analysis: &Analysis) -> bool {
        let Some(&s) = self.sentence.get(first) else {
            return false;
        };
        let tokens = analysis.tokens();
        // The hit may open with the question word itself ("למה אני משלם").
        (0..=first)
            .rev()
            .take_while(|&i| self.sentence[i] == s)
            .any(|i| {
                let key = analysis.key(&tokens[i]);
                let key = key.strip_prefix('ו').unwrap_or(key);
                WHY.contains(&key)
                    || (key == "come" && i > 0 && analysis.key(&tokens[i - 1]) == "how")
            })
    }

    /// The conditional marker governing token `first`: one earlier in its sentence.
    pub fn conditional(&self, first: usize) -> Option<&ModifierAt> {
        let s = *self.sentence.get(first)?;
        self.modifiers
            .iter()
            .find(|m| m.kind == ModifierKind::Conditional && m.sentence == s && m.last <= first)
    }

    /// Whether the hit is in the conditional clause itself (the "if" part): same clause as the marker.
    pub fn in_condition(&self, first: usize) -> bool {
        self.conditional(first)
            .is_some_and(|m| Some(&m.clause) == self.clause.get(first))
    }

    /// The contrast factor for a sentiment hit at token `first`: < 1 before "but" (or inside an
    /// "although" clause), > 1 after it.
    pub fn contrast(&self, first: usize, analysis: &Analysis) -> Option<f32> {
        let s = *self.sentence.get(first)?;
        let clause = self.clause[first];
        let mut factor = None;
        for m in self
            .modifiers
            .iter()
            .filter(|m| m.kind == ModifierKind::Contrast)
        {
            let shift = 0.5 * m.weight;
            let opener = self.sentence_first_word[m.sentence as usize] == m.first;
            let key = analysis.key(&analysis.tokens()[m.first]);
            let concessive = opener && CONCESSIVE.contains(&key);
            let f = if concessive {
                if m.sentence != s || first < m.last {
                    continue;
                }
                if clause == m.clause {
                    1.0 - shift
                } else {
                    1.0 + shift
                }
            } else if first >= m.first {
                // A hit that opens on the contrast word belongs to the clause it opens ("still no
                // fix").
                1.0 + shift
            } else {
                1.0 - shift
            };
            factor = Some(f);
            if first < m.first {
                break;
            }
        }
        factor
    }

    /// Whether a transaction word (an order, a payment, an appointment, a newsletter) is the object
    /// of a hit on tokens `first..last`: inside it, within three words after it, or right before
    /// it ("order cancellation"), in the same clause.
    pub fn transaction_object(&self, first: usize, last: usize) -> bool {
        let Some(&clause) = self.clause.get(first) else {
            return false;
        };
        self.modifiers.iter().any(|m| {
            if m.kind != ModifierKind::Transaction || m.clause != clause {
                return false;
            }
            let inside = m.first >= first && m.last <= last;
            // "cancel my order", but not "cancel acct as tech appt missed", "cancel my account
            // and the upgrade…": a conjunction between them opens another clause.
            let after = m.first >= last
                && (last..m.first).filter(|&i| self.wordlike[i]).count() <= 3
                && !(last..m.first).any(|i| self.and[i] || self.joiner[i]);
            // "payment cancel" in a note, but not "cancelling my direct debit and closing my
            // account".
            let before = m.last <= first
                && (m.last..first).filter(|&i| self.wordlike[i]).count() <= 1
                && !(m.last..first).any(|i| self.and[i] || self.joiner[i]);
            inside || after || before
        })
    }

    /// Whether a switch or porting hit on tokens `first..last` is towards the company written to
    /// ("לנייד את המספר אליכם", "port my number to you", "switching to you guys from Verizon"): a
    /// customer joining, not leaving. "To you" must stand inside the hit or within five words
    /// after it, in its clause.
    pub fn inbound(&self, analysis: &Analysis, first: usize, last: usize) -> bool {
        let tokens = analysis.tokens();
        let Some(&clause) = self.clause.get(first) else {
            return false;
        };
        let mut words_after = 0;
        let mut i = first;
        while i < tokens.len() && self.clause[i] == clause {
            if i >= last {
                if !self.wordlike[i] {
                    i += 1;
                    continue;
                }
                words_after += 1;
                if words_after > 5 {
                    break;
                }
            }
            let key = analysis.key(&tokens[i]);
            let to_you = || {
                tokens[i + 1..]
                    .iter()
                    .find(|t| t.kind != TokenKind::Punct)
                    .is_some_and(|t| analysis.key(t) == "you")
            };
            // Keys fold final letters: אליכם is read אליכמ.
            if matches!(key, "אליכמ" | "אלייכמ" | "אלכמ") || (matches!(key, "to" | "2") && to_you())
            {
                return true;
            }
            i += 1;
        }
        false
    }

    /// Whether byte span `start..end` overlaps a politeness formula. A negated formula is none:
    /// "not a good day" says how the day was; nor is one inside a longer sentiment phrase, which
    /// says what the formula means there: "cheers for nothing", "thanks for nothing".
    pub fn polite(&self, start: usize, end: usize) -> bool {
        self.modifiers.iter().any(|m| {
            let inside = start <= m.start && m.end <= end && end - start > m.end - m.start;
            m.kind == ModifierKind::Politeness
                && m.start < end
                && start < m.end
                && !inside
                && self.negated(m.first).is_none()
        })
    }
}
