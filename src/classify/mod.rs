//! The classifier: a text in, sentiment, complaint and churn labels with evidence out.
//!
//! Classification is a pure function of (text, lexicon): the [`Analyzer`](crate::analyze::Analyzer)
//! splits the text, the [`Lexicon`] finds its hits, and the rules here turn hits into scores.
//!
//! **Sentiment** follows VADER's rules, adapted to both languages. Each sentiment hit starts from
//! its lexicon valence (−4..4) and is
//! - dropped inside a politeness formula ("תודה מראש", "thanks in advance"), and when the word is
//!   also a booster that intensifies another sentiment word ("בזבוז אדיר" is a huge waste: `אדיר`
//!   counts as a booster only, marked `intensifier`);
//! - negated by a negator up to three words before it in its clause (several negators negate once,
//!   as Hebrew stacks them): a negated positive word is multiplied by −0.74, a negated negative one by
//!   −0.5 (so "not bad" / "לא רע" is mildly positive, "no problem" / "אין בעיה" too); the Hebrew
//!   prohibitive אל before a second-person future verb ("אל תבטלו", "אל תנתקו אותי") negates what
//!   that verb opens, and nothing further; an entry that opens with a negator of its own ("לא
//!   ייתכן", "no answer") is not negated again by one before it; a negator does not reach past
//!   "and" (ו) after a word of the other polarity ("לא מרוצה ומאוכזב", "not happy and
//!   disappointed": only the first is negated), while words of one polarity share it ("not fast
//!   and reliable");
//! - scaled by the nearest booster (×(1 + 0.4·w)) or diminisher (×(1 − 0.5·w)) before it, or a
//!   Hebrew one right after it ("טוב מאוד"; English "rude so I left" is not "so rude");
//! - emphasised by capitals or letters spelled out with spaces ("ב ה צ ל ח ה") (+0.733, unless the
//!   whole text is in capitals) and elongation (+0.5);
//! - weakened before "but" / "אבל" and inside an "although" / "למרות" clause, strengthened after
//!   (×(1 ∓ 0.5·w) for a contrast word of weight w);
//! - halved inside the "if" clause of a conditional; in a question, positive words count 0.4 and
//!   negative ones 0.9 (a rhetorical complaint stays negative).
//!
//! Laughter (חחח, haha, lol, 😂, 🤣) says how the writer feels about the rest of the text: beside
//! positive words, or alone, it is positive; in a text whose other sentiment is negative it is
//! mockery ("חחח איזה בדיחה של שירות", "lol worst app ever") and counts with the negative side, its
//! sign flipped (marked `ironic`).
//!
//! Complaint and churn evidence is also negative sentiment in customer service: each complaint label
//! adds −1.2 × its score and each churn label −1.5 × its score (not a label found only in questions:
//! "when does my contract end?" asks, it does not complain; not a complaint the text says was put
//! right, nor a churn signal taken back; and not `churn.contract_end` or
//! `churn.retention_transfer`, facts of the account rather than feelings), and praise in a text
//! that carries such a label counts 0.6 (customers thank the agent while they complain), or −0.6
//! when the text also carries an irony marker (🙃, 🙄, 😒, 👏: "אחלה שירות, שבוע בלי אינטרנט 👏" is sarcasm,
//! marked `ironic`; with 🙄 or 😒 praise is ironic in any text), and so is strong praise
//! (weight ≥ 2, one word or a two-word formula) exclaimed alone at the head of a sentence, or
//! after an interjection, in a text that complains and has no contrast word ("Great, another
//! outage.", "יופי, שוב אין קליטה", "Oh great, another outage.", "כל הכבוד באמת, שלוש שעות
//! המתנה"). The sum, plus 0.292 per `!` (at most four) in its direction (a text with no
//! sentiment word but an indignant `?!`, `!?` or `??` counts −0.8), is normalised as VADER does:
//! `s / sqrt(s² + 15)`; a score ≥ 0.05 is positive, ≤ −0.05 negative (VADER's thresholds).
//!
//! A negator in the gap of a phrase, among the words its entry lets in between its own, negates the
//! phrase as if it stood before it ("the agent was not rude" for `agent was rude`, gap=2).
//!
//! **Complaint and churn labels**: each hit contributes its entry weight; a negated hit contributes
//! nothing ("לא רוצה לבטל", "I don't want to cancel") unless the negator stands inside a condition
//! ("if this isn't fixed I'll leave"), where it belongs to the condition and the threat counts
//! (marked `conditional`; "אם אפשר, אני לא רוצה לבטל" is still negated: its negator is in the main
//! clause); a hit in a question counts 0.7 of its weight (marked `question`: "how do I close my
//! account?" is weaker than "close my account"), except a complaint in a question that asks why
//! ("why has my bill gone up?", "למה חייבו אותי פעמיים?"), which is a complaint all the same.
//! - A competitor brand alone is a weak hint (its weight, about 0.3, however often it is named);
//!   with a switch, cancel or porting phrase in the same text it counts 0.9 (marked
//!   `near_switch_phrase`), with a weak one (below 0.5: a bare "עברתי") only in the same
//!   sentence ("עברתי דירה. אני לקוח של פרטנר כבר שנים" switches nothing).
//! - A cancel intent whose object is a transaction word from `modifiers.txt` ("cancel my order",
//!   "לבטל את ההזמנה", "unsubscribe from the newsletter") counts a fifth of its weight (marked
//!   `transaction_object`): cancelling an order is not leaving.
//! - A switch or porting phrase towards the company written to ("לנייד את המספר אליכם", "port my
//!   number to you from Three") does not count, nor does the competitor such a customer leaves
//!   (marked `inbound`): that customer is joining.
//! - An entry found twice in a text counts twice only when the text reaches a label without the
//!   repeat (a weak hint said twice, "איש יקר, חבר יקר", is still one hint).
//!
//! A label's score is the noisy-or of its contributions, `1 − Π(1 − wᵢ)`, and the label is
//! reported when the score reaches [`ClassifierBuilder::label_threshold`] (0.5).
//! `complaint.general` (a complaint without a topic) is dropped when a topical complaint label is
//! reported. A hit inside a longer phrase that opens with a negator ("no complaints") is negated by
//! that phrase. Emoji and emoticons are never negated, nor are sentiment entries flagged `nonegate`
//! (expletives and interjections: "I can't find the damn bill", "לא עובד לי אוף").
//!
//! **Churn risk**, in [0, 1], is documented at [`churn_risk`].

mod context;
mod rating;

use std::sync::Arc;

use serde::Serialize;

use crate::analyze::{Analysis, Flags, Lang, TokenKind};
use crate::eval::Polarity;
use crate::lexicon::{Group, Lexicon, Matches, ModifierKind, SourceLine};
use context::Context;

/// Builds a [`Classifier`].
#[derive(Debug, Clone)]
pub struct ClassifierBuilder {
    label_threshold: f64,
}

impl Default for ClassifierBuilder {
    fn default() -> Self {
        ClassifierBuilder {
            label_threshold: 0.5,
        }
    }
}

impl ClassifierBuilder {
    /// The score a complaint or churn label needs to be reported (default 0.5).
    pub fn label_threshold(&mut self, threshold: f64) -> &mut ClassifierBuilder {
        self.label_threshold = threshold;
        self
    }

    /// Builds a classifier over `lexicon`.
    pub fn build(&self, lexicon: Lexicon) -> Classifier {
        Classifier {
            inner: Arc::new(Inner {
                lexicon,
                label_threshold: self.label_threshold,
            }),
        }
    }
}

#[derive(Debug)]
struct Inner {
    lexicon: Lexicon,
    label_threshold: f64,
}

/// The classifier. Cheap to clone; `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Classifier {
    inner: Arc<Inner>,
}

/// Buffers reused across texts; keep one per thread.
#[derive(Debug, Default)]
pub struct Scratch {
    analysis: Analysis,
    matches: Matches,
    context: Context,
}

impl Scratch {
    /// Empty buffers.
    pub fn new() -> Scratch {
        Scratch::default()
    }
}

/// Something that changed how a hit counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Modifier {
    /// A negator stands before it: it does not count (complaint, churn) or its sign flips (sentiment).
    Negated,
    /// A booster strengthened it.
    Boosted,
    /// A diminisher weakened it.
    Diminished,
    /// It stands in a question.
    Question,
    /// It stands in a conditional sentence.
    Conditional,
    /// It comes before a contrast word (or inside an "although" clause): weakened.
    BeforeContrast,
    /// It comes after a contrast word: strengthened.
    AfterContrast,
    /// Written in capitals or elongated: emphasised.
    Emphasis,
    /// Inside a politeness formula: not counted.
    Politeness,
    /// A competitor brand near a switch, cancel or porting phrase: raised to a strong signal.
    NearSwitchPhrase,
    /// Praise in a text that carries a complaint or churn label: weakened.
    ComplaintContext,
    /// A cancel intent whose object is a transaction (an order, a payment, an appointment, a
    /// newsletter): not leaving, counted at a fifth of its weight.
    TransactionObject,
    /// Switching or porting towards the company written to ("port my number to you"), or the
    /// competitor such a customer leaves: joining, not leaving; it does not count.
    Inbound,
    /// A word listed as sentiment and as a booster that intensifies another sentiment word: it
    /// counts as a booster only ("בזבוז אדיר", "insanely good").
    Intensifier,
    /// Laughter (חחח, haha, lol, 😂) in a text whose other sentiment is negative: mockery, counted
    /// with the negative side; or praise in a text that complains and carries an irony marker
    /// (🙃, 🙄, 😒, 👏): sarcasm, counted negative.
    Ironic,
    /// A churn signal after which the text says the customer stays ("לק' ביקש לבטל, קיבל הטבה
    /// והחליט להישאר", "cust wanted to cancel, offered discount, decided to stay"): the label
    /// stands, the churn risk is halved.
    Retained,
    /// Agent behaviour, a missed visit or an unreturned call whose subject is the customer ("לק'
    /// ניתק את השיחה", "cust was very rude", "customer yelled at me", "cust didn't show up for the
    /// appointment", "לק' לא חזר אליי"): not a complaint about the company; it does not count.
    ByCustomer,
    /// An account closed or a service cancelled by the company, told by the customer ("they
    /// closed my account without notice", "you cancelled my subscription without asking"): not the
    /// customer leaving; it does not count.
    ByCompany,
    /// A word that opens a sentence as a discourse marker, before a comma ("טוב, נחכה ונראה",
    /// "Fine, cancel it then."): no opinion, not counted.
    Discourse,
    /// Praise of a state that is over ("worked fine until yesterday", "the fix worked for a
    /// day", "you used to be great", "הכל עבד מצוין עד אתמול", "פעם היה פה שירות טוב"): it counts
    /// as its opposite.
    Ended,
    /// A written score ("rated 9/10", "3 out of 5", "ציון 3 מתוך 10"): its place on its scale is
    /// its sentiment; the entry is the rating cue.
    Rating,
    /// A complaint the text says was put right afterwards ("faulty jumper replaced", "applied in
    /// error, credited on next bill", "חיוב כפול, זוכה במלואו"): the label stands, but weighs nothing
    /// on sentiment.
    Resolved,
}

impl Modifier {
    /// The snake-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Modifier::Negated => "negated",
            Modifier::Boosted => "boosted",
            Modifier::Diminished => "diminished",
            Modifier::Question => "question",
            Modifier::Conditional => "conditional",
            Modifier::BeforeContrast => "before_contrast",
            Modifier::AfterContrast => "after_contrast",
            Modifier::Emphasis => "emphasis",
            Modifier::Politeness => "politeness",
            Modifier::NearSwitchPhrase => "near_switch_phrase",
            Modifier::ComplaintContext => "complaint_context",
            Modifier::TransactionObject => "transaction_object",
            Modifier::Ironic => "ironic",
            Modifier::Inbound => "inbound",
            Modifier::Intensifier => "intensifier",
            Modifier::Retained => "retained",
            Modifier::Discourse => "discourse",
            Modifier::ByCustomer => "by_customer",
            Modifier::ByCompany => "by_company",
            Modifier::Ended => "ended",
            Modifier::Rating => "rating",
            Modifier::Resolved => "resolved",
        }
    }
}

/// One piece of evidence: where in the text, which lexicon entry, how it counted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Byte offset of the matched text in the original text.
    pub start: usize,
    /// Byte offset one past it.
    pub end: usize,
    /// The matched text as written.
    pub text: String,
    /// The lexicon entry's place, written as `file:line`.
    #[serde(serialize_with = "as_display")]
    pub entry: SourceLine,
    /// The modifiers that applied.
    pub modifiers: Vec<Modifier>,
}

/// The sentiment of a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sentiment {
    /// In [−1, 1].
    pub score: f64,
    /// positive / negative / neutral.
    pub label: Polarity,
    /// The sentiment hits that counted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
}

/// A complaint or churn label with its score and evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelScore {
    /// The label (`complaint.billing`, `churn.cancel_intent`, …).
    pub label: String,
    /// In (0, 1].
    pub score: f64,
    /// The hits behind it, negated ones excluded.
    pub evidence: Vec<Evidence>,
}

/// What the classifier says about a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification {
    /// The language: the one given, or the detected one.
    pub lang: String,
    /// The sentiment.
    pub sentiment: Sentiment,
    /// The complaint and churn labels that reached the threshold, strongest first.
    pub labels: Vec<LabelScore>,
    /// The churn risk, in [0, 1].
    pub churn_risk: f64,
}

impl Classification {
    /// Every piece of evidence, the labels' then the sentiment's, to rewrite in place.
    pub fn evidence_mut(&mut self) -> impl Iterator<Item = &mut Evidence> {
        self.labels
            .iter_mut()
            .flat_map(|l| l.evidence.iter_mut())
            .chain(self.sentiment.evidence.iter_mut())
    }

    /// Whether a label of `group` was reported.
    pub fn has_group(&self, group: Group) -> bool {
        let prefix = match group {
            Group::Complaint => "complaint.",
            Group::Churn => "churn.",
            _ => return false,
        };
        self.labels.iter().any(|l| l.label.starts_with(prefix))
    }
}

/// How one hit counted, for the explain view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HitTrace {
    /// The group: sentiment, complaint, churn or modifier.
    pub group: Group,
    /// The label, or the modifier kind.
    pub label: String,
    /// The lexicon phrase.
    pub phrase: String,
    /// The entry's weight in the lexicon.
    pub weight: f64,
    /// What it contributed: valence for sentiment, evidence weight for labels (0 when it did not
    /// count).
    pub contribution: f64,
    /// Where and why.
    pub evidence: Evidence,
}

impl HitTrace {
    fn new(
        group: Group,
        entry: &crate::lexicon::Entry,
        contribution: f64,
        evidence: Evidence,
    ) -> HitTrace {
        HitTrace {
            group,
            label: match entry.modifier() {
                Some(kind) => kind.as_str().to_string(),
                None => entry.label().to_string(),
            },
            phrase: entry.phrase().to_string(),
            weight: round3(f64::from(entry.weight())),
            contribution: round3(contribution),
            evidence,
        }
    }
}

/// A classification with every hit and how it counted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The result.
    pub classification: Classification,
    /// Every hit, in text order.
    pub hits: Vec<HitTrace>,
    /// Every complaint and churn label with evidence, including those under the threshold.
    pub all_labels: Vec<LabelScore>,
    /// The raw sentiment sum before normalisation.
    pub sentiment_sum: f64,
}

fn as_display<S: serde::Serializer>(value: &SourceLine, s: S) -> Result<S::Ok, S::Error> {
    // Written by hand into a stack buffer: an evidence item per hit made `collect_str`, through
    // the formatting machinery, a measurable share of `kashev classify`.
    let mut buf = [0u8; 96];
    let file = value.file.as_bytes();
    if file.len() + 11 > buf.len() {
        return s.collect_str(value);
    }
    buf[..file.len()].copy_from_slice(file);
    let mut n = file.len();
    buf[n] = b':';
    n += 1;
    let mut digits = [0u8; 10];
    let (mut k, mut line) = (0, value.line);
    loop {
        digits[k] = b'0' + (line % 10) as u8;
        k += 1;
        line /= 10;
        if line == 0 {
            break;
        }
    }
    for &d in digits[..k].iter().rev() {
        buf[n] = d;
        n += 1;
    }
    match std::str::from_utf8(&buf[..n]) {
        Ok(text) => s.serialize_str(text),
        Err(_) => s.collect_str(value),
    }
}

/// Churn labels and how much each says about leaving, for [`churn_risk`].
const CHURN_SEVERITY: &[(&str, f64)] = &[
    ("churn.cancel_intent", 1.0),
    ("churn.number_porting", 1.0),
    ("churn.switch_competitor", 0.9),
    ("churn.retention_transfer", 0.85),
    ("churn.legal_threat", 0.8),
    ("churn.regulator_threat", 0.75),
    ("churn.public_threat", 0.6),
    ("churn.contract_end", 0.5),
    ("churn.escalation", 0.4),
];

/// Churn risk in [0, 1] from a text's labels and sentiment:
///
/// `1 − (1 − c) · (1 − 0.3·n) · (1 − 0.08·k) · (1 − 0.1·r)`
///
/// where `c` is the strongest churn signal (label score × the label's severity: cancel intent and
/// number porting 1, switch to a competitor 0.9, retention transfer 0.85, legal threat 0.8,
/// regulator 0.75, going public 0.6, contract end 0.5, escalation 0.4, other churn labels 0.7;
/// halved when the text goes on to say the customer stays, evidence marked `retained`), `n`
/// the strength of negative sentiment (`max(0, −score)`), `k` the number of complaint labels (at
/// most 5), and `r` 1 when the text reports a repeat contact or a broken promise — the service
/// failures that most often precede leaving.
pub fn churn_risk(labels: &[LabelScore], sentiment: f64) -> f64 {
    let c = labels
        .iter()
        .filter(|l| l.label.starts_with("churn."))
        .map(|l| {
            let severity = CHURN_SEVERITY
                .iter()
                .find(|(name, _)| *name == l.label)
                .map_or(0.7, |(_, s)| *s);
            l.score * severity
        })
        .fold(0.0, f64::max);
    let n = (-sentiment).max(0.0);
    let k = labels
        .iter()
        .filter(|l| l.label.starts_with("complaint."))
        .count()
        .min(5) as f64;
    let retained = labels.iter().any(|l| {
        l.label.starts_with("churn.")
            && l.evidence
                .iter()
                .any(|e| e.modifiers.contains(&Modifier::Retained))
    });
    let c = if retained { 0.5 * c } else { c };
    let r = labels
        .iter()
        .any(|l| l.label == "complaint.repeat_contact" || l.label == "complaint.broken_promise");
    let risk =
        1.0 - (1.0 - c) * (1.0 - 0.3 * n) * (1.0 - 0.08 * k) * (1.0 - 0.1 * f64::from(u8::from(r)));
    round3(risk.clamp(0.0, 1.0))
}

/// Emoji that mark praise as ironic in a text that complains: the upside-down face, rolled eyes,
/// the unamused face, and clapping at a failure.
const IRONY_MARKERS: &[&str] = &["🙃", "🙄", "😒", "👏"];

/// Two-word praise formulas that, exclaimed alone in a complaining text, are sarcasm as a word
/// of praise is ("Good job, three hours on hold.", "כל הכבוד באמת, שלוש שעות המתנה"). Other
/// phrases are sincere there ("הצלתם אותנו, בלי האינטרנט לא יכולנו לעבוד").
const PRAISE_FORMULAS: &[&str] = &[
    "good job",
    "great job",
    "nice job",
    "well done",
    "nice one",
    "great service",
    "amazing service",
    "excellent service",
    "כל הכבוד",
    "ישר כוח",
    "יישר כוח",
    "ישר כח",
    "יישר כח",
];

/// Words addressing the reader that may follow exclaimed praise ("great job guys.").
const VOCATIVES: &[&str] = &[
    "guys",
    "team",
    "folks",
    "everyone",
    "people",
    "חבר'ה",
    "חברים",
    "חברה",
    "אנשימ",
];

/// Interjections that may open a sentence of exclaimed praise that is sarcasm: "Oh great, another
/// outage.", "וואו מעולה, שוב נפל האינטרנט".
const SARCASM_OPENERS: &[&str] = &["oh", "wow", "well", "yeah", "ooh", "וואו", "ואו", "נו"];

/// Irony markers that make praise ironic in any text: rolled eyes and the unamused face ("כל
/// הכבוד... ממש עזרתם 🙄"). The upside-down face and clapping are also playful or sincere.
const EYE_ROLLS: &[&str] = &["🙄", "😒"];

/// Whether a hit that opens with "no" (אין) is followed by "needed" ("no f/u needed", "no
/// callback required"): the note says nothing is owed, not that something was not done.
fn not_needed(analysis: &Analysis, hit: &crate::lexicon::Hit) -> bool {
    let tokens = analysis.tokens();
    let opens_with_no = matches!(analysis.key(&tokens[hit.tokens.start]), "no" | "אין");
    opens_with_no
        && tokens.get(hit.tokens.end).is_some_and(|t| {
            matches!(
                analysis.key(t),
                "needed"
                    | "required"
                    | "necessary"
                    | "requested"
                    | "req"
                    | "req'd"
                    | "נדרש"
                    | "נדרשת"
                    | "נדרשים"
            )
        })
}

/// Whether a hit says what befell its subject rather than what its subject did: it holds a verb
/// of receiving ("cust never received the router", "לק' לא קיבל את הנתב"), so a customer subject
/// is the one complaining. (Arriving is not among them: "לק' לא הגיע" is the customer's doing.)
fn experienced(analysis: &Analysis, hit: &crate::lexicon::Hit) -> bool {
    any_key(analysis, hit, |key| {
        matches!(
            key,
            "received" | "receiv" | "receive" | "got" | "get" | "gotten" | "recieved" | "rcvd"
        ) || ["קיבל", "קיבלה", "קיבלו", "קבל"]
            .iter()
            .any(|w| key.ends_with(w))
    })
}

/// Whether the key of any of a hit's tokens satisfies `pred`.
fn any_key(analysis: &Analysis, hit: &crate::lexicon::Hit, pred: impl Fn(&str) -> bool) -> bool {
    analysis.tokens()[hit.tokens.clone()]
        .iter()
        .any(|t| pred(analysis.key(t)))
}

/// Sentiment `v` of a hit starting at token `first`, as the clause it stands in weighs it: before
/// or after a contrast word, in a condition (halved), in a question (praise to 0.4, blame to 0.9).
fn damp_by_clause(
    ctx: &Context,
    analysis: &Analysis,
    first: usize,
    mut v: f64,
    modifiers: &mut Vec<Modifier>,
) -> f64 {
    if let Some(factor) = ctx.contrast(first, analysis) {
        modifiers.push(if factor < 1.0 {
            Modifier::BeforeContrast
        } else {
            Modifier::AfterContrast
        });
        v *= f64::from(factor);
    }
    if ctx.in_condition(first) {
        modifiers.push(Modifier::Conditional);
        v *= 0.5;
    }
    if ctx.question(first) {
        modifiers.push(Modifier::Question);
        v *= if v > 0.0 { 0.4 } else { 0.9 };
    }
    v
}

/// Bare thanks, which close a message that asks ("Could you send me a breakdown? Thanks, Noah")
/// as a politeness formula.
const CLOSING_THANKS: [&str; 9] = [
    "thank",
    "thanks",
    "thank you",
    "thx",
    "thank u",
    "tnx",
    "ty",
    "תודה",
    "תנקס",
];

/// Whether a hit says the writer is grateful ("very grateful", "אסיר תודה"): thanks exclaimed
/// after a complaint was put right are sincere ("faulty jumper replaced. cust tested OK. very
/// grateful"), unlike an exclaimed "great" or "יופי".
fn gratitude(analysis: &Analysis, hit: &crate::lexicon::Hit) -> bool {
    any_key(analysis, hit, |key| {
        key.starts_with("grate")
            || key.starts_with("thankful")
            || key.starts_with("appreciat")
            || matches!(
                key,
                "אסיר" | "אסירת" | "אסירי" | "אסירות" | "מודה" | "מודים" | "מודות"
            )
    })
}

/// Whether a hit is "love" framed to introduce what follows: "I love how…", "love the way…",
/// "love that…", "gotta love…", "אני אוהבת איך ש…", "אוהב שאתם…". What follows says whether it is
/// praise ("I love how easy the app is") or sarcasm ("I love how you charge me twice every month").
fn love_frame(analysis: &Analysis, hit: &crate::lexicon::Hit) -> bool {
    let tokens = analysis.tokens();
    if hit.tokens.len() != 1 {
        return false;
    }
    let key = analysis.key(&tokens[hit.tokens.start]);
    let english = key == "love";
    let hebrew = matches!(key, "אוהב" | "אוהבת" | "אוהבימ" | "אוהבות");
    if !english && !hebrew {
        return false;
    }
    let key_at = |i: usize| tokens.get(i).map(|t| analysis.key(t));
    let next = key_at(hit.tokens.end);
    let before = |back: usize| hit.tokens.start.checked_sub(back).and_then(&key_at);
    if english {
        matches!(next, Some("how" | "that"))
            || next == Some("the") && key_at(hit.tokens.end + 1) == Some("way")
            || before(1) == Some("gotta")
            || before(1) == Some("to") && matches!(before(2), Some("got" | "have" | "gotta"))
    } else {
        // "איך ש…", or a clause opened by ש glued to its first word ("אוהבת שאתם…").
        next == Some("איכ") || next.is_some_and(|k| k.starts_with('ש') && k.chars().count() > 2)
    }
}

/// Words a quotation may hold around the praise and still be scare quotes rather than a quoted
/// sentence.
const SCARE_QUOTE_WORDS: usize = 3;

/// Whether a hit stands inside a short quotation, the same quote mark opening after a space and
/// closing after a word: "their 'excellent' service", "שירות \"מעולה\"", "'שירות מהיר' כמו
/// שהבטיחו". In a text that complains, such quotes hold the writer's irony, not praise.
fn scare_quoted(text: &str, analysis: &Analysis, hit: &crate::lexicon::Hit) -> bool {
    let tokens = analysis.tokens();
    let quote = |i: usize| {
        let t = &tokens[i];
        (t.kind == TokenKind::Punct && matches!(analysis.key(t), "'" | "\""))
            .then(|| analysis.key(t))
    };
    let Some(open) = (hit.tokens.start.saturating_sub(SCARE_QUOTE_WORDS)..hit.tokens.start)
        .rev()
        .find(|&i| quote(i).is_some())
    else {
        return false;
    };
    let opens = text[..tokens[open].start]
        .chars()
        .next_back()
        .is_none_or(char::is_whitespace);
    let inside_words = |range: std::ops::Range<usize>| {
        range.into_iter().all(|i| tokens[i].kind == TokenKind::Word)
    };
    if !opens || !inside_words(open + 1..hit.tokens.start) {
        return false;
    }
    let last = (open + 1 + SCARE_QUOTE_WORDS + 1).min(tokens.len());
    (hit.tokens.end..last)
        .find(|&i| quote(i).is_some())
        .is_some_and(|close| {
            quote(close) == quote(open)
                && tokens[close].start == tokens[close - 1].end
                && inside_words(hit.tokens.end..close)
        })
}

/// Who, before an English verb in the past, closes or cancels on the customer's behalf: the
/// company as "they" or "you", or named ("the bank closed my account").
const COMPANY_SUBJECTS: &[&str] = &[
    "they", "you", "bank", "company", "provider", "insurer", "someone", "somebody",
];

/// Words that may stand between that subject and the verb ("they just closed", "you've
/// cancelled", "they have unilaterally terminated").
const BEFORE_VERB: &[&str] = &[
    "have",
    "'ve",
    "ve",
    "had",
    "just",
    "suddenly",
    "randomly",
    "simply",
    "already",
    "unilaterally",
    "then",
    "also",
];

/// Whether a cancel-intent hit tells what the company did: its first word is an English past
/// form ("closed my account", "cancelled my subscription") and its subject is the company
/// ([`COMPANY_SUBJECTS`]): "They closed my account without notice". "I closed my account", "can
/// you cancel my account?" and "have you cancelled my account yet?" stay intents.
fn done_by_company(text: &str, analysis: &Analysis, hit: &crate::lexicon::Hit) -> bool {
    let tokens = analysis.tokens();
    let first = &tokens[hit.tokens.start];
    let surface = first.surface(text).as_bytes();
    if first.script != crate::analyze::Script::Latin
        || !surface
            .len()
            .checked_sub(2)
            .is_some_and(|i| surface[i..].eq_ignore_ascii_case(b"ed"))
    {
        return false;
    }
    let Some(subject) = (0..hit.tokens.start)
        .rev()
        .find(|&i| !BEFORE_VERB.contains(&analysis.key(&tokens[i])))
    else {
        return false;
    };
    // "Have you cancelled my account yet?" asks after the customer's own request.
    let asked = subject
        .checked_sub(1)
        .is_some_and(|i| matches!(analysis.key(&tokens[i]), "have" | "has" | "did"));
    COMPANY_SUBJECTS.contains(&analysis.key(&tokens[subject])) && !asked
}

/// Whether a hit names a promise or a commitment ("promised fix", "הבטיחו לחזור", "התחייבו").
fn names_promise(analysis: &Analysis, hit: &crate::lexicon::Hit) -> bool {
    any_key(analysis, hit, |key| {
        [
            "promis",
            "guarant",
            "commit",
            "assur",
            "הבטח",
            "הבטיח",
            "הובטח",
            "מבטיח",
            "התחייב",
            "מתחייב",
        ]
        .iter()
        .any(|w| key.contains(w))
    })
}

/// Whether a hit's first word was read with a prefix that opens with ו ("and"): ומאוכזב.
fn joined_by_vav(analysis: &Analysis, matches: &Matches, hit: &crate::lexicon::Hit) -> bool {
    matches.words(hit).first().is_some_and(|w| {
        w.reading
            .prefix(analysis, &analysis.tokens()[w.token])
            .is_some_and(|p| p.starts_with('ו'))
    })
}

/// Whether a hit's tokens are laughter: a laughter word (חחח, haha, lol) or a laughing emoji.
fn is_laughter(analysis: &Analysis, tokens: &[crate::analyze::Token]) -> bool {
    tokens.iter().all(|t| {
        t.flags.contains(Flags::LAUGHTER)
            || (t.kind == TokenKind::Emoji && matches!(analysis.key(t), "😂" | "🤣" | "😆" | "😹"))
    }) && !tokens.is_empty()
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// VADER's normalisation constant.
const ALPHA: f64 = 15.0;
/// Scores at or beyond ± this are positive / negative.
pub const NEUTRAL_BAND: f64 = 0.05;

impl Classifier {
    /// A classifier with the default settings over `lexicon`.
    pub fn new(lexicon: Lexicon) -> Classifier {
        ClassifierBuilder::default().build(lexicon)
    }

    /// A builder for non-default settings.
    pub fn builder() -> ClassifierBuilder {
        ClassifierBuilder::default()
    }

    /// The lexicon.
    pub fn lexicon(&self) -> &Lexicon {
        &self.inner.lexicon
    }

    /// Classifies `text`; `lang` is the record's given language, if any.
    pub fn classify(&self, text: &str, lang: Option<&str>) -> Classification {
        self.classify_with(text, lang, &mut Scratch::new())
    }

    /// Classifies `text` reusing `scratch`'s buffers.
    pub fn classify_with(
        &self,
        text: &str,
        lang: Option<&str>,
        scratch: &mut Scratch,
    ) -> Classification {
        self.run(text, lang, scratch, false).classification
    }

    /// Classifies `text` and keeps the trace of every hit.
    pub fn explain(&self, text: &str, lang: Option<&str>, scratch: &mut Scratch) -> Explanation {
        self.run(text, lang, scratch, true)
    }

    /// The analysis and matches of the last text classified with `scratch`.
    pub fn last<'s>(&self, scratch: &'s Scratch) -> (&'s Analysis, &'s Matches) {
        (&scratch.analysis, &scratch.matches)
    }

    fn run(
        &self,
        text: &str,
        lang: Option<&str>,
        scratch: &mut Scratch,
        trace: bool,
    ) -> Explanation {
        let lexicon = &self.inner.lexicon;
        lexicon.analyzer().analyze_into(text, &mut scratch.analysis);
        lexicon.find_into(&scratch.analysis, &mut scratch.matches);
        let analysis = &scratch.analysis;
        let matches = &scratch.matches;
        let hits = matches.hits();
        scratch.context.rebuild(text, analysis, hits, lexicon);
        let ctx = &scratch.context;

        let evidence = |start: usize,
                        end: usize,
                        entry: &crate::lexicon::Entry,
                        modifiers: Vec<Modifier>| Evidence {
            start,
            end,
            text: text[start..end].to_string(),
            entry: entry.source(),
            modifiers,
        };

        // Complaint and churn first: their presence shapes sentiment.
        // Switching or porting towards the company written to is joining, not leaving.
        // Per hit: a switch or porting phrase (not a brand) read as inbound.
        let inbound: Vec<bool> = hits
            .iter()
            .map(|h| {
                let e = lexicon.entry(h.entry);
                h.group == Group::Churn
                    && !e.flags().brand
                    && matches!(
                        e.label(),
                        "churn.switch_competitor" | "churn.number_porting"
                    )
                    && ctx.inbound(analysis, h.tokens.start, h.tokens.end)
            })
            .collect();
        let joining = inbound.contains(&true);
        // The switch, cancel and porting phrases, by sentence and weight: a brand is near one in
        // the same sentence, or near a strong one anywhere ("I'm leaving. Going to Partner."); a
        // weak one elsewhere ("עברתי דירה. אני לקוח של פרטנר") says nothing of the brand.
        let switch_phrases: Vec<(Option<u32>, f32)> = hits
            .iter()
            .zip(&inbound)
            .filter_map(|(h, &inbound)| {
                let e = lexicon.entry(h.entry);
                (h.group == Group::Churn
                    && !e.flags().brand
                    && matches!(
                        e.label(),
                        "churn.switch_competitor" | "churn.cancel_intent" | "churn.number_porting"
                    )
                    && !inbound)
                    .then(|| (ctx.sentence.get(h.tokens.start).copied(), e.weight()))
            })
            .collect();
        let near_switch_phrase = |h: &crate::lexicon::Hit| {
            let sentence = ctx.sentence.get(h.tokens.start).copied();
            switch_phrases
                .iter()
                .any(|&(s, w)| w >= 0.5 || s == sentence)
        };
        struct LabelSum {
            name: String,
            /// Π(1 − wᵢ) over the contributions other than bare brand mentions and repeats.
            remaining: f64,
            /// Π(1 − wᵢ) over the repeats of an entry already counted.
            repeats: f64,
            /// The strongest bare brand mention.
            brand: f64,
            evidence: Vec<Evidence>,
        }
        let mut labels: Vec<LabelSum> = Vec::new();
        // Entries already counted: a repeat counts only in a text that complains without it.
        let mut counted: Vec<crate::lexicon::EntryId> = Vec::new();
        let mut traces = Vec::new();
        for (i, h) in hits.iter().enumerate() {
            let entry = lexicon.entry(h.entry);
            if !matches!(h.group, Group::Complaint | Group::Churn) {
                continue;
            }
            let mut modifiers = Vec::new();
            let mut weight = f64::from(entry.weight());
            let conditional = ctx.conditional(h.tokens.start).is_some();
            if conditional {
                modifiers.push(Modifier::Conditional);
            }
            // A negator inside the condition belongs to it ("if this isn't fixed I'm leaving"); one
            // in the main clause still negates ("אם אפשר, אני לא רוצה לבטל").
            let negator =
                ctx.negated_joined(h.tokens.start, -1, joined_by_vav(analysis, matches, h));
            let in_condition = negator.is_some_and(|n| {
                ctx.modifiers.iter().any(|m| {
                    m.kind == ModifierKind::Conditional && m.clause == n.clause && m.first < n.first
                })
            });
            // A negated resolution between them is what the negator denies: "they haven't fixed
            // the outage" still has an outage.
            let denies_fix = h.group == Group::Complaint
                && negator.is_some_and(|n| {
                    ctx.modifiers.iter().any(|m| {
                        m.kind == ModifierKind::Resolved
                            && m.first >= n.last
                            && m.last <= h.tokens.start
                    })
                });
            let negated = (negator.is_some() && !in_condition && !denies_fix)
                || (!conditional
                    && (ctx.inside_negated_phrase(h.tokens.start)
                        || ctx.negated_in_gap(h, matches.words(h))))
                || not_needed(analysis, h);
            // A complaint asked as "why" is still a complaint ("why has my bill gone up?", "למה
            // חייבו אותי פעמיים?"): it asks for no information, so it is not damped.
            if ctx.question(h.tokens.start)
                && !(h.group == Group::Complaint && ctx.asks_why(h.tokens.start, analysis))
            {
                modifiers.push(Modifier::Question);
                weight *= 0.7;
            }
            // A save attempt ends where the note says: "cust retained after save attempt" as
            // well as "הועבר לשימור, לק' נשמר".
            let retained_from = if entry.label() == "churn.retention_transfer" {
                0
            } else {
                h.tokens.end
            };
            if h.group == Group::Churn && ctx.retained_after(retained_from) {
                modifiers.push(Modifier::Retained);
            }
            // A fault, a charge or a detail can be put right; a wait, a runaround or a rude agent
            // cannot be undone ("took three calls to get it sorted").
            let undoable = !matches!(
                entry.label(),
                "complaint.wait_time"
                    | "complaint.repeat_contact"
                    | "complaint.transfer_routing"
                    | "complaint.ivr"
                    | "complaint.agent_behavior"
            );
            if h.group == Group::Complaint {
                // Words of a resolution are no complaint: "הכסף בחזרה" inside "קיבלתי את הכסף
                // בחזרה".
                if ctx.inside_resolution(h.tokens.start, h.tokens.end) {
                    modifiers.push(Modifier::Resolved);
                    weight = 0.0;
                } else if undoable
                    && (ctx.resolved_after(h.tokens.end, analysis)
                        || ctx.resolved_before(h.tokens.start, analysis))
                {
                    modifiers.push(Modifier::Resolved);
                }
            }
            if entry.label() == "churn.cancel_intent"
                && ctx.transaction_object(h.tokens.start, h.tokens.end)
            {
                modifiers.push(Modifier::TransactionObject);
                weight *= 0.2;
            }
            let switch_phrase = entry.flags().brand && near_switch_phrase(h);
            if switch_phrase {
                modifiers.push(Modifier::NearSwitchPhrase);
                weight = weight.max(0.9);
            }
            // A customer coming over (and the competitor they leave) says nothing of leaving.
            if inbound[i] || (entry.flags().brand && joining && !switch_phrase) {
                modifiers.push(Modifier::Inbound);
                weight = 0.0;
            }
            // What the customer did to the agent is no complaint about the agent, nor is a call
            // the customer never returned ("לק' לא חזר אליי", "cust never called back"). ("cust
            // promised a fix by the previous agent" is telegraphic for "was promised", so a
            // broken promise that names the promise is left alone.)
            let customer_acts = match entry.label() {
                "complaint.agent_behavior" | "complaint.delivery_installation" => true,
                "complaint.broken_promise" => !names_promise(analysis, h),
                _ => false,
            };
            if customer_acts
                && !experienced(analysis, h)
                && ctx.by_customer(h.tokens.start, analysis)
            {
                modifiers.push(Modifier::ByCustomer);
                weight = 0.0;
            }
            if entry.label() == "churn.cancel_intent" && done_by_company(text, analysis, h) {
                modifiers.push(Modifier::ByCompany);
                weight = 0.0;
            }
            if negated {
                modifiers.push(Modifier::Negated);
                weight = 0.0;
            }
            let ev = evidence(h.start, h.end, entry, modifiers);
            if trace {
                traces.push(HitTrace::new(h.group, entry, weight, ev.clone()));
            }
            if weight == 0.0 {
                // Negated, or a customer coming over: no evidence for the label.
                continue;
            }
            // A brand named again and again is still one weak hint: bare brand mentions count
            // once, by the strongest. Likewise an entry repeated ("יקר… יקר", dear… dear) counts
            // again only in a text that complains without the repeat.
            let bare_brand = entry.flags().brand && !switch_phrase;
            let repeated = counted.contains(&h.entry);
            counted.push(h.entry);
            let label = match labels.iter_mut().position(|l| l.name == entry.label()) {
                Some(i) => &mut labels[i],
                None => {
                    labels.push(LabelSum {
                        name: entry.label().to_string(),
                        remaining: 1.0,
                        repeats: 1.0,
                        brand: 0.0,
                        evidence: Vec::new(),
                    });
                    labels.last_mut().expect("just pushed")
                }
            };
            if bare_brand {
                label.brand = label.brand.max(weight);
            } else if repeated {
                label.repeats *= 1.0 - weight;
            } else {
                label.remaining *= 1.0 - weight;
            }
            label.evidence.push(ev);
        }
        // Repeats of a weak entry ("החזר… ההחזר", "קליטה… הקליטה") say what a complaint is about,
        // but alone they are one hint said twice ("איש יקר, חבר יקר").
        let threshold = self.inner.label_threshold;
        let complains = labels
            .iter()
            .any(|l| 1.0 - l.remaining * (1.0 - l.brand) >= threshold - 1e-9);
        let mut all_labels: Vec<LabelScore> = labels
            .into_iter()
            .map(|l| {
                let repeats = if complains { l.repeats } else { 1.0 };
                LabelScore {
                    label: l.name,
                    score: round3(1.0 - l.remaining * repeats * (1.0 - l.brand)),
                    evidence: l.evidence,
                }
            })
            .collect();
        all_labels.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.label.cmp(&b.label))
        });
        let mut reported: Vec<LabelScore> = all_labels
            .iter()
            .filter(|l| l.score >= threshold - 1e-9)
            .cloned()
            .collect();
        // complaint.general is a complaint without a topic: a topic, when there is one, says more.
        if reported
            .iter()
            .any(|l| l.label.starts_with("complaint.") && l.label != "complaint.general")
        {
            reported.retain(|l| l.label != "complaint.general");
        }
        // A churn signal the customer took back ("…קיבל הצעה וחידש. מרוצה.") complains of nothing,
        // nor does a complaint put right ("…replaced. cust tested OK. very grateful").
        let settles = |e: &Evidence| {
            e.modifiers.contains(&Modifier::Retained) || e.modifiers.contains(&Modifier::Resolved)
        };
        let complaint_context = reported.iter().any(|l| !l.evidence.iter().all(settles));
        // Praise beside a complaint, with an irony marker in the text, is sarcasm: "אחלה שירות,
        // שבוע בלי אינטרנט 👏", "wow amazing service, 4 days for a tech 🙃".
        let ironic = analysis.tokens().iter().any(|t| {
            t.kind == TokenKind::Emoji
                && (EYE_ROLLS.contains(&analysis.key(t))
                    || complaint_context && IRONY_MARKERS.contains(&analysis.key(t)))
        });
        // So is strong praise (a word or a two-word formula) exclaimed alone at the head of a
        // sentence, or after an interjection, in a text that complains and draws no contrast:
        // "Great, another outage.", "יופי, שוב אין קליטה", "Good job, three hours on hold.",
        // "…החבילה חזרה לשולח. יופי." Sincere praise beside a complaint comes with a "but" ("great
        // service, but the technician never came") or stands inside a clause ("the agent was
        // great").
        let exclaimed_in_complaint = complaint_context
            && !ctx
                .modifiers
                .iter()
                .any(|m| m.kind == ModifierKind::Contrast);
        let exclaimed = |h: &crate::lexicon::Hit| {
            let tokens = analysis.tokens();
            let Some(&s) = ctx.sentence.get(h.tokens.start) else {
                return false;
            };
            let opener = ctx.sentence_first_word[s as usize];
            let boosts = |i: usize| {
                ctx.modifiers
                    .iter()
                    .any(|m| m.kind == ModifierKind::Booster && m.first <= i && i < m.last)
            };
            // "באמת" may follow it ("כל הכבוד באמת,", "יופי באמת."); other boosters there make
            // plain praise ("יפה מאוד.").
            // So may a vocative ("great job guys.", "כל הכבוד חבר'ה").
            let after = match tokens.get(h.tokens.end) {
                Some(t) if analysis.key(t) == "באמת" || VOCATIVES.contains(&analysis.key(t)) => {
                    h.tokens.end + 1
                }
                _ => h.tokens.end,
            };
            (h.tokens.len() == 1 || PRAISE_FORMULAS.contains(&lexicon.entry(h.entry).phrase()))
                && (opener..h.tokens.start).all(|i| {
                    boosts(i)
                        || tokens[i].kind == TokenKind::Punct && analysis.key(&tokens[i]) == ","
                        || SARCASM_OPENERS.contains(&analysis.key(&tokens[i]))
                })
                && tokens.get(after).is_none_or(|t| {
                    t.kind == TokenKind::Punct && analysis.key(t).starts_with([',', '.', '!', '…'])
                })
        };
        // A complaint or churn signal, not put right, that opens within four words after a hit,
        // in its sentence: what "I love how…" introduces ("love how nobody bothers to call
        // back"), not something said further on ("I love the way the agent handled my billing
        // issue").
        let complains_after = |h: &crate::lexicon::Hit| {
            let Some(&s) = ctx.sentence.get(h.tokens.start) else {
                return false;
            };
            let tokens = analysis.tokens();
            let window_end = (h.tokens.end..tokens.len())
                .take_while(|&i| ctx.sentence[i] == s)
                .filter(|&i| ctx.wordlike[i])
                .nth(4)
                .map_or(usize::MAX, |i| tokens[i].start);
            reported.iter().any(|l| {
                l.evidence
                    .iter()
                    .any(|e| !settles(e) && e.start >= h.end && e.start < window_end)
            })
        };

        // Sentiment.
        let mut sum = 0.0f64;
        let mut sentiment_evidence = Vec::new();
        // Laughter is counted after the rest: its sign depends on what the rest says.
        let mut laughter: Vec<(f64, Evidence, &crate::lexicon::Entry, Group)> = Vec::new();
        // Words listed both as sentiment and as boosters ("אדיר", "insanely") that intensify
        // another sentiment word count as boosters only: "בזבוז אדיר" is a huge waste, not a waste
        // and something awesome.
        let intensities: Vec<_> = hits
            .iter()
            .map(|h| {
                (h.group == Group::Sentiment)
                    .then(|| ctx.intensity(h.tokens.start, h.tokens.end))
                    .flatten()
            })
            .collect();
        let intensifiers: Vec<(usize, usize)> = intensities
            .iter()
            .flatten()
            .map(|&(_, _, span)| span)
            .collect();
        for (i, h) in hits.iter().enumerate() {
            let entry = lexicon.entry(h.entry);
            if h.group == Group::Modifier && trace {
                traces.push(HitTrace::new(
                    h.group,
                    entry,
                    0.0,
                    evidence(h.start, h.end, entry, Vec::new()),
                ));
            }
            if h.group != Group::Sentiment {
                continue;
            }
            let mut modifiers = Vec::new();
            let mut v = f64::from(entry.weight());
            if ctx.polite(h.start, h.end)
                || (CLOSING_THANKS.contains(&entry.phrase())
                    && ctx.signs_off_a_question(h.tokens.clone()))
            {
                modifiers.push(Modifier::Politeness);
                v = 0.0;
            } else if intensifiers.contains(&(h.tokens.start, h.tokens.end))
                || ctx
                    .idea_spans
                    .iter()
                    .any(|&(a, b)| a <= h.tokens.start && h.tokens.end <= b)
            {
                // "בזבוז אדיר"; "אין לכם מושג כמה…" intensifies what follows.
                modifiers.push(Modifier::Intensifier);
                v = 0.0;
            } else if ctx.discourse_marker(h.tokens.start, h.tokens.end, analysis) {
                modifiers.push(Modifier::Discourse);
                v = 0.0;
            } else {
                let tokens = &analysis.tokens()[h.tokens.clone()];
                let caps = (!ctx.all_caps_text
                    && tokens.iter().any(|t| t.flags.contains(Flags::ALL_CAPS)))
                    || tokens.iter().any(|t| t.flags.contains(Flags::SPACED));
                let elongated = tokens.iter().any(|t| t.flags.contains(Flags::ELONGATED));
                if caps || elongated {
                    modifiers.push(Modifier::Emphasis);
                    let extra = if caps { 0.733 } else { 0.0 } + if elongated { 0.5 } else { 0.0 };
                    v += v.signum() * extra;
                }
                if let Some((factor, kind, _)) = intensities[i] {
                    modifiers.push(if kind == ModifierKind::Booster {
                        Modifier::Boosted
                    } else {
                        Modifier::Diminished
                    });
                    v *= f64::from(factor);
                }
                // Emoji and emoticons say how the writer feels whatever stands before them.
                let pictograph = tokens
                    .iter()
                    .all(|t| matches!(t.kind, TokenKind::Emoji | TokenKind::Emoticon));
                let negatable = !pictograph && !entry.flags().nonegate;
                let negator = negatable
                    .then(|| {
                        ctx.negated_joined(
                            h.tokens.start,
                            if entry.weight() > 0.0 { 1 } else { -1 },
                            joined_by_vav(analysis, matches, h),
                        )
                    })
                    .flatten()
                    .filter(|m| !ctx.rhetorical(m, h.tokens.start, analysis));
                if v < 0.0
                    && negatable
                    && (negator.is_some_and(|m| ctx.prohibitive(m, analysis))
                        || ctx.after_prohibited_be(h.tokens.start, analysis))
                {
                    // "don't worry", "אל תתביישו לשאול", "אל תהיו עצובים": a bad feeling
                    // forbidden is an instruction, not a description.
                    modifiers.push(Modifier::Negated);
                    v = 0.0;
                } else if negatable
                    && (negator.is_some() || ctx.negated_in_gap(h, matches.words(h)))
                {
                    modifiers.push(Modifier::Negated);
                    v *= if v > 0.0 { -0.74 } else { -0.5 };
                } else if v > 0.0 && !pictograph && ctx.ended(h.tokens.start, h.tokens.end) {
                    modifiers.push(Modifier::Ended);
                    v *= -0.74;
                }
                v = damp_by_clause(ctx, analysis, h.tokens.start, v, &mut modifiers);
                let sarcastic = exclaimed_in_complaint
                    && entry.weight() >= 2.0
                    && exclaimed(h)
                    && !gratitude(analysis, h)
                    || complaint_context && scare_quoted(text, analysis, h)
                    || love_frame(analysis, h) && complains_after(h);
                if (ironic || sarcastic) && v > 0.0 {
                    modifiers.push(Modifier::Ironic);
                    v *= -0.6;
                } else if complaint_context && v > 0.0 {
                    modifiers.push(Modifier::ComplaintContext);
                    v *= 0.6;
                }
            }
            let ev = evidence(h.start, h.end, entry, modifiers);
            if v > 0.0 && is_laughter(analysis, &analysis.tokens()[h.tokens.clone()]) {
                laughter.push((v, ev, entry, h.group));
                continue;
            }
            sum += v;
            if trace {
                traces.push(HitTrace::new(h.group, entry, v, ev.clone()));
            }
            if v != 0.0 {
                sentiment_evidence.push(ev);
            }
        }
        // Written scores the sentiment entries do not already read ("10 out of 10", "1 star").
        for r in rating::find(text, analysis, hits, lexicon) {
            if hits
                .iter()
                .any(|h| h.group == Group::Sentiment && h.start < r.end && r.start < h.end)
            {
                continue;
            }
            let entry = lexicon.entry(r.cue);
            let mut modifiers = vec![Modifier::Rating];
            let mut v = r.valence();
            // "wouldn't give them 10/10" takes the praise back; "not even 1/10" is no better.
            if v > 0.0 && ctx.negated(r.first).is_some() {
                modifiers.push(Modifier::Negated);
                v *= -0.74;
            }
            v = damp_by_clause(ctx, analysis, r.first, v, &mut modifiers);
            if complaint_context && v > 0.0 {
                modifiers.push(Modifier::ComplaintContext);
                v *= 0.6;
            }
            let ev = evidence(r.start, r.end, entry, modifiers);
            sum += v;
            if trace {
                traces.push(HitTrace::new(Group::Sentiment, entry, v, ev.clone()));
            }
            if v != 0.0 {
                sentiment_evidence.push(ev);
            }
        }
        for l in &reported {
            // A label asked about says nothing yet of how the writer feels ("is there an outage
            // in my area?", "when does my contract end?"), nor does a churn signal the customer
            // took back ("לק' ביקש לנתק, קיבל הנחה ונשאר"), or a complaint put right.
            if l.evidence
                .iter()
                .all(|e| e.modifiers.contains(&Modifier::Question) || settles(e))
            {
                continue;
            }
            // A contract nearing its end and a transfer to retention are facts of the account, not
            // feelings: "לק' שאל מתי מסתיימת ההתחייבות", "cust wants reminder before contract end".
            let per_label = match l.label.as_str() {
                "churn.contract_end" | "churn.retention_transfer" => 0.0,
                label if label.starts_with("churn.") => 1.5,
                _ => 1.2,
            };
            sum -= per_label * l.score;
        }
        let mocking = sum < 0.0;
        for (mut v, mut ev, entry, group) in laughter {
            if mocking {
                ev.modifiers.push(Modifier::Ironic);
                v = -v;
            }
            sum += v;
            if trace {
                traces.push(HitTrace::new(group, entry, v, ev.clone()));
            }
            sentiment_evidence.push(ev);
        }
        sentiment_evidence.sort_by_key(|e| (e.start, e.end));
        if sum != 0.0 {
            sum += sum.signum() * 0.292 * ctx.exclamations.min(4) as f64;
        } else if ctx.indignant_questions > 0 {
            // "?!", "!?", "??": a question asked in indignation, with no word to say how the
            // writer feels, still says it ("מה זה?!", "seriously??").
            sum = -0.8;
        }
        let score = round3(sum / (sum * sum + ALPHA).sqrt());
        let label = if score >= NEUTRAL_BAND {
            Polarity::Positive
        } else if score <= -NEUTRAL_BAND {
            Polarity::Negative
        } else {
            Polarity::Neutral
        };
        let lang = match lang {
            Some(l) if !l.is_empty() => l.to_string(),
            _ => Lang::detect(text).as_str().to_string(),
        };
        let churn_risk = churn_risk(&reported, score);
        traces.sort_by_key(|t| (t.evidence.start, t.evidence.end));
        Explanation {
            classification: Classification {
                lang,
                sentiment: Sentiment {
                    score,
                    label,
                    evidence: sentiment_evidence,
                },
                labels: reported,
                churn_risk,
            },
            hits: traces,
            all_labels,
            sentiment_sum: round3(sum),
        }
    }
}

#[cfg(test)]
mod tests;
