//! Deterministic corpus generator: a seeded stream of realistic Hebrew and English
//! customer-service records for tests, benchmarks and demos.
//!
//! It takes its settings from a [`GeneratorBuilder`] (seed, count, date span, Hebrew share,
//! customers, mean text size) and hands on [`GeneratedRecord`]s, or JSONL lines that
//! [`crate::source`] reads like any CRM export. Texts are composed from hand-written fragments per
//! register — CRM-shorthand agent notes, first-person chats with slang and emoji, public social
//! posts, formal e-mails, survey verbatims and call transcripts — with slots for prices, phone
//! numbers, dates, competitors and regulators. They cover the complaint and churn signals the later
//! stages look for, plus neutral requests and praise.
//!
//! Determinism: a small xoshiro256** generator seeded through SplitMix64, integer arithmetic for
//! time, and only correctly rounded float operations (no `ln`, `exp` or `powf`), so the same
//! settings give the same bytes on every platform. Record `n` depends only on the settings and `n`:
//! a corpus can be generated in any order or in parallel ([`Generator::record`]), and memory does not
//! grow with the count.
//!
//! Shape of a corpus: channel shares as in [`Channel::share`]; about 45% negative, 30% neutral and
//! 25% positive texts; a skewed customer distribution (most customers write once or twice, a few
//! many times), each customer with a stable language, product, segment, name, phone and e-mail;
//! timestamps in order over the span with a weekday and hour pattern (an Israeli working week in
//! local time, taken as UTC+2), a few outage days on which technical complaints spike, and a month
//! after a price rise in which pricing complaints do.

use std::io::{self, Write};
use std::sync::{Arc, OnceLock};

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use jiff::tz::{Offset, TimeZone};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::record::Record;
use crate::{Error, Result};

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/// Where a generated text was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// A note an agent wrote in the CRM after a contact: third person, shorthand.
    AgentNote,
    /// A customer's chat messages: first person, slang, emoji.
    Chat,
    /// A customer's e-mail: formal, greeting, body and closing.
    Email,
    /// A public social-media post that mentions the company.
    Social,
    /// A short verbatim from a satisfaction survey.
    Survey,
    /// A transcript of a phone call between an agent and a customer.
    CallTranscript,
}

impl Channel {
    /// Every channel, in a fixed order.
    pub const ALL: [Channel; 6] = [
        Channel::AgentNote,
        Channel::Chat,
        Channel::Email,
        Channel::Social,
        Channel::Survey,
        Channel::CallTranscript,
    ];

    /// The channel's name as written in records (`agent_note`, `chat`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::AgentNote => "agent_note",
            Channel::Chat => "chat",
            Channel::Email => "email",
            Channel::Social => "social",
            Channel::Survey => "survey",
            Channel::CallTranscript => "call_transcript",
        }
    }

    /// The expected share of records in this channel (the shares add up to 1).
    pub fn share(self) -> f64 {
        f64::from(self.per_mille()) / 1000.0
    }

    fn per_mille(self) -> u32 {
        match self {
            Channel::AgentNote => 350,
            Channel::Chat => 250,
            Channel::Email => 120,
            Channel::Social => 100,
            Channel::Survey => 100,
            Channel::CallTranscript => 80,
        }
    }

    /// The channel's typical length, in percent of the corpus mean.
    fn length_percent(self) -> u32 {
        match self {
            Channel::AgentNote => 58,
            Channel::Chat => 125,
            Channel::Email => 245,
            Channel::Social => 58,
            Channel::Survey => 20,
            Channel::CallTranscript => 195,
        }
    }

    /// Whether records of this channel name the agent who handled them.
    fn has_agent(self) -> bool {
        matches!(
            self,
            Channel::AgentNote | Channel::Chat | Channel::CallTranscript
        )
    }
}

/// The product line a customer has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Product {
    /// Mobile phone line.
    Mobile,
    /// Home internet (fibre, broadband).
    Internet,
    /// Pay television.
    Tv,
    /// Insurance policy.
    Insurance,
    /// Bank account or credit card.
    Banking,
}

impl Product {
    /// Every product, in a fixed order.
    pub const ALL: [Product; 5] = [
        Product::Mobile,
        Product::Internet,
        Product::Tv,
        Product::Insurance,
        Product::Banking,
    ];

    /// The product's name as written in records.
    pub fn as_str(self) -> &'static str {
        match self {
            Product::Mobile => "mobile",
            Product::Internet => "internet",
            Product::Tv => "tv",
            Product::Insurance => "insurance",
            Product::Banking => "banking",
        }
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }

    /// Typical amounts, in shekels (divided by three for dollars and pounds).
    fn amount_range(self) -> (u64, u64) {
        match self {
            Product::Mobile => (15, 250),
            Product::Internet => (30, 400),
            Product::Tv => (40, 450),
            Product::Insurance => (90, 2400),
            Product::Banking => (10, 900),
        }
    }

    /// The range of a monthly price, in shekels (Israel) or dollars and pounds.
    fn monthly_range(self, region: Region) -> (u64, u64) {
        match (self, region) {
            (Product::Mobile, Region::Israel) => (29, 99),
            (Product::Internet, Region::Israel) => (79, 169),
            (Product::Tv, Region::Israel) => (99, 259),
            (Product::Insurance, Region::Israel) => (120, 480),
            (Product::Banking, Region::Israel) => (9, 39),
            (Product::Mobile, _) => (25, 85),
            (Product::Internet, _) => (40, 110),
            (Product::Tv, _) => (45, 140),
            (Product::Insurance, _) => (60, 240),
            (Product::Banking, _) => (5, 25),
        }
    }
}

/// Whether the customer is a private person or a business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Segment {
    /// A private customer.
    Consumer,
    /// A business account.
    Business,
}

impl Segment {
    /// The segment's name as written in records.
    pub fn as_str(self) -> &'static str {
        match self {
            Segment::Consumer => "consumer",
            Segment::Business => "business",
        }
    }
}

/// The language a text was composed in. Hebrew texts often contain English words (wifi, app,
/// upgrade) and Latin brand names; English texts never contain Hebrew.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// Israeli Hebrew.
    Hebrew,
    /// English (American or British customers).
    English,
}

impl Language {
    /// The language code (`he`, `en`).
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Hebrew => "he",
            Language::English => "en",
        }
    }
}

/// The polarity the generator aimed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sentiment {
    /// A complaint, possibly with churn signals.
    Negative,
    /// A request or question.
    Neutral,
    /// Praise or thanks.
    Positive,
}

impl Sentiment {
    /// The sentiment's name (`negative`, `neutral`, `positive`).
    pub fn as_str(self) -> &'static str {
        match self {
            Sentiment::Negative => "negative",
            Sentiment::Neutral => "neutral",
            Sentiment::Positive => "positive",
        }
    }
}

/// One generated customer-service record.
///
/// [`GeneratedRecord::write_json`] writes the fields a real export has: `id`, `text`,
/// `customer_id`, `channel`, `agent_id` (notes, chats and calls only), `timestamp` (RFC 3339, UTC),
/// `product` and `segment`. `lang` is deliberately absent (detecting it is the analyzer's job); the
/// generator's own view of language, sentiment and signals is kept in the struct as ground truth
/// and never written.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedRecord {
    /// Stable id: `g{seed}-{n}`.
    pub id: String,
    /// The text.
    pub text: String,
    /// The customer (`C` and seven or more digits); the same customer keeps the same language,
    /// product, segment, name and phone number.
    pub customer_id: String,
    /// Where the text was written.
    pub channel: Channel,
    /// The agent who wrote or handled it (`A1…` Hebrew desk, `A2…` English desk).
    pub agent_id: Option<String>,
    /// When it was written.
    pub timestamp: Timestamp,
    /// The customer's product line.
    pub product: Product,
    /// The customer's segment.
    pub segment: Segment,
    /// The language the text was composed in (ground truth, not written).
    pub language: Language,
    /// The sentiment the text was composed to carry (ground truth, not written).
    pub sentiment: Sentiment,
    /// The complaint and churn labels of the fragments the text was composed from, such as
    /// `complaint.billing` or `churn.cancel_intent` (ground truth, not written).
    pub signals: Vec<&'static str>,
}

impl GeneratedRecord {
    /// Writes the record as one JSON object followed by a newline.
    ///
    /// # Errors
    /// Any error of `out`.
    pub fn write_json<W: Write + ?Sized>(&self, out: &mut W) -> io::Result<()> {
        let line = JsonLine {
            id: &self.id,
            text: &self.text,
            customer_id: &self.customer_id,
            channel: self.channel.as_str(),
            agent_id: self.agent_id.as_deref(),
            timestamp: Rfc3339(self.timestamp),
            product: self.product.as_str(),
            segment: self.segment.as_str(),
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")
    }

    /// The record as the pipeline's [`Record`]: `product` and `segment` go to `meta`, `lang` stays
    /// unset.
    pub fn into_record(self) -> Record {
        let mut meta = Map::new();
        meta.insert(
            "product".into(),
            Value::String(self.product.as_str().into()),
        );
        meta.insert(
            "segment".into(),
            Value::String(self.segment.as_str().into()),
        );
        Record {
            id: self.id,
            text: self.text,
            customer_id: Some(self.customer_id),
            channel: Some(self.channel.as_str().into()),
            agent_id: self.agent_id,
            timestamp: Some(self.timestamp),
            lang: None,
            meta,
        }
    }
}

#[derive(Serialize)]
struct JsonLine<'a> {
    id: &'a str,
    text: &'a str,
    customer_id: &'a str,
    channel: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    agent_id: Option<&'a str>,
    timestamp: Rfc3339,
    product: &'static str,
    segment: &'static str,
}

struct Rfc3339(Timestamp);

impl Serialize for Rfc3339 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

// ---------------------------------------------------------------------------------------------
// Builder and generator
// ---------------------------------------------------------------------------------------------

/// Configures a [`Generator`].
///
/// # Examples
///
/// ```
/// use kashev::generate::GeneratorBuilder;
///
/// let generator = GeneratorBuilder::new().seed(7).count(3).build().unwrap();
/// let mut out = Vec::new();
/// generator.write_jsonl(&mut out).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap().lines().count(), 3);
/// ```
#[derive(Debug, Clone)]
pub struct GeneratorBuilder {
    seed: u64,
    count: u64,
    start: Date,
    days: u32,
    hebrew_share: f64,
    customers: Option<u64>,
    mean_bytes: usize,
}

impl Default for GeneratorBuilder {
    fn default() -> GeneratorBuilder {
        GeneratorBuilder::new()
    }
}

impl GeneratorBuilder {
    /// Defaults: seed 1, 1,000 records from 2026-01-01 over 365 days, 65% Hebrew, one customer per
    /// eight records, texts of about 500 bytes on average.
    pub fn new() -> GeneratorBuilder {
        GeneratorBuilder {
            seed: 1,
            count: 1000,
            start: jiff::civil::date(2026, 1, 1),
            days: 365,
            hebrew_share: 0.65,
            customers: None,
            mean_bytes: 500,
        }
    }

    /// The seed: the same settings and seed give the same corpus, byte for byte.
    pub fn seed(&mut self, seed: u64) -> &mut GeneratorBuilder {
        self.seed = seed;
        self
    }

    /// How many records to generate.
    pub fn count(&mut self, count: u64) -> &mut GeneratorBuilder {
        self.count = count;
        self
    }

    /// The first day of the span (UTC).
    pub fn start(&mut self, start: Date) -> &mut GeneratorBuilder {
        self.start = start;
        self
    }

    /// How many days the timestamps spread over (1 to 36,600).
    pub fn days(&mut self, days: u32) -> &mut GeneratorBuilder {
        self.days = days;
        self
    }

    /// The share of Hebrew records, from 0 to 1.
    pub fn hebrew_share(&mut self, share: f64) -> &mut GeneratorBuilder {
        self.hebrew_share = share;
        self
    }

    /// How many distinct customers write (default: one per eight records, at least one).
    pub fn customers(&mut self, customers: u64) -> &mut GeneratorBuilder {
        self.customers = Some(customers);
        self
    }

    /// The mean text length to aim for, in UTF-8 bytes (50 to 100,000). From about 250 to 1,000
    /// bytes the corpus mean lands within 25% of it (measured: 250 → ~305, 500 → ~465,
    /// 1,000 → ~880); smaller targets are exceeded, since every text has at least one whole
    /// fragment, and much larger ones are approached but not reached, since a text is not padded
    /// beyond what a customer would plausibly write.
    pub fn mean_bytes(&mut self, bytes: usize) -> &mut GeneratorBuilder {
        self.mean_bytes = bytes;
        self
    }

    /// Validates the settings and prepares the calendar.
    ///
    /// # Errors
    /// [`Error::Usage`] for a share outside 0..=1, a span outside 1..=36,600 days or past year
    /// 9999, zero customers, or a mean size outside 50..=100,000 bytes.
    pub fn build(&self) -> Result<Generator> {
        if !(0.0..=1.0).contains(&self.hebrew_share) {
            return Err(Error::Usage(format!(
                "the Hebrew share must be between 0 and 1, not {}",
                self.hebrew_share
            )));
        }
        if !(1..=36_600).contains(&self.days) {
            return Err(Error::Usage(format!(
                "the span must be 1 to 36600 days, not {}",
                self.days
            )));
        }
        if !(50..=100_000).contains(&self.mean_bytes) {
            return Err(Error::Usage(format!(
                "the mean text size must be 50 to 100000 bytes, not {}",
                self.mean_bytes
            )));
        }
        let customers = self.customers.unwrap_or((self.count / 8).max(1));
        if customers == 0 {
            return Err(Error::Usage("there must be at least one customer".into()));
        }
        let out_of_range = |_| {
            Error::Usage(format!(
                "the span {} + {} days is outside the supported dates",
                self.start, self.days
            ))
        };
        let start_second = self
            .start
            .to_datetime(Time::midnight())
            .to_zoned(TimeZone::UTC)
            .map_err(out_of_range)?
            .timestamp()
            .as_second();
        Timestamp::from_second(start_second + i64::from(self.days) * 86_400)
            .map_err(out_of_range)?;

        let he_customers = hebrew_pool_size(customers, self.hebrew_share);
        let mut rng = Rng::derive(self.seed, STREAM_SETUP, 0);
        let calendar = Calendar::new(&mut rng, self.start, self.days);
        let he_perm = Permutation::new(&mut rng, he_customers);
        let en_perm = Permutation::new(&mut rng, customers - he_customers);
        let weighted: u64 = Channel::ALL
            .iter()
            .map(|c| u64::from(c.per_mille() * c.length_percent()))
            .sum();
        Ok(Generator {
            inner: Arc::new(Inner {
                seed: self.seed,
                count: self.count,
                start_second,
                hebrew_share: self.hebrew_share,
                customers,
                he_customers,
                he_perm,
                en_perm,
                mean_bytes: self.mean_bytes,
                length_scale: 100_000.0 / weighted as f64,
                calendar,
            }),
        })
    }
}

/// A configured, immutable corpus generator; cheap to clone, `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Generator {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    seed: u64,
    count: u64,
    start_second: i64,
    hebrew_share: f64,
    customers: u64,
    he_customers: u64,
    he_perm: Permutation,
    en_perm: Permutation,
    mean_bytes: usize,
    length_scale: f64,
    calendar: Calendar,
}

impl Generator {
    /// How many records the generator yields.
    pub fn count(&self) -> u64 {
        self.inner.count
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.inner.seed
    }

    /// All records in order (timestamps never decrease).
    pub fn records(&self) -> Records<'_> {
        Records {
            generator: self,
            next: 0,
            end: self.inner.count,
        }
    }

    /// Writes every record as JSONL and returns how many were written. Memory use does not depend
    /// on the count; `out` should be buffered.
    ///
    /// # Errors
    /// The first error of `out` (a closed pipe included), as is.
    pub fn write_jsonl<W: Write>(&self, mut out: W) -> io::Result<u64> {
        for record in self.records() {
            record.write_json(&mut out)?;
        }
        out.flush()?;
        Ok(self.inner.count)
    }

    /// Record number `n` (from 0), computed on its own: the same `n` always gives the same record.
    ///
    /// # Panics
    /// When `n` is not below [`Generator::count`].
    pub fn record(&self, n: u64) -> GeneratedRecord {
        let inner = &*self.inner;
        assert!(n < inner.count, "record {n} of {}", inner.count);
        let mut rng = Rng::derive(inner.seed, STREAM_RECORD, n);
        let fraction = rng.next_u64() >> 32;
        let (day, second) = inner.calendar.place(n, fraction, inner.count);
        let unix = inner.start_second + i64::from(day) * 86_400 + i64::from(second);
        let timestamp = Timestamp::from_second(unix).expect("the span was checked at build");

        let language = if rng.chance(inner.hebrew_share) {
            Language::Hebrew
        } else {
            Language::English
        };
        let customer_index = inner.pick_customer(&mut rng, language);
        let customer = Customer::new(inner.seed, customer_index, language);
        let channel = Channel::ALL[rng.weighted(&Channel::ALL.map(Channel::per_mille))];
        let agent = channel.has_agent().then(|| {
            let desk = match language {
                Language::Hebrew => HE_AGENTS,
                Language::English => EN_AGENTS,
            };
            Agent::new(inner.seed, language, rng.below(desk))
        });

        let mut mix = sentiment_mix(channel);
        if agent.as_ref().is_some_and(|a| a.careless) {
            mix[0] += 100;
            mix[2] = mix[2].saturating_sub(100);
        }
        let mut sentiment =
            [Sentiment::Negative, Sentiment::Neutral, Sentiment::Positive][rng.weighted(&mix)];
        let events = inner.calendar.events_on(day, customer.product);
        let mut primary = None;
        if events.outage && rng.chance(0.6) {
            sentiment = Sentiment::Negative;
            primary = Some(Topic::TechFault);
        }
        let primary = primary.unwrap_or_else(|| {
            choose_primary(&mut rng, inner.seed, &customer, sentiment, day, events)
        });

        let target = inner.target(&mut rng, channel, language, sentiment);
        let mut composer = Composer::new(rng, language, &customer, agent.as_ref(), unix);
        composer.extra_topics = inner.mean_bytes.saturating_sub(500) / 100;
        let text = composer.compose(channel, sentiment, primary, target);
        let signals = composer.signals;

        GeneratedRecord {
            id: format!("g{}-{n}", inner.seed),
            text,
            customer_id: customer.id.clone(),
            channel,
            agent_id: agent.map(|a| a.id),
            timestamp,
            product: customer.product,
            segment: customer.segment,
            language,
            sentiment,
            signals,
        }
    }
}

impl Inner {
    /// The length to aim for: the mean, scaled by channel, language (the same content takes about
    /// 1.4 times as many bytes in Hebrew), sentiment (complaints run longer) and a random factor,
    /// each scale normalised so that the corpus mean stays at `mean_bytes`.
    fn target(
        &self,
        rng: &mut Rng,
        channel: Channel,
        language: Language,
        sentiment: Sentiment,
    ) -> usize {
        const HE: f64 = 1.15;
        const EN: f64 = 0.8;
        let share = self.hebrew_share;
        let language = match language {
            Language::Hebrew => HE,
            Language::English => EN,
        } / (share * HE + (1.0 - share) * EN);
        let factors = [1.2, 0.85, 0.75];
        let mix = sentiment_mix(channel);
        let norm: f64 = mix
            .iter()
            .zip(factors)
            .map(|(&m, f)| f64::from(m) * f)
            .sum::<f64>()
            / 1000.0;
        let sentiment = factors[sentiment as usize] / norm;
        let channel = f64::from(channel.length_percent()) * self.length_scale / 100.0;
        let jitter = 0.55 + 0.45 * (rng.unit() + rng.unit());
        ((self.mean_bytes as f64) * CALIBRATION * channel * language * sentiment * jitter) as usize
    }

    /// A customer index in the record's language pool, skewed so that a few customers write often.
    fn pick_customer(&self, rng: &mut Rng, language: Language) -> u64 {
        let he = self.he_customers;
        let en = self.customers - he;
        let (base, size, perm) = match language {
            Language::Hebrew if he > 0 => (0, he, &self.he_perm),
            Language::English if en > 0 => (he, en, &self.en_perm),
            Language::Hebrew => (he, en, &self.en_perm),
            Language::English => (0, he, &self.he_perm),
        };
        base + perm.apply(skewed_rank(rng, size))
    }
}

/// The iterator of [`Generator::records`].
#[derive(Debug, Clone)]
pub struct Records<'a> {
    generator: &'a Generator,
    next: u64,
    end: u64,
}

impl Iterator for Records<'_> {
    type Item = GeneratedRecord;

    fn next(&mut self) -> Option<GeneratedRecord> {
        if self.next >= self.end {
            return None;
        }
        let record = self.generator.record(self.next);
        self.next += 1;
        Some(record)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = usize::try_from(self.end - self.next).unwrap_or(usize::MAX);
        (left, Some(left))
    }
}

impl std::iter::FusedIterator for Records<'_> {}

// ---------------------------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------------------------

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;
/// Texts come out a little shorter than their targets (fragments are whole, and one that would
/// overshoot is left out); this scale, measured over large corpora, compensates.
const CALIBRATION: f64 = 1.34;
const STREAM_SETUP: u64 = 1;
const STREAM_RECORD: u64 = 2;
const STREAM_CUSTOMER: u64 = 3;
const STREAM_AGENT: u64 = 4;
const STREAM_ISSUE: u64 = 5;

/// The SplitMix64 finaliser: a good 64-bit mixing function.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256** (Blackman and Vigna), seeded with SplitMix64. Written here so that the corpus does
/// not change with a dependency's version.
#[derive(Debug, Clone)]
struct Rng {
    s: [u64; 4],
}

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(GOLDEN);
            mix64(x)
        };
        let mut s = [next(), next(), next(), next()];
        if s == [0; 4] {
            s[0] = GOLDEN;
        }
        Rng { s }
    }

    /// An independent generator for item `n` of a stream.
    fn derive(seed: u64, stream: u64, n: u64) -> Rng {
        Rng::new(mix64(seed ^ mix64(stream.wrapping_mul(GOLDEN) ^ mix64(n))))
    }

    fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (Lemire's method, unbiased); `n` must be positive.
    fn below(&mut self, n: u64) -> u64 {
        let mut m = u128::from(self.next_u64()) * u128::from(n);
        if (m as u64) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u64) < threshold {
                m = u128::from(self.next_u64()) * u128::from(n);
            }
        }
        (m >> 64) as u64
    }

    fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// An item drawn with the given weights.
    fn weighted_pick<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let mut weights = [0u32; 8];
        for (w, (_, weight)) in weights.iter_mut().zip(items) {
            *w = *weight;
        }
        &items[self.weighted(&weights[..items.len()])].0
    }

    /// An index drawn with the given weights (not all zero).
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut r = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if r < u64::from(w) {
                return i;
            }
            r -= u64::from(w);
        }
        weights.len() - 1
    }
}

/// A rank in `0..n` with a long tail: density proportional to `1 / (x + x0)²` over `[0, 1)`, so the
/// busiest customer writes about 25 times as often as the average one and the quietest rarely.
fn skewed_rank(rng: &mut Rng, n: u64) -> u64 {
    const X0: f64 = 1.0 / 24.0;
    let a = 1.0 / X0;
    let b = 1.0 / (1.0 + X0);
    let x = 1.0 / (a - rng.unit() * (a - b)) - X0;
    ((x * n as f64) as u64).min(n.saturating_sub(1))
}

/// A bijection of `0..n` (multiply and add modulo `n`), so that busy customers are not simply the
/// lowest numbers.
#[derive(Debug)]
struct Permutation {
    n: u64,
    multiplier: u64,
    offset: u64,
}

impl Permutation {
    fn new(rng: &mut Rng, n: u64) -> Permutation {
        if n <= 1 {
            return Permutation {
                n: n.max(1),
                multiplier: 1,
                offset: 0,
            };
        }
        let mut multiplier = rng.between(1, n - 1);
        while gcd(multiplier, n) != 1 {
            multiplier = rng.between(1, n - 1);
        }
        Permutation {
            n,
            multiplier,
            offset: rng.below(n),
        }
    }

    fn apply(&self, i: u64) -> u64 {
        ((u128::from(i) * u128::from(self.multiplier) + u128::from(self.offset))
            % u128::from(self.n)) as u64
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn hebrew_pool_size(customers: u64, share: f64) -> u64 {
    let he = ((customers as f64) * share + 0.5) as u64;
    let he = he.min(customers);
    if customers < 2 {
        return he;
    }
    match (share > 0.0, share < 1.0) {
        (true, true) => he.clamp(1, customers - 1),
        (true, false) => customers,
        (false, _) => 0,
    }
}

// ---------------------------------------------------------------------------------------------
// Calendar: where in the span record n falls
// ---------------------------------------------------------------------------------------------

/// Contact volume per local hour (Sunday to Thursday, Friday, Saturday).
const HOURS_WORKDAY: [u32; 24] = [
    4, 2, 1, 1, 1, 2, 5, 12, 30, 55, 62, 60, 55, 52, 55, 54, 50, 45, 40, 42, 45, 38, 25, 12,
];
const HOURS_FRIDAY: [u32; 24] = [
    5, 3, 1, 1, 1, 2, 4, 10, 25, 45, 52, 50, 42, 30, 18, 12, 10, 10, 10, 12, 15, 14, 10, 6,
];
const HOURS_SATURDAY: [u32; 24] = [
    6, 3, 1, 1, 1, 1, 2, 4, 8, 12, 14, 15, 15, 14, 14, 14, 15, 18, 25, 32, 34, 28, 18, 9,
];
/// Contact volume per weekday, Sunday first.
const WEEKDAY_WEIGHT: [u64; 7] = [100, 104, 100, 97, 92, 55, 40];
/// Local time is taken as UTC+2 for the hour pattern.
const LOCAL_OFFSET_HOURS: usize = 2;
const PRICE_RISE_DAYS: u32 = 30;

#[derive(Debug)]
struct Calendar {
    /// Cumulative contact weight per day.
    day_cum: Vec<u64>,
    /// Cumulative weight per UTC hour, for workdays, Fridays and Saturdays.
    hour_cum: [[u64; 25]; 3],
    start_weekday: u32,
    /// Outage days and the product that failed.
    outages: Vec<(u32, Product)>,
    price_rise: Option<u32>,
}

#[derive(Debug, Clone, Copy, Default)]
struct DayEvents {
    outage: bool,
    price_rise: bool,
}

impl Calendar {
    fn new(rng: &mut Rng, start: Date, days: u32) -> Calendar {
        let start_weekday = start.weekday().to_sunday_zero_offset() as u32;
        let outages: Vec<(u32, Product)> = (0..(days / 120).max(1))
            .map(|_| {
                let day = rng.below(u64::from(days)) as u32;
                let product = [
                    Product::Internet,
                    Product::Mobile,
                    Product::Tv,
                    Product::Banking,
                ][rng.weighted(&[4, 3, 2, 1])];
                (day, product)
            })
            .collect();
        let price_rise = (days >= 8).then(|| days / 4 + rng.below(u64::from(days / 2) + 1) as u32);
        let mut day_cum = Vec::with_capacity(days as usize);
        let mut total = 0u64;
        for day in 0..days {
            let weekday = ((start_weekday + day) % 7) as usize;
            let mut weight = WEEKDAY_WEIGHT[weekday] * rng.between(85, 115) * 100;
            if outages.iter().any(|&(d, _)| d == day) {
                weight *= 3;
            } else if outages.iter().any(|&(d, _)| d + 1 == day) {
                weight = weight * 16 / 10;
            }
            if price_rise.is_some_and(|p| (p..p + PRICE_RISE_DAYS).contains(&day)) {
                weight = weight * 115 / 100;
            }
            total += weight;
            day_cum.push(total);
        }
        let mut hour_cum = [[0u64; 25]; 3];
        for (kind, local) in [HOURS_WORKDAY, HOURS_FRIDAY, HOURS_SATURDAY]
            .iter()
            .enumerate()
        {
            for hour in 0..24 {
                let weight = u64::from(local[(hour + LOCAL_OFFSET_HOURS) % 24]);
                hour_cum[kind][hour + 1] = hour_cum[kind][hour] + weight;
            }
        }
        Calendar {
            day_cum,
            hour_cum,
            start_weekday,
            outages,
            price_rise,
        }
    }

    /// The day and second of day of record `n` of `count`: stratified by `n`, so that timestamps
    /// never decrease, then mapped through the day and hour weights. Integer arithmetic only.
    fn place(&self, n: u64, fraction: u64, count: u64) -> (u32, u32) {
        let total = u128::from(*self.day_cum.last().expect("at least one day"));
        let position =
            ((u128::from(n) << 32) | u128::from(fraction)) * total / (u128::from(count) << 32);
        let position = position as u64;
        let day = self.day_cum.partition_point(|&c| c <= position);
        let before = if day == 0 { 0 } else { self.day_cum[day - 1] };
        let within = u128::from(position - before);
        let width = u128::from(self.day_cum[day] - before);
        let weekday = (self.start_weekday + day as u32) % 7;
        let hours = &self.hour_cum[match weekday {
            5 => 1,
            6 => 2,
            _ => 0,
        }];
        let scaled = within * u128::from(hours[24]) * 3600 / width;
        let hour = hours.partition_point(|&c| u128::from(c) * 3600 <= scaled) - 1;
        let hour_width = u128::from(hours[hour + 1] - hours[hour]);
        let second = (scaled - u128::from(hours[hour]) * 3600) / hour_width;
        (day as u32, hour as u32 * 3600 + second as u32)
    }

    fn events_on(&self, day: u32, product: Product) -> DayEvents {
        DayEvents {
            outage: self.outages.iter().any(|&(d, p)| d == day && p == product),
            price_rise: self
                .price_rise
                .is_some_and(|p| (p..p + PRICE_RISE_DAYS).contains(&day)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// People: customers and agents
// ---------------------------------------------------------------------------------------------

const HE_AGENTS: u64 = 40;
const EN_AGENTS: u64 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gender {
    Male,
    Female,
}

impl Gender {
    fn random(rng: &mut Rng) -> Gender {
        if rng.chance(0.5) {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    fn index(self) -> usize {
        match self {
            Gender::Male => 0,
            Gender::Female => 1,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Region {
    Israel,
    Us,
    Uk,
}

impl Region {
    const ALL: [Region; 3] = [Region::Israel, Region::Us, Region::Uk];

    fn name(self) -> &'static str {
        match self {
            Region::Israel => "il",
            Region::Us => "us",
            Region::Uk => "uk",
        }
    }
}

/// A first name in both scripts: the Latin form makes e-mail addresses.
type Name = (&'static str, &'static str);

fn first_names(language: Language, gender: Gender) -> &'static [Name] {
    match (language, gender) {
        (Language::Hebrew, Gender::Male) => HE_MALE,
        (Language::Hebrew, Gender::Female) => HE_FEMALE,
        (Language::English, Gender::Male) => EN_MALE,
        (Language::English, Gender::Female) => EN_FEMALE,
    }
}

fn last_names(language: Language) -> &'static [Name] {
    match language {
        Language::Hebrew => HE_LAST,
        Language::English => EN_LAST,
    }
}

#[derive(Debug)]
struct Customer {
    id: String,
    gender: Gender,
    product: Product,
    segment: Segment,
    region: Region,
    first: Name,
    last: Name,
    /// The phone number's digits in national form.
    phone: String,
    email: String,
    tenure: u64,
    monthly: u64,
    lines: u64,
    israeli_id: String,
    card: String,
    /// Picks the business name and other stable choices.
    salt: u64,
    index: u64,
}

impl Customer {
    fn new(seed: u64, index: u64, language: Language) -> Customer {
        let mut rng = Rng::derive(seed, STREAM_CUSTOMER, index);
        let gender = Gender::random(&mut rng);
        let product = Product::ALL[rng.weighted(&[35, 25, 15, 12, 13])];
        let segment = if rng.chance(0.15) {
            Segment::Business
        } else {
            Segment::Consumer
        };
        let region = match language {
            Language::Hebrew => Region::Israel,
            Language::English if rng.chance(0.6) => Region::Us,
            Language::English => Region::Uk,
        };
        let first = *rng.pick(first_names(language, gender));
        let last = *rng.pick(last_names(language));
        let phone = match region {
            Region::Israel => format!(
                "05{}{:07}",
                rng.pick(&[0, 2, 3, 4, 5, 8]),
                rng.below(10_000_000)
            ),
            Region::Us => format!(
                "{}5550{:03}",
                rng.pick(&[212, 312, 415, 512, 617, 206, 303, 404]),
                100 + rng.below(100)
            ),
            Region::Uk => format!("07700900{:03}", rng.below(1000)),
        };
        let email = {
            let first = first.1.to_ascii_lowercase();
            let last = last.1.to_ascii_lowercase().replace(['\'', ' '], "");
            let domain = match region {
                Region::Israel => *rng.pick(&[
                    "gmail.com",
                    "gmail.com",
                    "walla.co.il",
                    "hotmail.com",
                    "yahoo.com",
                    "bezeqint.net",
                ]),
                Region::Us => *rng.pick(&["gmail.com", "gmail.com", "yahoo.com", "outlook.com"]),
                Region::Uk => {
                    *rng.pick(&["gmail.com", "hotmail.co.uk", "outlook.com", "icloud.com"])
                }
            };
            match rng.below(4) {
                0 => format!("{first}.{last}@{domain}"),
                1 => format!("{first}.{last}{}@{domain}", rng.between(60, 99)),
                2 => format!("{}{last}{}@{domain}", &first[..1], rng.between(1, 99)),
                _ => format!("{first}{last}@{domain}"),
            }
        };
        let (lo, hi) = product.monthly_range(region);
        let monthly = rng.between(lo, hi);
        Customer {
            id: format!("C{:07}", 1_000_000 + index),
            gender,
            product,
            segment,
            region,
            first,
            last,
            phone,
            email,
            tenure: rng.between(3, 15),
            monthly,
            lines: rng.between(3, 60),
            israeli_id: israeli_id(&mut rng),
            card: card_number(&mut rng),
            salt: rng.next_u64(),
            index,
        }
    }
}

/// A valid Israeli ID number: eight digits and a check digit.
fn israeli_id(rng: &mut Rng) -> String {
    let mut digits = [0u32; 9];
    digits[0] = rng.below(4) as u32;
    for d in digits.iter_mut().take(8).skip(1) {
        *d = rng.below(10) as u32;
    }
    let sum: u32 = digits[..8]
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            let x = d * if i % 2 == 0 { 1 } else { 2 };
            if x > 9 { x - 9 } else { x }
        })
        .sum();
    digits[8] = (10 - sum % 10) % 10;
    digits.iter().map(|&d| char::from(b'0' + d as u8)).collect()
}

/// A 16-digit card number that passes the Luhn check, grouped in fours.
fn card_number(rng: &mut Rng) -> String {
    let prefix = *rng.pick(&[[4u32, 5, 8, 0], [5, 3, 2, 6], [4, 1, 1, 1], [5, 4, 0, 4]]);
    let mut digits = [0u32; 16];
    digits[..4].copy_from_slice(&prefix);
    for d in digits.iter_mut().take(15).skip(4) {
        *d = rng.below(10) as u32;
    }
    let sum: u32 = digits[..15]
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            if (15 - i) % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    digits[15] = (10 - sum % 10) % 10;
    let mut out = String::with_capacity(19);
    for (i, d) in digits.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        out.push(char::from(b'0' + *d as u8));
    }
    out
}

/// The separators agents put between note fragments (". " twice as common).
const SEPARATORS: [&str; 7] = [". ", ". ", ", ", " | ", " - ", "\n", "; "];

#[derive(Debug)]
struct Agent {
    id: String,
    gender: Gender,
    first: Name,
    /// How the agent refers to the customer in notes (an index into the forms of `{C}`).
    customer_form: usize,
    /// The agent's habitual separator between note fragments.
    separator: &'static str,
    /// Whether the agent starts notes with a header such as `שיחה נכנסת:`.
    header: bool,
    /// Whether the agent capitalises English note fragments.
    capitalises: bool,
    /// Contacts with this agent go wrong more often.
    careless: bool,
}

impl Agent {
    fn new(seed: u64, language: Language, index: u64) -> Agent {
        let desk = match language {
            Language::Hebrew => 1,
            Language::English => 2,
        };
        let mut rng = Rng::derive(seed, STREAM_AGENT, desk * 1000 + index);
        let gender = Gender::random(&mut rng);
        Agent {
            id: format!("A{desk}{index:03}"),
            gender,
            first: *rng.pick(first_names(language, gender)),
            customer_form: rng.index(3),
            separator: SEPARATORS[rng.index(SEPARATORS.len())],
            header: rng.chance(0.3),
            capitalises: rng.chance(0.4),
            careless: index % 9 == 4,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Topics
// ---------------------------------------------------------------------------------------------

/// Declares a field-less enum with a fixed list of its variants and their names in the fragment
/// corpus.
macro_rules! named {
    ($(#[$meta:meta])* enum $name:ident { $($variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum $name { $($variant,)* }

        impl $name {
            const ALL: &'static [$name] = &[$($name::$variant,)*];

            fn name(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }

            fn from_name(name: &str) -> Option<$name> {
                match name { $($text => Some($name::$variant),)* _ => None }
            }
        }
    };
}

named! {
    /// What a text is about; each has fragments in every register of both languages.
    enum Topic {
        BillingError = "billing_error",
        PriceRise = "price_rise",
        LongWait = "long_wait",
        RepeatContact = "repeat_contact",
        Transfer = "transfer",
        Ivr = "ivr",
        RudeAgent = "rude_agent",
        BrokenPromise = "broken_promise",
        TechFault = "tech_fault",
        WrongDetails = "wrong_details",
        SelfService = "self_service",
        TechNoShow = "tech_no_show",
        ContractFee = "contract_fee",
        ProductQuality = "product_quality",
        Refund = "refund",
        CancelIntent = "cancel_intent",
        SwitchCompetitor = "switch_competitor",
        NumberPorting = "number_porting",
        RetentionTransfer = "retention_transfer",
        ContractEnd = "contract_end",
        LegalThreat = "legal_threat",
        RegulatorThreat = "regulator_threat",
        PublicThreat = "public_threat",
        Escalation = "escalation",
        PlanChange = "plan_change",
        BillQuestion = "bill_question",
        UpdateDetails = "update_details",
        ServiceRequest = "service_request",
        Appointment = "appointment",
        StatusCheck = "status_check",
        Moving = "moving",
        PraiseAgent = "praise_agent",
        QuickFix = "quick_fix",
        GoodOffer = "good_offer",
        Thanks = "thanks",
    }
}

const TOPICS: usize = 35;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Complaint,
    Churn,
    Neutral,
    Positive,
}

const ALL_PRODUCTS: u8 = 0b1_1111;
const HOME: u8 = 0b0_0110;

struct TopicInfo {
    class: Class,
    /// Weight as the main topic of a text of its class.
    weight: u32,
    /// Weight as an added churn signal (churn topics only).
    churn_weight: u32,
    /// The label later stages should find, if any.
    label: Option<&'static str>,
    /// The products the topic makes sense for.
    products: u8,
}

impl Topic {
    fn info(self) -> TopicInfo {
        use Class::*;
        let (class, weight, churn_weight, label, products) = match self {
            Topic::BillingError => (Complaint, 12, 0, "complaint.billing", ALL_PRODUCTS),
            Topic::PriceRise => (Complaint, 7, 0, "complaint.pricing", ALL_PRODUCTS),
            Topic::LongWait => (Complaint, 8, 0, "complaint.wait_time", ALL_PRODUCTS),
            Topic::RepeatContact => (Complaint, 6, 0, "complaint.repeat_contact", ALL_PRODUCTS),
            Topic::Transfer => (Complaint, 5, 0, "complaint.transfer_routing", ALL_PRODUCTS),
            Topic::Ivr => (Complaint, 4, 0, "complaint.ivr", ALL_PRODUCTS),
            Topic::RudeAgent => (Complaint, 5, 0, "complaint.agent_behavior", ALL_PRODUCTS),
            Topic::BrokenPromise => (Complaint, 7, 0, "complaint.broken_promise", ALL_PRODUCTS),
            Topic::TechFault => (Complaint, 13, 0, "complaint.technical_fault", ALL_PRODUCTS),
            Topic::WrongDetails => (Complaint, 4, 0, "complaint.data_error", ALL_PRODUCTS),
            Topic::SelfService => (
                Complaint,
                4,
                0,
                "complaint.self_service_failure",
                ALL_PRODUCTS,
            ),
            Topic::TechNoShow => (Complaint, 6, 0, "complaint.delivery_installation", HOME),
            Topic::ContractFee => (Complaint, 4, 0, "complaint.contract_terms", ALL_PRODUCTS),
            Topic::ProductQuality => (Complaint, 4, 0, "complaint.product_quality", ALL_PRODUCTS),
            Topic::Refund => (Complaint, 5, 0, "complaint.refund", ALL_PRODUCTS),
            Topic::CancelIntent => (Churn, 5, 30, "churn.cancel_intent", ALL_PRODUCTS),
            Topic::SwitchCompetitor => (Churn, 3, 20, "churn.switch_competitor", ALL_PRODUCTS),
            Topic::NumberPorting => (Churn, 3, 12, "churn.number_porting", Product::Mobile.bit()),
            Topic::RetentionTransfer => (Churn, 2, 6, "churn.retention_transfer", ALL_PRODUCTS),
            Topic::ContractEnd => (Churn, 2, 8, "churn.contract_end", ALL_PRODUCTS),
            Topic::LegalThreat => (Churn, 1, 6, "churn.legal_threat", ALL_PRODUCTS),
            Topic::RegulatorThreat => (Churn, 1, 8, "churn.regulator_threat", ALL_PRODUCTS),
            Topic::PublicThreat => (Churn, 1, 8, "churn.public_threat", ALL_PRODUCTS),
            Topic::Escalation => (Churn, 2, 12, "churn.escalation", ALL_PRODUCTS),
            Topic::PlanChange => return neutral(8),
            Topic::BillQuestion => return neutral(8),
            Topic::UpdateDetails => return neutral(5),
            Topic::ServiceRequest => return neutral(9),
            Topic::Appointment => return neutral(5),
            Topic::StatusCheck => return neutral(5),
            Topic::Moving => return neutral(3),
            Topic::PraiseAgent => return positive(6),
            Topic::QuickFix => return positive(5),
            Topic::GoodOffer => return positive(4),
            Topic::Thanks => return positive(5),
        };
        TopicInfo {
            class,
            weight,
            churn_weight,
            label: Some(label),
            products,
        }
    }
}

fn neutral(weight: u32) -> TopicInfo {
    TopicInfo {
        class: Class::Neutral,
        weight,
        churn_weight: 0,
        label: None,
        products: ALL_PRODUCTS,
    }
}

fn positive(weight: u32) -> TopicInfo {
    TopicInfo {
        class: Class::Positive,
        weight,
        churn_weight: 0,
        label: None,
        products: ALL_PRODUCTS,
    }
}

/// Sentiment weights (negative, neutral, positive) per mille, by channel; over the channel shares
/// they come to about 45/30/25.
fn sentiment_mix(channel: Channel) -> [u32; 3] {
    match channel {
        Channel::AgentNote => [450, 350, 200],
        Channel::Chat => [470, 330, 200],
        Channel::Email => [500, 300, 200],
        Channel::Social => [500, 120, 380],
        Channel::Survey => [350, 200, 450],
        Channel::CallTranscript => [450, 330, 220],
    }
}

/// Draws a topic with `weight_of` among those that fit the product and are not excluded.
fn draw_topic(
    rng: &mut Rng,
    product: Product,
    exclude: &[Topic],
    weight_of: impl Fn(Topic, &TopicInfo) -> u32,
) -> Option<Topic> {
    let mut weights = [0u32; TOPICS];
    for (slot, &topic) in weights.iter_mut().zip(Topic::ALL) {
        let info = topic.info();
        if info.products & product.bit() != 0 && !exclude.contains(&topic) {
            *slot = weight_of(topic, &info);
        }
    }
    (weights.iter().any(|&w| w > 0)).then(|| Topic::ALL[rng.weighted(&weights)])
}

fn choose_primary(
    rng: &mut Rng,
    seed: u64,
    customer: &Customer,
    sentiment: Sentiment,
    day: u32,
    events: DayEvents,
) -> Topic {
    let product = customer.product;
    let class_weight = |classes: &'static [Class]| {
        move |topic: Topic, info: &TopicInfo| {
            if !classes.contains(&info.class) {
                0
            } else if topic == Topic::PriceRise && events.price_rise {
                info.weight * 6
            } else {
                info.weight
            }
        }
    };
    match sentiment {
        Sentiment::Negative => {
            // A customer's complaints within a month tend to be about the same thing, so repeat
            // contacts are about one issue.
            if rng.chance(0.35) {
                let mut issue_rng = Rng::derive(
                    seed,
                    STREAM_ISSUE,
                    customer.index * 4096 + u64::from(day / 30),
                );
                if let Some(topic) = draw_topic(
                    &mut issue_rng,
                    product,
                    &[],
                    class_weight(&[Class::Complaint]),
                ) {
                    return topic;
                }
            }
            draw_topic(
                rng,
                product,
                &[],
                class_weight(&[Class::Complaint, Class::Churn]),
            )
        }
        Sentiment::Neutral => draw_topic(rng, product, &[], class_weight(&[Class::Neutral])),
        Sentiment::Positive => draw_topic(rng, product, &[], class_weight(&[Class::Positive])),
    }
    .expect("every product has topics of every class")
}

// ---------------------------------------------------------------------------------------------
// The fragment corpus
// ---------------------------------------------------------------------------------------------

named! {
    /// Register of a topic fragment.
    enum Register {
        Note = "note",
        Voice = "voice",
        Formal = "formal",
    }
}

named! {
    /// Fixed parts of a channel's texts that do not depend on the topic.
    enum Frame {
        NotePrefix = "note_prefix",
        NoteContext = "note_context",
        NoteActionNeg = "note_action_neg",
        NoteActionNeu = "note_action_neu",
        NoteOutcomeNeg = "note_outcome_neg",
        NoteOutcomeNeu = "note_outcome_neu",
        NoteOutcomePos = "note_outcome_pos",
        ChatGreeting = "chat_greeting",
        ChatDetail = "chat_detail",
        ChatCard = "chat_card",
        ChatEmotion = "chat_emotion",
        ChatQuestion = "chat_question",
        ChatContextNeg = "chat_context_neg",
        ChatContextNeu = "chat_context_neu",
        ChatContextPos = "chat_context_pos",
        ChatCloseNeg = "chat_close_neg",
        ChatCloseNeu = "chat_close_neu",
        ChatClosePos = "chat_close_pos",
        SocialPublicNeg = "social_public_neg",
        SocialPublicNeu = "social_public_neu",
        SocialPublicPos = "social_public_pos",
        SocialContextNeg = "social_context_neg",
        SocialContextNeu = "social_context_neu",
        SocialContextPos = "social_context_pos",
        SocialTagsNeg = "social_tags_neg",
        SocialTagsNeu = "social_tags_neu",
        SocialTagsPos = "social_tags_pos",
        EmailGreeting = "email_greeting",
        EmailIntro = "email_intro",
        EmailIntroBusiness = "email_intro_business",
        EmailHistory = "email_history",
        EmailImpact = "email_impact",
        EmailContextNeg = "email_context_neg",
        EmailContextNeu = "email_context_neu",
        EmailContextPos = "email_context_pos",
        EmailDemand = "email_demand",
        EmailDemandNeu = "email_demand_neu",
        EmailSignoff = "email_signoff",
        SurveyNeg = "survey_neg",
        SurveyNeu = "survey_neu",
        SurveyPos = "survey_pos",
        CallAgentGreeting = "call_agent_greeting",
        CallAgentVerifyId = "call_agent_verify_id",
        CallAgentVerifyCard = "call_agent_verify_card",
        CallAgentVerifyPhone = "call_agent_verify_phone",
        CallCustomerVerifyId = "call_customer_verify_id",
        CallCustomerVerifyCard = "call_customer_verify_card",
        CallCustomerVerifyPhone = "call_customer_verify_phone",
        CallAgentApology = "call_agent_apology",
        CallAgentHold = "call_agent_hold",
        CallAgentBilling = "call_agent_billing",
        CallAgentExplain = "call_agent_explain",
        CallAgentPlan = "call_agent_plan",
        CallAgentDone = "call_agent_done",
        CallAgentTech = "call_agent_tech",
        CallAgentRetention = "call_agent_retention",
        CallAgentEscalation = "call_agent_escalation",
        CallAgentPositive = "call_agent_positive",
        CallAgentClosing = "call_agent_closing",
        CallCustomerContextNeg = "call_customer_context_neg",
        CallCustomerContextNeu = "call_customer_context_neu",
        CallCustomerContextPos = "call_customer_context_pos",
        CallCustomerCloseNeg = "call_customer_close_neg",
        CallCustomerCloseNeu = "call_customer_close_neu",
        CallCustomerClosePos = "call_customer_close_pos",
    }
}

named! {
    /// Slots filled from the corpus (the others are computed, see `Composer::slot`).
    enum PoolSlot {
        Fault = "fault",
        FixTry = "fix_try",
        FixDone = "fix_done",
        Quality = "quality",
        Request = "request",
        Plan = "plan",
        Svc = "svc",
        Issue = "issue",
        Visit = "visit",
        SelfSvc = "selfsvc",
        Dept = "dept",
        Comp = "comp",
        Reg = "reg",
        Co = "co",
        Handle = "handle",
        CoTag = "co_tag",
        Reason = "reason",
        Period = "period",
        Wait = "wait",
        DayRef = "day_ref",
        Weekday = "weekday",
        Wd = "wd",
        When = "when",
        Window = "window",
        City = "city",
        Biz = "biz",
    }
}

/// Slots computed from the record (customer, agent, date) rather than drawn from the corpus.
const COMPUTED_SLOTS: &[&str] = &[
    "C",
    "lC",
    "amount",
    "monthly",
    "rise",
    "discount",
    "phone",
    "email",
    "custno",
    "id_number",
    "card",
    "card4",
    "order",
    "date",
    "time",
    "month",
    "nth",
    "nth_n",
    "tenure",
    "lines",
    "cname",
    "agent_name",
    "prev_agent",
    "l_prev_agent",
    "dept2",
    "delta",
    "raised",
    "fdate",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Topic(Register),
    Frame,
    Slot,
}

/// The parsed fragment corpus: pools of templates, and for every (language, kind, name, product,
/// region) the pools that apply.
struct Corpus {
    pools: Vec<Vec<&'static str>>,
    /// Indexed by `Corpus::key`; each entry lists pool ids.
    table: Vec<Vec<u32>>,
}

/// Room for the names of one kind in the lookup table (topics, frames or slots).
const NAME_SLOTS: usize = 96;
const _: () = assert!(
    Topic::ALL.len() <= NAME_SLOTS
        && Frame::ALL.len() <= NAME_SLOTS
        && PoolSlot::ALL.len() <= NAME_SLOTS
        && Topic::ALL.len() == TOPICS
);

impl Corpus {
    fn get() -> &'static Corpus {
        static CORPUS: OnceLock<Corpus> = OnceLock::new();
        CORPUS.get_or_init(|| {
            Corpus::parse(&[
                ("HE_FRAGMENTS", HE_FRAGMENTS),
                ("EN_FRAGMENTS", EN_FRAGMENTS),
            ])
            .unwrap_or_else(|e| panic!("{e}"))
        })
    }

    fn key(language: Language, kind: Kind, name: usize, product: Product, region: Region) -> usize {
        let kind = match kind {
            Kind::Topic(r) => r as usize,
            Kind::Frame => 3,
            Kind::Slot => 4,
        };
        let language = language as usize;
        (((language * 5 + kind) * NAME_SLOTS + name) * 5 + product as usize) * 3 + region as usize
    }

    /// Parses the corpus text: `@@ lang kind name [filters]` section headers (filters: comma-separated
    /// products and regions), then one template per line.
    fn parse(texts: &[(&str, &'static str)]) -> std::result::Result<Corpus, String> {
        let mut pools: Vec<Vec<&'static str>> = Vec::new();
        let mut table = vec![Vec::new(); 2 * 5 * NAME_SLOTS * 5 * 3];
        let mut current: Option<usize> = None;
        let lines = texts
            .iter()
            .flat_map(|&(name, text)| text.lines().enumerate().map(move |(n, l)| (name, n, l)));
        for (corpus, number, line) in lines {
            let line = line.trim();
            let place = || format!("{corpus} line {}", number + 1);
            if line.is_empty() {
                continue;
            }
            if let Some(header) = line.strip_prefix("@@ ") {
                let words: Vec<&str> = header.split_whitespace().collect();
                let [language, kind, name, filters @ ..] = words.as_slice() else {
                    return Err(format!("{}: bad section header {line:?}", place()));
                };
                let language = match *language {
                    "he" => Language::Hebrew,
                    "en" => Language::English,
                    other => return Err(format!("{}: unknown language {other:?}", place())),
                };
                let (kind, index) = match *kind {
                    "frame" => (Kind::Frame, Frame::from_name(name).map(|f| f as usize)),
                    "slot" => (Kind::Slot, PoolSlot::from_name(name).map(|s| s as usize)),
                    register => match Register::from_name(register) {
                        Some(r) => (Kind::Topic(r), Topic::from_name(name).map(|t| t as usize)),
                        None => return Err(format!("{}: unknown kind {register:?}", place())),
                    },
                };
                let index = index.ok_or_else(|| format!("{}: unknown name {name:?}", place()))?;
                let (mut products, mut regions) = (0u8, 0u8);
                for filter in filters.iter().flat_map(|f| f.split(',')) {
                    if let Some(p) = Product::ALL.iter().find(|p| p.as_str() == filter) {
                        products |= p.bit();
                    } else if let Some(r) = Region::ALL.iter().find(|r| r.name() == filter) {
                        regions |= 1 << *r as u8;
                    } else {
                        return Err(format!("{}: unknown filter {filter:?}", place()));
                    }
                }
                let pool = pools.len() as u32;
                pools.push(Vec::new());
                current = Some(pool as usize);
                for &product in &Product::ALL {
                    for &region in &Region::ALL {
                        let fits_product = products == 0 || products & product.bit() != 0;
                        let fits_region = regions == 0 || regions & (1 << region as u8) != 0;
                        if fits_product && fits_region {
                            table[Corpus::key(language, kind, index, product, region)].push(pool);
                        }
                    }
                }
                continue;
            }
            let Some(pool) = current else {
                return Err(format!("{}: a template before any section", place()));
            };
            check_template(line).map_err(|e| format!("{}: {e}: {line}", place()))?;
            pools[pool].push(line);
        }
        if let Some(empty) = pools.iter().position(Vec::is_empty) {
            return Err(format!("fragment corpus: section {empty} is empty"));
        }
        let corpus = Corpus { pools, table };
        corpus.check_coverage()?;
        Ok(corpus)
    }

    /// Every topic (for the products it fits), frame and slot must have fragments for every
    /// product and region of each language.
    fn check_coverage(&self) -> std::result::Result<(), String> {
        let mut wanted: Vec<(Kind, usize, &str, u8)> = Vec::new();
        for &register in Register::ALL {
            for &topic in Topic::ALL {
                wanted.push((
                    Kind::Topic(register),
                    topic as usize,
                    topic.name(),
                    topic.info().products,
                ));
            }
        }
        for &frame in Frame::ALL {
            wanted.push((Kind::Frame, frame as usize, frame.name(), ALL_PRODUCTS));
        }
        for &slot in PoolSlot::ALL {
            wanted.push((Kind::Slot, slot as usize, slot.name(), ALL_PRODUCTS));
        }
        let regions = [
            (Language::Hebrew, &[Region::Israel][..]),
            (Language::English, &[Region::Us, Region::Uk][..]),
        ];
        for (language, regions) in regions {
            for &(kind, index, name, products) in &wanted {
                for &product in Product::ALL.iter().filter(|p| products & p.bit() != 0) {
                    for &region in regions {
                        let key = Corpus::key(language, kind, index, product, region);
                        if self.choices(key).0 == 0 {
                            let kind = match kind {
                                Kind::Topic(register) => register.name(),
                                Kind::Frame => "frame",
                                Kind::Slot => "slot",
                            };
                            return Err(format!(
                                "fragment corpus: no {} {kind} {name} for {} in {}",
                                language.as_str(),
                                product.as_str(),
                                region.name()
                            ));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// The number of templates that apply, and a way to get the `i`-th.
    fn choices(&self, key: usize) -> (usize, &[u32]) {
        let pools = &self.table[key];
        (
            pools.iter().map(|&p| self.pools[p as usize].len()).sum(),
            pools,
        )
    }

    fn nth(&self, pools: &[u32], mut i: usize) -> &'static str {
        for &p in pools {
            let pool = &self.pools[p as usize];
            if i < pool.len() {
                return pool[i];
            }
            i -= pool.len();
        }
        unreachable!("index within the counted templates")
    }
}

/// Checks a template's syntax: balanced `[…]` and `{…}`, known slot names, two-way gender choices.
fn check_template(template: &str) -> std::result::Result<(), String> {
    let mut depth: Vec<(u8, usize)> = Vec::new();
    for (i, b) in template.bytes().enumerate() {
        match b {
            b'[' | b'{' => depth.push((b, i)),
            b']' | b'}' => {
                let Some((open, at)) = depth.pop() else {
                    return Err("unbalanced close".into());
                };
                if (open == b'[') != (b == b']') {
                    return Err("mismatched brackets".into());
                }
                if b == b'}' && depth.iter().all(|&(o, _)| o != b'{') {
                    let inner = &template[at + 1..i];
                    check_brace(inner)?;
                }
            }
            _ => {}
        }
    }
    if depth.is_empty() {
        Ok(())
    } else {
        Err("unclosed bracket".into())
    }
}

fn check_brace(inner: &str) -> std::result::Result<(), String> {
    if let Some(choice) = ["g:", "a:", "p:"]
        .iter()
        .find_map(|p| inner.strip_prefix(p))
    {
        return if alternatives(choice) == 2 {
            Ok(())
        } else {
            Err(format!("a gender choice needs two forms: {{{inner}}}"))
        };
    }
    if COMPUTED_SLOTS.contains(&inner) || PoolSlot::from_name(inner).is_some() {
        Ok(())
    } else {
        Err(format!("unknown slot {{{inner}}}"))
    }
}

/// The position of the bracket that closes the one at `open`.
fn closing(bytes: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    for (j, &b) in bytes.iter().enumerate().skip(open) {
        match b {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    unreachable!("templates are checked when the corpus is parsed")
}

/// How many top-level `|`-separated alternatives `s` has.
fn alternatives(s: &str) -> usize {
    let mut depth = 0usize;
    let mut count = 1;
    for b in s.bytes() {
        match b {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth -= 1,
            b'|' if depth == 0 => count += 1,
            _ => {}
        }
    }
    count
}

/// The `k`-th top-level alternative of `s`.
fn alternative(s: &str, k: usize) -> &str {
    let mut depth = 0usize;
    let mut index = 0;
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth -= 1,
            b'|' if depth == 0 => {
                if index == k {
                    return &s[start..i];
                }
                index += 1;
                start = i + 1;
            }
            _ => {}
        }
    }
    &s[start..]
}

// ---------------------------------------------------------------------------------------------
// Composition
// ---------------------------------------------------------------------------------------------

/// Hebrew letters that can be prefixed to a word (and take a hyphen before digits and Latin).
const HE_PREFIX_LETTERS: &[char] = &['ו', 'ה', 'ב', 'כ', 'ל', 'מ', 'ש'];
const HE_MONTHS: [&str; 12] = [
    "ינואר",
    "פברואר",
    "מרץ",
    "אפריל",
    "מאי",
    "יוני",
    "יולי",
    "אוגוסט",
    "ספטמבר",
    "אוקטובר",
    "נובמבר",
    "דצמבר",
];
const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Composes one text: picks fragments by channel and sentiment, expands their templates, and stops
/// adding optional fragments once the text is as close to its target length as it will get.
struct Composer<'a> {
    corpus: &'static Corpus,
    rng: Rng,
    language: Language,
    customer: &'a Customer,
    agent: Option<&'a Agent>,
    agent_gender: Gender,
    prev_agent: (Gender, Name),
    unix: i64,
    nth: u64,
    last_dept: Option<usize>,
    used: Vec<Topic>,
    signals: Vec<&'static str>,
    /// The agent's and the customer's labels in a call transcript.
    labels: (&'static str, &'static str),
    sentiment: Sentiment,
    /// Templates already used in this text (by address), so that none repeats.
    seen: Vec<usize>,
    /// Elaboration parts added so far.
    extras: usize,
    /// Further topics a text may take when the corpus asks for long texts (a mean above the
    /// natural ~500 bytes, which elaboration alone cannot reach).
    extra_topics: usize,
    /// Set when a template had to be used a second time.
    stale: bool,
    /// The separator between call lines, and the customer's context frame in calls.
    call_sep: &'static str,
    context: Frame,
}

impl<'a> Composer<'a> {
    fn new(
        mut rng: Rng,
        language: Language,
        customer: &'a Customer,
        agent: Option<&'a Agent>,
        unix: i64,
    ) -> Composer<'a> {
        let agent_gender = agent.map_or_else(|| Gender::random(&mut rng), |a| a.gender);
        let prev_gender = Gender::random(&mut rng);
        let prev_name = *rng.pick(first_names(language, prev_gender));
        let nth = 2 + rng.weighted(&[30, 35, 20, 10, 5]) as u64;
        Composer {
            corpus: Corpus::get(),
            rng,
            language,
            customer,
            agent,
            agent_gender,
            prev_agent: (prev_gender, prev_name),
            unix,
            nth,
            last_dept: None,
            used: Vec::new(),
            signals: Vec::new(),
            labels: ("", ""),
            sentiment: Sentiment::Neutral,
            seen: Vec::new(),
            extras: 0,
            extra_topics: 0,
            stale: false,
            call_sep: "\n",
            context: Frame::CallCustomerContextNeu,
        }
    }

    fn hebrew(&self) -> bool {
        self.language == Language::Hebrew
    }

    fn key(&self, kind: Kind, name: usize) -> usize {
        Corpus::key(
            self.language,
            kind,
            name,
            self.customer.product,
            self.customer.region,
        )
    }

    /// A random template of a kind and name that fits the customer, preferring one not yet used
    /// in this text.
    fn template(&mut self, kind: Kind, name: usize) -> &'static str {
        let (count, pools) = self.corpus.choices(self.key(kind, name));
        assert!(
            count > 0,
            "no fragments for {kind:?} #{name} in {:?}",
            self.language
        );
        let mut template = "";
        for _ in 0..8 {
            let i = self.rng.index(count);
            template = self.corpus.nth(pools, i);
            if !self.seen.contains(&(template.as_ptr() as usize)) {
                self.seen.push(template.as_ptr() as usize);
                return template;
            }
        }
        self.stale = true;
        template
    }

    fn frame(&mut self, frame: Frame, out: &mut String) {
        let template = self.template(Kind::Frame, frame as usize);
        self.expand(template, out);
    }

    fn topic(&mut self, register: Register, topic: Topic, out: &mut String) {
        let template = self.template(Kind::Topic(register), topic as usize);
        self.expand(template, out);
        if let Some(label) = topic.info().label {
            self.signals.push(label);
        }
        self.used.push(topic);
    }

    fn compose(
        &mut self,
        channel: Channel,
        sentiment: Sentiment,
        primary: Topic,
        target: usize,
    ) -> String {
        let mut out = String::with_capacity(target + target / 2 + 64);
        self.sentiment = sentiment;
        match channel {
            Channel::AgentNote => self.note(&mut out, sentiment, primary, target),
            Channel::Chat => self.chat(&mut out, sentiment, primary, target),
            Channel::Email => self.email(&mut out, sentiment, primary, target),
            Channel::Social => self.social(&mut out, sentiment, primary, target),
            Channel::Survey => self.survey(&mut out, sentiment, primary, target),
            Channel::CallTranscript => self.call(&mut out, sentiment, primary, target),
        }
        out
    }

    /// Appends `sep` and a fragment; keeps it if the text is then closer to `target` (or the text
    /// was empty). Returns whether it was kept.
    fn attempt(
        &mut self,
        out: &mut String,
        target: usize,
        sep: &str,
        write: impl FnOnce(&mut Self, &mut String),
    ) -> bool {
        let before = out.len();
        let signals = self.signals.len();
        let used = self.used.len();
        self.push_fragment(out, sep, write);
        let kept = out.len() > before
            && (before == 0 || out.len().abs_diff(target) < before.abs_diff(target));
        if !kept {
            out.truncate(before);
            self.signals.truncate(signals);
            self.used.truncate(used);
        }
        kept
    }

    /// Appends `sep` (a plain space after end punctuation or emoji) and a tidied fragment,
    /// unconditionally; nothing at all if the fragment comes out empty.
    fn push_fragment(
        &mut self,
        out: &mut String,
        sep: &str,
        write: impl FnOnce(&mut Self, &mut String),
    ) {
        let before = out.len();
        if !out.is_empty() {
            let after_end = out.ends_with(|c: char| {
                matches!(c, '.' | '!' | '?' | ':' | '\u{fe0f}')
                    || matches!(u32::from(c), 0x2600..=0x27bf | 0x2b00..=0x2bff | 0x1f000..)
            });
            if after_end && matches!(sep, ". " | ", " | "; ") {
                out.push(' ');
            } else {
                out.push_str(sep);
            }
        }
        let body = out.len();
        write(self, out);
        tidy(out, body);
        if out.len() == body {
            out.truncate(before);
        }
    }

    /// A part rendered on its own.
    fn render(&mut self, part: Part, register: Register) -> String {
        let mut text = String::new();
        self.part(part, register, &mut text);
        tidy(&mut text, 0);
        text
    }

    /// Grows the text towards its target: the `early` parts in order, then elaboration (cycled,
    /// each template used once, with an occasional further topic) up to about three quarters of
    /// the target, then the `late` parts, then more elaboration. Stops at the first part that would
    /// take the text further from the target.
    fn grow(&mut self, out: &mut String, plan: &Plan) {
        let (target, sep, register) = (plan.target, plan.sep, plan.register);
        for &part in &plan.early {
            if !self.attempt(out, target, sep, |c, o| c.part(part, register, o)) {
                return;
            }
        }
        if !self.elaborate(out, target * 3 / 4, plan) {
            return;
        }
        for &part in &plan.late {
            if !self.attempt(out, target, sep, |c, o| c.part(part, register, o)) {
                return;
            }
        }
        self.elaborate(out, target * 9 / 10, plan);
    }

    /// Adds elaboration or further topics until the text reaches `until`, within limits that grow
    /// with the target; false if a part was refused.
    fn elaborate(&mut self, out: &mut String, until: usize, plan: &Plan) -> bool {
        let Plan {
            target,
            sep,
            register,
            extras,
            more,
            ..
        } = *plan;
        // English fragments carry fewer bytes than Hebrew ones, so English texts need more of them.
        let bytes = if self.hebrew() { 10 } else { 6 };
        let max_topics = 2 + target * 10 / (750 * bytes) + self.extra_topics;
        // Complaints pile up details; requests and praise stay to the point.
        let per_extra = if self.sentiment == Sentiment::Negative {
            200
        } else {
            320
        };
        let max_extras = match extras.len() {
            0 => 0,
            _ => 1 + target * 10 / (per_extra * bytes),
        };
        let mut misses = 0;
        let mut topics_done = false;
        while out.len() < until {
            let topics_left = !topics_done && self.used.len() < max_topics;
            let extras_left = misses < 3 && self.extras < max_extras;
            let part = match (topics_left, extras_left) {
                (false, false) => return true,
                (true, true) if self.rng.chance(0.4) => more,
                (true, false) => more,
                _ => extras[self.extras % extras.len()],
            };
            let kept = if matches!(part, Part::Frame(_) | Part::Line(Line::Exchange(None))) {
                self.stale = false;
                let text = self.render(part, register);
                self.extras += 1;
                if text.is_empty() || self.stale || out.contains(&text) {
                    // This kind of elaboration is used up.
                    misses += 1;
                    continue;
                }
                self.attempt(out, target, sep, |_, o| o.push_str(&text))
            } else {
                let before = self.used.len();
                let kept = self.attempt(out, target, sep, |c, o| c.part(part, register, o));
                topics_done = self.used.len() == before;
                kept || topics_done
            };
            if !kept {
                return false;
            }
        }
        true
    }

    fn part(&mut self, part: Part, register: Register, out: &mut String) {
        match part {
            Part::Secondary => {
                if let Some(topic) = self.secondary(self.sentiment) {
                    self.topic(register, topic, out);
                }
            }
            Part::Churn => {
                if let Some(topic) = self.churn() {
                    self.topic(register, topic, out);
                }
            }
            Part::Frame(frame) => self.frame(frame, out),
            Part::Line(line) => self.line(line, out),
        }
    }

    fn secondary(&mut self, sentiment: Sentiment) -> Option<Topic> {
        let class = match sentiment {
            Sentiment::Negative => Class::Complaint,
            Sentiment::Neutral => Class::Neutral,
            Sentiment::Positive => Class::Positive,
        };
        let used = std::mem::take(&mut self.used);
        let topic = draw_topic(&mut self.rng, self.customer.product, &used, |_, info| {
            if info.class == class { info.weight } else { 0 }
        });
        self.used = used;
        topic
    }

    fn churn(&mut self) -> Option<Topic> {
        if self.used.iter().any(|t| t.info().class == Class::Churn) {
            return None;
        }
        draw_topic(&mut self.rng, self.customer.product, &[], |_, info| {
            info.churn_weight
        })
    }

    /// Parts kept with probability `p` each, in order.
    fn some(&mut self, parts: &[(Part, f64)]) -> Vec<Part> {
        parts
            .iter()
            .filter(|&&(_, p)| self.rng.chance(p))
            .map(|&(part, _)| part)
            .collect()
    }

    /// Renders closing parts (kept with probability `p` each) to append after the body.
    fn closers(&mut self, parts: &[(Part, f64)]) -> Vec<String> {
        let chosen = self.some(parts);
        chosen
            .into_iter()
            .map(|part| self.render(part, Register::Voice))
            .filter(|text| !text.is_empty())
            .collect()
    }

    // ---- channels ----

    fn note(&mut self, out: &mut String, sentiment: Sentiment, primary: Topic, target: usize) {
        use Part::{Churn, Frame as F, Secondary};
        let agent = self.agent.expect("notes have an agent");
        let sep = agent.separator;
        let (action, outcome, p_action) = match sentiment {
            Sentiment::Negative => (Frame::NoteActionNeg, Frame::NoteOutcomeNeg, 0.7),
            Sentiment::Neutral => (Frame::NoteActionNeu, Frame::NoteOutcomeNeu, 0.5),
            Sentiment::Positive => (Frame::NoteActionNeu, Frame::NoteOutcomePos, 0.15),
        };
        let closers = self.closers(&[(F(action), p_action), (F(outcome), 0.6)]);
        let reserved: usize = closers.iter().map(|c| c.len() + sep.len()).sum();
        let target = target.saturating_sub(reserved);
        if agent.header && self.rng.chance(0.6) {
            self.frame(Frame::NotePrefix, out);
            out.push(' ');
        }
        let start = out.len();
        self.push_fragment(out, "", |c, o| c.topic(Register::Note, primary, o));
        let early = match sentiment {
            Sentiment::Negative => self.some(&[(Secondary, 0.35), (Churn, 0.35)]),
            _ => self.some(&[(Secondary, 0.25)]),
        };
        let plan = Plan {
            target,
            sep,
            register: Register::Note,
            early,
            extras: &[F(Frame::NoteContext)],
            late: Vec::new(),
            more: Part::Secondary,
        };
        self.grow(out, &plan);
        for closer in closers {
            self.push_fragment(out, sep, |_, o| o.push_str(&closer));
        }
        if !self.hebrew() && agent.capitalises {
            capitalise_at(out, start);
            capitalise_fragments(out, start, sep);
        }
    }

    fn chat(&mut self, out: &mut String, sentiment: Sentiment, primary: Topic, target: usize) {
        use Part::{Churn, Frame as F, Secondary};
        let sep = *self.rng.weighted_pick(&[("\n", 50), (". ", 35), (" ", 15)]);
        let (close, p_close, context) = match sentiment {
            Sentiment::Negative => (Frame::ChatCloseNeg, 0.35, Frame::ChatContextNeg),
            Sentiment::Neutral => (Frame::ChatCloseNeu, 0.6, Frame::ChatContextNeu),
            Sentiment::Positive => (Frame::ChatClosePos, 0.6, Frame::ChatContextPos),
        };
        let closers = self.closers(&[(F(close), p_close)]);
        let reserved: usize = closers.iter().map(|c| c.len() + sep.len()).sum();
        let target = target.saturating_sub(reserved);
        if self.rng.chance(0.55) {
            self.frame(Frame::ChatGreeting, out);
            if sep == " " && out.ends_with(|c: char| c.is_alphanumeric()) {
                out.push(',');
            }
        }
        self.push_fragment(out, sep, |c, o| c.topic(Register::Voice, primary, o));
        let (early, late) = match sentiment {
            Sentiment::Negative => (
                self.some(&[
                    (F(Frame::ChatDetail), 0.45),
                    (F(Frame::ChatCard), 0.02),
                    (Secondary, 0.35),
                ]),
                self.some(&[
                    (F(Frame::ChatEmotion), 0.5),
                    (Churn, 0.4),
                    (F(Frame::ChatQuestion), 0.5),
                ]),
            ),
            _ => (
                self.some(&[(F(Frame::ChatDetail), 0.45), (Secondary, 0.25)]),
                Vec::new(),
            ),
        };
        let plan = Plan {
            target,
            sep,
            register: Register::Voice,
            early,
            extras: &[F(context)],
            late,
            more: Part::Secondary,
        };
        self.grow(out, &plan);
        for closer in closers {
            self.push_fragment(out, sep, |_, o| o.push_str(&closer));
        }
    }

    fn email(&mut self, out: &mut String, sentiment: Sentiment, primary: Topic, target: usize) {
        use Part::{Churn, Frame as F, Secondary};
        let demand = match sentiment {
            Sentiment::Negative => Frame::EmailDemand,
            _ => Frame::EmailDemandNeu,
        };
        let closers = self.closers(&[(F(demand), 0.85), (F(Frame::EmailSignoff), 1.0)]);
        let reserved: usize = closers.iter().map(|c| c.len() + 2).sum();
        let target = target.saturating_sub(reserved);
        self.frame(Frame::EmailGreeting, out);
        out.push_str("\n\n");
        let intro = if self.customer.segment == Segment::Business && self.rng.chance(0.7) {
            Frame::EmailIntroBusiness
        } else {
            Frame::EmailIntro
        };
        if self.rng.chance(0.7) {
            self.push_fragment(out, "", |c, o| c.frame(intro, o));
            out.push(' ');
        }
        self.push_fragment(out, "", |c, o| c.topic(Register::Formal, primary, o));
        let (early, late, context) = match sentiment {
            Sentiment::Negative => (
                self.some(&[(F(Frame::EmailHistory), 0.8), (Secondary, 0.35)]),
                self.some(&[(F(Frame::EmailImpact), 0.7), (Churn, 0.45)]),
                Frame::EmailContextNeg,
            ),
            Sentiment::Neutral => (
                self.some(&[(Secondary, 0.3)]),
                Vec::new(),
                Frame::EmailContextNeu,
            ),
            Sentiment::Positive => (
                self.some(&[(Secondary, 0.4)]),
                Vec::new(),
                Frame::EmailContextPos,
            ),
        };
        let sep = if self.rng.chance(0.5) { "\n\n" } else { " " };
        let plan = Plan {
            target,
            sep,
            register: Register::Formal,
            early,
            extras: &[F(context)],
            late,
            more: Part::Secondary,
        };
        self.grow(out, &plan);
        for closer in closers {
            out.push_str("\n\n");
            out.push_str(&closer);
        }
    }

    fn social(&mut self, out: &mut String, sentiment: Sentiment, primary: Topic, target: usize) {
        use Part::{Churn, Frame as F, Secondary};
        let sep = *self.rng.pick(&[". ", ". ", "\n", " "]);
        let (public, tags, context) = match sentiment {
            Sentiment::Negative => (
                Frame::SocialPublicNeg,
                Frame::SocialTagsNeg,
                Frame::SocialContextNeg,
            ),
            Sentiment::Neutral => (
                Frame::SocialPublicNeu,
                Frame::SocialTagsNeu,
                Frame::SocialContextNeu,
            ),
            Sentiment::Positive => (
                Frame::SocialPublicPos,
                Frame::SocialTagsPos,
                Frame::SocialContextPos,
            ),
        };
        let mention_first = self.rng.chance(0.5);
        let mut tail = String::new();
        for _ in 0..self.rng.between(1, 3) {
            let tag = self.render(F(tags), Register::Voice);
            if !tail.contains(&tag) {
                tail.push(' ');
                tail.push_str(&tag);
            }
        }
        if !mention_first && self.rng.chance(0.6) {
            tail.push(' ');
            self.slot("handle", &mut tail);
        }
        let target = target.saturating_sub(tail.len());
        if mention_first {
            self.slot("handle", out);
            out.push(' ');
        }
        self.push_fragment(out, "", |c, o| c.topic(Register::Voice, primary, o));
        let (early, late) = match sentiment {
            Sentiment::Negative => (
                self.some(&[(Secondary, 0.3)]),
                self.some(&[(F(public), 0.7), (Churn, 0.45)]),
            ),
            Sentiment::Neutral => (Vec::new(), self.some(&[(F(public), 0.6)])),
            Sentiment::Positive => (
                self.some(&[(Secondary, 0.3)]),
                self.some(&[(F(public), 0.7)]),
            ),
        };
        let plan = Plan {
            target,
            sep,
            register: Register::Voice,
            early,
            extras: &[F(context)],
            late,
            more: Part::Secondary,
        };
        self.grow(out, &plan);
        out.push_str(&tail);
    }

    fn survey(&mut self, out: &mut String, sentiment: Sentiment, primary: Topic, target: usize) {
        let frame = match sentiment {
            Sentiment::Negative => Frame::SurveyNeg,
            Sentiment::Neutral => Frame::SurveyNeu,
            Sentiment::Positive => Frame::SurveyPos,
        };
        let sep = *self.rng.pick(&[". ", ", ", " - "]);
        if self.rng.chance(0.35) {
            self.push_fragment(out, sep, |c, o| c.topic(Register::Voice, primary, o));
        } else {
            self.push_fragment(out, sep, |c, o| c.frame(frame, o));
            self.used.push(primary);
        }
        for _ in 0..3 {
            let more = self.render(Part::Frame(frame), Register::Voice);
            if !out.contains(more.as_str())
                && !self.attempt(out, target, sep, |_, o| o.push_str(&more))
            {
                break;
            }
        }
    }

    fn call(&mut self, out: &mut String, sentiment: Sentiment, primary: Topic, target: usize) {
        use Part::Line as L;
        let sep = if self.rng.chance(0.75) { "\n" } else { " " };
        self.call_sep = sep;
        let gendered = self.rng.chance(0.5);
        self.labels = match self.language {
            Language::Hebrew => (
                if gendered && self.agent_gender == Gender::Female {
                    "נציגה:"
                } else {
                    "נציג:"
                },
                if gendered && self.customer.gender == Gender::Female {
                    "לקוחה:"
                } else {
                    "לקוח:"
                },
            ),
            Language::English => *self.rng.pick(&[
                ("Agent:", "Customer:"),
                ("Agent:", "Customer:"),
                ("Rep:", "Caller:"),
                ("AGENT:", "CUSTOMER:"),
            ]),
        };
        let (close, context) = match sentiment {
            Sentiment::Negative => (Frame::CallCustomerCloseNeg, Frame::CallCustomerContextNeg),
            Sentiment::Neutral => (Frame::CallCustomerCloseNeu, Frame::CallCustomerContextNeu),
            Sentiment::Positive => (Frame::CallCustomerClosePos, Frame::CallCustomerContextPos),
        };
        let closers = self.closers(&[
            (L(Line::Customer(close)), 0.8),
            (L(Line::Agent(Frame::CallAgentClosing)), 0.7),
        ]);
        let reserved: usize = closers.iter().map(|c| c.len() + sep.len()).sum();
        let target = target.saturating_sub(reserved);
        self.push_fragment(out, sep, |c, o| {
            c.line(Line::Agent(Frame::CallAgentGreeting), o)
        });
        self.push_fragment(out, sep, |c, o| c.line(Line::CustomerTopic(primary), o));

        let response = match (sentiment, primary) {
            (Sentiment::Positive, _) => Frame::CallAgentPositive,
            (Sentiment::Neutral, Topic::PlanChange) => Frame::CallAgentPlan,
            (Sentiment::Neutral, Topic::BillQuestion) => Frame::CallAgentExplain,
            (Sentiment::Neutral, _) => Frame::CallAgentDone,
            (_, Topic::BillingError | Topic::PriceRise | Topic::Refund) => Frame::CallAgentBilling,
            (_, Topic::TechFault | Topic::TechNoShow | Topic::ProductQuality) => {
                Frame::CallAgentTech
            }
            (_, Topic::RudeAgent | Topic::Escalation | Topic::BrokenPromise) => {
                Frame::CallAgentEscalation
            }
            _ if primary.info().class == Class::Churn => Frame::CallAgentRetention,
            _ => Frame::CallAgentApology,
        };
        let mut early = Vec::with_capacity(2);
        if self.rng.chance(0.6) {
            early.push(L(Line::Verify(self.rng.index(3))));
        }
        early.push(L(Line::Agent(response)));
        let late = match sentiment {
            Sentiment::Negative => {
                let more = if self.rng.chance(0.5) {
                    Line::CustomerChurn
                } else {
                    Line::CustomerMore
                };
                let answer = if self.rng.chance(0.5) {
                    Frame::CallAgentRetention
                } else {
                    Frame::CallAgentApology
                };
                vec![L(more), L(Line::Agent(answer))]
            }
            Sentiment::Neutral if self.rng.chance(0.4) => {
                vec![L(Line::CustomerMore), L(Line::Agent(Frame::CallAgentDone))]
            }
            _ => Vec::new(),
        };
        self.context = context;
        let extras = [L(Line::Exchange(None))];
        let more = L(Line::Exchange(Some(())));
        let plan = Plan {
            target,
            sep,
            register: Register::Voice,
            early,
            extras: &extras,
            late,
            more,
        };
        self.grow(out, &plan);
        for closer in closers {
            self.push_fragment(out, sep, |_, o| o.push_str(&closer));
        }
    }

    /// One line of a call: the speaker's label and what they say. Nothing if they say nothing.
    fn line(&mut self, line: Line, out: &mut String) {
        let begin = out.len();
        let (agent, customer) = self.labels;
        let label = match line {
            Line::Agent(_) | Line::Verify(_) => agent,
            _ => customer,
        };
        out.push_str(label);
        out.push(' ');
        let start = out.len();
        match line {
            Line::Agent(frame) => self.frame(frame, out),
            Line::Verify(kind) => {
                let (question, answer) = [
                    (Frame::CallAgentVerifyId, Frame::CallCustomerVerifyId),
                    (Frame::CallAgentVerifyCard, Frame::CallCustomerVerifyCard),
                    (Frame::CallAgentVerifyPhone, Frame::CallCustomerVerifyPhone),
                ][kind];
                self.frame(question, out);
                if !self.hebrew() {
                    capitalise_at(out, start);
                }
                out.push_str(self.call_sep);
                out.push_str(customer);
                out.push(' ');
                let answer_start = out.len();
                self.frame(answer, out);
                if !self.hebrew() {
                    capitalise_at(out, answer_start);
                }
            }
            Line::Customer(frame) => self.frame(frame, out),
            Line::CustomerTopic(topic) => self.topic(Register::Voice, topic, out),
            Line::CustomerMore => {
                if let Some(topic) = self.secondary(self.sentiment) {
                    self.topic(Register::Voice, topic, out);
                }
            }
            Line::CustomerChurn => {
                if let Some(topic) = self.churn() {
                    self.topic(Register::Voice, topic, out);
                }
            }
            Line::Exchange(more) => {
                // The customer says something more (context, or a further topic) and the agent
                // answers with a holding line.
                out.truncate(begin);
                let said = if more.is_some() {
                    Line::CustomerMore
                } else {
                    Line::Customer(self.context)
                };
                self.line(said, out);
                if out.len() > begin {
                    let stale = std::mem::replace(&mut self.stale, false);
                    let mut hold = String::new();
                    self.line(Line::Agent(Frame::CallAgentHold), &mut hold);
                    if !self.stale {
                        out.push_str(self.call_sep);
                        out.push_str(&hold);
                    }
                    self.stale |= stale;
                }
                return;
            }
        }
        if out.len() == start {
            out.truncate(begin);
        } else if !self.hebrew() {
            capitalise_at(out, start);
        }
    }

    // ---- templates ----

    /// Expands a template: `[a|b]` picks one alternative, `{g:m|f}` `{a:m|f}` `{p:m|f}` pick by
    /// the customer's, the agent's or a previous agent's gender, `{slot}` fills a slot, `\n` is a
    /// newline.
    fn expand(&mut self, template: &'static str, out: &mut String) {
        let bytes = template.as_bytes();
        let mut literal = 0;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'[' | b'{' => {
                    out.push_str(&template[literal..i]);
                    let end = closing(bytes, i);
                    let inner = &template[i + 1..end];
                    if bytes[i] == b'[' {
                        let k = self.rng.index(alternatives(inner));
                        self.expand(alternative(inner, k), out);
                    } else {
                        self.brace(inner, out);
                    }
                    i = end + 1;
                    literal = i;
                }
                b'\\' if bytes.get(i + 1) == Some(&b'n') => {
                    out.push_str(&template[literal..i]);
                    out.push('\n');
                    i += 2;
                    literal = i;
                }
                _ => i += 1,
            }
        }
        out.push_str(&template[literal..]);
    }

    fn brace(&mut self, inner: &'static str, out: &mut String) {
        let gender = match inner.get(..2) {
            Some("g:") => Some(self.customer.gender),
            Some("a:") => Some(self.agent_gender),
            Some("p:") => Some(self.prev_agent.0),
            _ => None,
        };
        match gender {
            Some(gender) => self.expand(alternative(&inner[2..], gender.index()), out),
            None => self.slot(inner, out),
        }
    }

    fn slot(&mut self, name: &str, out: &mut String) {
        let start = out.len();
        let customer = self.customer;
        match name {
            "C" => out.push_str(self.customer_form()),
            "lC" => {
                let form = self.customer_form();
                if self.hebrew() {
                    out.push('ל');
                    out.push_str(form.strip_prefix('ה').unwrap_or(form));
                } else {
                    out.push_str(form);
                }
            }
            "amount" => {
                let (lo, hi) = customer.product.amount_range();
                let value = self.rng.between(lo, hi);
                let value = match customer.region {
                    Region::Israel => value,
                    _ => (value / 3).max(1),
                };
                let cents = self.rng.chance(0.35);
                self.money(value, cents, out);
            }
            "monthly" => self.money(customer.monthly, customer.salt & 1 == 1, out),
            "delta" => {
                let delta = self.delta();
                self.money(delta, false, out);
            }
            "raised" => {
                let raised = customer.monthly + self.delta();
                self.money(raised, customer.salt & 1 == 1, out);
            }
            "rise" => self.rise(out),
            "discount" => self.discount(out),
            "phone" => self.phone(out),
            "email" => out.push_str(&customer.email),
            "custno" => out.push_str(&customer.id),
            "id_number" => out.push_str(&customer.israeli_id),
            "card" => out.push_str(&customer.card),
            "card4" => out.push_str(&customer.card[customer.card.len() - 4..]),
            "order" => {
                let n = self.rng.between(1_000_000, 99_999_999);
                push_display(out, n);
            }
            "date" => {
                let back = self.rng.between(1, 30) as i64;
                self.date(back, out);
            }
            "fdate" => {
                let ahead = self.rng.between(2, 30) as i64;
                self.date(-ahead, out);
            }
            "time" => {
                let hour = self.rng.between(8, 21);
                let minute = self.rng.below(12) * 5
                    + if self.rng.chance(0.3) {
                        self.rng.below(5)
                    } else {
                        0
                    };
                push_display(out, format_args!("{hour:02}:{minute:02}"));
            }
            "month" => {
                let month = self.civil(0).month() as usize - 1;
                let month = if self.rng.chance(0.4) {
                    (month + 11) % 12
                } else {
                    month
                };
                match self.language {
                    Language::Hebrew => out.push_str(HE_MONTHS[month]),
                    Language::English if self.rng.chance(0.3) => {
                        out.push_str(&EN_MONTHS[month][..3])
                    }
                    Language::English => out.push_str(EN_MONTHS[month]),
                }
            }
            "nth" => match self.language {
                Language::Hebrew => push_display(out, self.nth),
                Language::English => out.push_str(ordinal(self.nth)),
            },
            "nth_n" => push_display(out, self.nth),
            "tenure" => push_display(out, customer.tenure),
            "lines" => push_display(out, customer.lines),
            "cname" => {
                let (first, last) = match self.language {
                    Language::Hebrew => (customer.first.0, customer.last.0),
                    Language::English => (customer.first.1, customer.last.1),
                };
                out.push_str(first);
                out.push(' ');
                out.push_str(last);
            }
            "agent_name" => {
                let name = match self.agent {
                    Some(agent) => agent.first,
                    None => self.prev_agent.1,
                };
                out.push_str(name.0);
            }
            "prev_agent" | "l_prev_agent" => {
                let (gender, person) = self.prev_agent;
                let to = name == "l_prev_agent";
                match (self.language, gender) {
                    (Language::Hebrew, Gender::Male) => {
                        out.push_str(if to { "לנציג " } else { "הנציג " })
                    }
                    (Language::Hebrew, Gender::Female) => {
                        out.push_str(if to { "לנציגה " } else { "הנציגה " });
                    }
                    (Language::English, _) if to => out.push_str("to "),
                    (Language::English, _) => {}
                }
                out.push_str(person.0);
            }
            "dept2" => {
                let key = self.key(Kind::Slot, PoolSlot::Dept as usize);
                let (count, pools) = self.corpus.choices(key);
                let mut i = self.rng.index(count);
                if count > 1 && Some(i) == self.last_dept {
                    i = (i + 1 + self.rng.index(count - 1)) % count;
                }
                let template = self.corpus.nth(pools, i);
                self.expand(template, out);
            }
            _ => {
                let slot = PoolSlot::from_name(name).expect("slot names are checked at parse");
                let key = self.key(Kind::Slot, slot as usize);
                let (count, pools) = self.corpus.choices(key);
                assert!(
                    count > 0,
                    "no values for slot {name} in {:?}",
                    self.language
                );
                let i = self.rng.index(count);
                if slot == PoolSlot::Dept {
                    self.last_dept = Some(i);
                }
                let template = self.corpus.nth(pools, i);
                self.expand(template, out);
            }
        }
        if self.hebrew() {
            hyphenate(out, start);
        }
    }
}

/// What to grow a text from; see [`Composer::grow`].
struct Plan<'p> {
    target: usize,
    sep: &'static str,
    register: Register,
    early: Vec<Part>,
    extras: &'p [Part],
    late: Vec<Part>,
    /// How a further topic is written.
    more: Part,
}

#[derive(Debug, Clone, Copy)]
enum Part {
    Secondary,
    Churn,
    Frame(Frame),
    Line(Line),
}

/// A line of a call transcript.
#[derive(Debug, Clone, Copy)]
enum Line {
    Agent(Frame),
    /// The agent asks for one of three identifiers (ID, card, phone) and the customer answers.
    Verify(usize),
    Customer(Frame),
    CustomerTopic(Topic),
    CustomerMore,
    CustomerChurn,
    /// A customer line (`None`: context; `Some`: a further topic) and the agent's holding answer.
    Exchange(Option<()>),
}

impl Composer<'_> {
    /// How the agent refers to the customer in notes.
    fn customer_form(&self) -> &'static str {
        let form = self.agent.map_or(0, |a| a.customer_form);
        match (self.language, form, self.customer.gender) {
            (Language::Hebrew, 0, _) => "לק'",
            (Language::Hebrew, 1, _) => "הלק'",
            (Language::Hebrew, _, Gender::Male) => "הלקוח",
            (Language::Hebrew, _, Gender::Female) => "הלקוחה",
            (Language::English, 0, _) => "cust",
            (Language::English, 1, _) => "cx",
            (Language::English, _, _) => "customer",
        }
    }

    /// The civil date (UTC) `days_back` days before the record.
    fn civil(&self, days_back: i64) -> Date {
        let ts = Timestamp::from_second(self.unix - days_back * 86_400).unwrap_or_default();
        Offset::UTC.to_datetime(ts).date()
    }

    /// A price increase in the customer's currency.
    fn delta(&mut self) -> u64 {
        match self.customer.region {
            Region::Israel => self.rng.between(5, 40),
            _ => self.rng.between(2, 15),
        }
    }

    /// An amount in the customer's currency, written the way people write it.
    fn money(&mut self, value: u64, cents: bool, out: &mut String) {
        match self.customer.region {
            Region::Israel => {
                let n = if cents {
                    format!("{value}.90")
                } else {
                    value.to_string()
                };
                match self.rng.weighted(&[30, 20, 15, 15, 10, 10]) {
                    0 => push_display(out, format_args!("{n} ש\"ח")),
                    1 => push_display(out, format_args!("{n} ₪")),
                    2 => push_display(out, format_args!("₪{n}")),
                    3 => push_display(out, format_args!("{n} שקל")),
                    4 => push_display(out, format_args!("{n} ש״ח")),
                    _ => push_display(out, format_args!("{n} שקלים")),
                }
            }
            region => {
                let n = if cents {
                    format!("{value}.99")
                } else {
                    value.to_string()
                };
                let symbol = if region == Region::Us { "$" } else { "£" };
                match self.rng.weighted(&[80, 10, 10]) {
                    0 => push_display(out, format_args!("{symbol}{n}")),
                    1 if region == Region::Us => push_display(out, format_args!("{n} USD")),
                    1 => push_display(out, format_args!("{n} GBP")),
                    _ if region == Region::Us => push_display(out, format_args!("{n} dollars")),
                    _ => push_display(out, format_args!("{n} pounds")),
                }
            }
        }
    }

    /// A price rise from the customer's monthly price (written with the same cents).
    fn rise(&mut self, out: &mut String) {
        let old = self.customer.monthly;
        let delta = self.delta();
        let cents = match (self.customer.salt & 1 == 1, self.customer.region) {
            (false, _) => "",
            (true, Region::Israel) => ".90",
            (true, _) => ".99",
        };
        let new = old + delta;
        match self.customer.region {
            Region::Israel => match self.rng.below(5) {
                0 | 1 => push_display(out, format_args!("מ-{old}{cents} ל-{new}{cents} ש\"ח")),
                2 => push_display(out, format_args!("מ-{old}{cents} ₪ ל-{new}{cents} ₪")),
                3 => push_display(out, format_args!("ב-{delta} ש\"ח")),
                _ => push_display(out, format_args!("ב-{delta} שקל")),
            },
            region => {
                let symbol = if region == Region::Us { "$" } else { "£" };
                match self.rng.below(3) {
                    0 => push_display(
                        out,
                        format_args!("from {symbol}{old}{cents} to {symbol}{new}{cents}"),
                    ),
                    1 => push_display(out, format_args!("by {symbol}{delta}")),
                    _ => push_display(
                        out,
                        format_args!("from {symbol}{old}{cents} to {symbol}{new}{cents} a month"),
                    ),
                }
            }
        }
    }

    fn discount(&mut self, out: &mut String) {
        if self.rng.chance(0.6) {
            let percent = self.rng.pick(&[10, 15, 20, 25, 30, 50]);
            push_display(out, format_args!("{percent}%"));
            return;
        }
        match self.customer.region {
            Region::Israel => {
                let n = self.rng.between(2, 12) * 5;
                if self.rng.chance(0.6) {
                    push_display(out, format_args!("{n} ש\"ח"));
                } else {
                    push_display(out, format_args!("{n} ₪"));
                }
            }
            Region::Us => push_display(out, format_args!("${}", self.rng.between(1, 4) * 5)),
            Region::Uk => push_display(out, format_args!("£{}", self.rng.between(1, 4) * 5)),
        }
    }

    /// The customer's phone number in one of the ways people write it.
    fn phone(&mut self, out: &mut String) {
        let p = &self.customer.phone;
        match self.customer.region {
            Region::Israel => match self.rng.weighted(&[45, 20, 10, 10, 5, 10]) {
                0 => push_display(out, format_args!("{}-{}", &p[..3], &p[3..])),
                1 => out.push_str(p),
                2 => push_display(out, format_args!("{}-{}-{}", &p[..3], &p[3..6], &p[6..])),
                3 => push_display(out, format_args!("+972-{}-{}", &p[1..3], &p[3..])),
                4 => push_display(out, format_args!("+972{}", &p[1..])),
                _ => push_display(out, format_args!("{} {} {}", &p[..3], &p[3..6], &p[6..])),
            },
            Region::Us => match self.rng.weighted(&[50, 35, 15]) {
                0 => push_display(out, format_args!("({}) {}-{}", &p[..3], &p[3..6], &p[6..])),
                1 => push_display(out, format_args!("{}-{}-{}", &p[..3], &p[3..6], &p[6..])),
                _ => push_display(out, format_args!("+1 {} {} {}", &p[..3], &p[3..6], &p[6..])),
            },
            Region::Uk => {
                if self.rng.chance(0.7) {
                    push_display(out, format_args!("{} {}", &p[..5], &p[5..]));
                } else {
                    push_display(out, format_args!("+44 {} {}", &p[1..5], &p[5..]));
                }
            }
        }
    }

    /// The date `back` days before the record (after it, if negative) in a local format.
    fn date(&mut self, back: i64, out: &mut String) {
        let date = self.civil(back);
        let (d, m, y) = (date.day(), date.month(), date.year());
        let month = EN_MONTHS[m as usize - 1];
        match self.customer.region {
            Region::Israel => match self.rng.weighted(&[40, 20, 15, 15, 10]) {
                0 => push_display(out, format_args!("{d}/{m}")),
                1 => push_display(out, format_args!("{d}.{m}")),
                2 => push_display(out, format_args!("{d:02}/{m:02}/{y}")),
                3 => push_display(out, format_args!("{d}/{m}/{:02}", y % 100)),
                _ => push_display(out, format_args!("{d}.{m}.{:02}", y % 100)),
            },
            Region::Us => match self.rng.weighted(&[40, 40, 20]) {
                0 => push_display(out, format_args!("{m}/{d}")),
                1 => push_display(out, format_args!("{month} {d}")),
                _ => push_display(out, format_args!("{m}/{d}/{y}")),
            },
            Region::Uk => match self.rng.weighted(&[30, 50, 20]) {
                0 => push_display(out, format_args!("{d}/{m}")),
                1 => push_display(out, format_args!("{d} {month}")),
                _ => push_display(out, format_args!("{d:02}/{m:02}/{y}")),
            },
        }
    }
}

fn push_display(out: &mut String, value: impl std::fmt::Display) {
    use std::fmt::Write as _;
    write!(out, "{value}").expect("writing to a String cannot fail");
}

fn ordinal(n: u64) -> &'static str {
    match n {
        2 => "2nd",
        3 => "3rd",
        4 => "4th",
        5 => "5th",
        _ => "6th",
    }
}

fn capitalise_at(out: &mut str, at: usize) {
    if out[at..].starts_with(|c: char| c.is_ascii_lowercase()) {
        out[at..at + 1].make_ascii_uppercase();
    }
}

/// Capitalises the first letter after each sentence-like separator from `from` on.
fn capitalise_fragments(out: &mut str, from: usize, sep: &str) {
    // Commas and dashes also occur inside fragments.
    if sep == ", " || sep == " - " {
        return;
    }
    let mut at = from;
    while let Some(found) = out[at..].find(sep) {
        at += found + sep.len();
        capitalise_at(out, at);
    }
}

/// Cleans the fragment that starts at `from`: no leading, trailing or double spaces, no space before
/// a comma, full stop or line break (left behind by empty alternatives).
fn tidy(out: &mut String, from: usize) {
    let fragment = &out[from..];
    let bytes = fragment.as_bytes();
    let messy = bytes.first() == Some(&b' ')
        || bytes.last() == Some(&b' ')
        || bytes
            .windows(2)
            .any(|pair| matches!(pair, [b' ', b' ' | b',' | b'.' | b'\n'] | [b',', b',']));
    if !messy {
        return;
    }
    let mut cleaned = String::with_capacity(fragment.len());
    for c in fragment.chars() {
        match c {
            ' ' if cleaned.is_empty() || cleaned.ends_with([' ', '\n']) => {}
            ',' | '.' | '\n' if cleaned.ends_with(' ') => {
                cleaned.pop();
                if !(c == ',' && cleaned.ends_with(',')) {
                    cleaned.push(c);
                }
            }
            ',' if cleaned.ends_with(',') => {}
            _ => cleaned.push(c),
        }
    }
    while cleaned.ends_with(' ') {
        cleaned.pop();
    }
    out.truncate(from);
    out.push_str(&cleaned);
}

/// Hebrew writes a hyphen between a one-letter prefix and digits or Latin (`ב-12/3`, `ל-yes`,
/// `ב-₪89`): inserts it when the slot text at `start` needs one.
fn hyphenate(out: &mut String, start: usize) {
    let Some(first) = out[start..].chars().next() else {
        return;
    };
    if !(first.is_ascii_alphanumeric() || matches!(first, '₪' | '$' | '£' | '€' | '+')) {
        return;
    }
    let is_letter = |c: char| ('\u{5d0}'..='\u{5ea}').contains(&c);
    let mut run = out[..start].chars().rev().take_while(|&c| is_letter(c));
    let prefix = match (run.next(), run.next(), run.next()) {
        (Some(last), None, _) => HE_PREFIX_LETTERS.contains(&last),
        (Some(last), Some('ו'), None) => HE_PREFIX_LETTERS.contains(&last),
        _ => false,
    };
    if prefix {
        out.insert(start, '-');
    }
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

const HE_MALE: &[Name] = &[
    ("יוסי", "yossi"),
    ("אבי", "avi"),
    ("דני", "dani"),
    ("משה", "moshe"),
    ("דוד", "david"),
    ("איתי", "itai"),
    ("עומר", "omer"),
    ("נועם", "noam"),
    ("רועי", "roee"),
    ("אורי", "uri"),
    ("גיל", "gil"),
    ("אלון", "alon"),
    ("עידו", "ido"),
    ("יונתן", "yonatan"),
    ("אריאל", "ariel"),
    ("שי", "shai"),
    ("עמית", "amit"),
    ("רון", "ron"),
    ("מוחמד", "mohammad"),
    ("אחמד", "ahmad"),
    ("יוסף", "yosef"),
    ("סמיר", "samir"),
    ("דמיטרי", "dmitri"),
    ("אלכס", "alex"),
    ("ולדימיר", "vladimir"),
    ("אליהו", "eliyahu"),
    ("מאיר", "meir"),
    ("חיים", "haim"),
    ("שלמה", "shlomo"),
    ("תומר", "tomer"),
];

const HE_FEMALE: &[Name] = &[
    ("מיכל", "michal"),
    ("נועה", "noa"),
    ("שירה", "shira"),
    ("רונית", "ronit"),
    ("יעל", "yael"),
    ("תמר", "tamar"),
    ("מאיה", "maya"),
    ("הילה", "hila"),
    ("אורית", "orit"),
    ("ליאת", "liat"),
    ("שרון", "sharon"),
    ("דנה", "dana"),
    ("ענבל", "inbal"),
    ("קרן", "keren"),
    ("רחל", "rachel"),
    ("אסתר", "ester"),
    ("מרים", "miriam"),
    ("נור", "noor"),
    ("רים", "reem"),
    ("סמאח", "samah"),
    ("יוליה", "yulia"),
    ("אולגה", "olga"),
    ("אנה", "anna"),
    ("טל", "tal"),
    ("אביגיל", "avigail"),
    ("חן", "chen"),
    ("ליאור", "lior"),
    ("אפרת", "efrat"),
    ("גלית", "galit"),
    ("סיגל", "sigal"),
];

const HE_LAST: &[Name] = &[
    ("כהן", "cohen"),
    ("לוי", "levi"),
    ("מזרחי", "mizrahi"),
    ("פרץ", "peretz"),
    ("ביטון", "biton"),
    ("דהן", "dahan"),
    ("אברהם", "avraham"),
    ("פרידמן", "friedman"),
    ("אזולאי", "azulay"),
    ("מלכה", "malka"),
    ("שפירא", "shapira"),
    ("גבאי", "gabay"),
    ("אוחיון", "ohayon"),
    ("חדד", "hadad"),
    ("עמר", "amar"),
    ("קליין", "klein"),
    ("רוזנברג", "rosenberg"),
    ("ברק", "barak"),
    ("שלום", "shalom"),
    ("נחום", "nahum"),
    ("סעדה", "saada"),
    ("חורי", "khoury"),
    ("עבאס", "abbas"),
    ("מסארווה", "masarwa"),
    ("ג'אבר", "jaber"),
    ("איבנוב", "ivanov"),
    ("קוגן", "kogan"),
    ("גרינברג", "greenberg"),
    ("אשכנזי", "ashkenazi"),
    ("בן דוד", "ben-david"),
    ("זילברמן", "zilberman"),
    ("שטרן", "stern"),
    ("אלמוג", "almog"),
    ("רביבו", "revivo"),
    ("בוזגלו", "buzaglo"),
    ("וקנין", "vaknin"),
];

const EN_MALE: &[Name] = &[
    ("James", "James"),
    ("John", "John"),
    ("Michael", "Michael"),
    ("David", "David"),
    ("Chris", "Chris"),
    ("Daniel", "Daniel"),
    ("Matt", "Matt"),
    ("Ryan", "Ryan"),
    ("Kevin", "Kevin"),
    ("Brian", "Brian"),
    ("Tom", "Tom"),
    ("Josh", "Josh"),
    ("Andrew", "Andrew"),
    ("Mark", "Mark"),
    ("Tyler", "Tyler"),
    ("Jason", "Jason"),
    ("Luke", "Luke"),
    ("Oliver", "Oliver"),
    ("Harry", "Harry"),
    ("Jack", "Jack"),
    ("Carlos", "Carlos"),
    ("Luis", "Luis"),
    ("Raj", "Raj"),
    ("Ahmed", "Ahmed"),
    ("Wei", "Wei"),
    ("Sam", "Sam"),
];

const EN_FEMALE: &[Name] = &[
    ("Sarah", "Sarah"),
    ("Emily", "Emily"),
    ("Jessica", "Jessica"),
    ("Ashley", "Ashley"),
    ("Megan", "Megan"),
    ("Laura", "Laura"),
    ("Rachel", "Rachel"),
    ("Hannah", "Hannah"),
    ("Amy", "Amy"),
    ("Nicole", "Nicole"),
    ("Olivia", "Olivia"),
    ("Sophie", "Sophie"),
    ("Emma", "Emma"),
    ("Chloe", "Chloe"),
    ("Lauren", "Lauren"),
    ("Maria", "Maria"),
    ("Priya", "Priya"),
    ("Aisha", "Aisha"),
    ("Grace", "Grace"),
    ("Katie", "Katie"),
    ("Jen", "Jen"),
    ("Lisa", "Lisa"),
];

const EN_LAST: &[Name] = &[
    ("Smith", "Smith"),
    ("Johnson", "Johnson"),
    ("Williams", "Williams"),
    ("Brown", "Brown"),
    ("Jones", "Jones"),
    ("Miller", "Miller"),
    ("Davis", "Davis"),
    ("Garcia", "Garcia"),
    ("Rodriguez", "Rodriguez"),
    ("Wilson", "Wilson"),
    ("Taylor", "Taylor"),
    ("Thomas", "Thomas"),
    ("Moore", "Moore"),
    ("Jackson", "Jackson"),
    ("White", "White"),
    ("Harris", "Harris"),
    ("Clark", "Clark"),
    ("Lewis", "Lewis"),
    ("Walker", "Walker"),
    ("Hall", "Hall"),
    ("Young", "Young"),
    ("King", "King"),
    ("Wright", "Wright"),
    ("Patel", "Patel"),
    ("Khan", "Khan"),
    ("Evans", "Evans"),
    ("Roberts", "Roberts"),
    ("Murphy", "Murphy"),
    ("O'Brien", "O'Brien"),
    ("Nguyen", "Nguyen"),
    ("Kim", "Kim"),
    ("Chen", "Chen"),
];

// ---------------------------------------------------------------------------------------------
// Fragments
// ---------------------------------------------------------------------------------------------

/// The hand-written Hebrew fragments, one template per line, under `@@ language kind name [filters]`
/// headers. Kinds: `note` (agent notes, third person), `voice` (the customer speaking: chats, social
/// posts, surveys, calls), `formal` (e-mails), `frame` (channel parts), `slot` (slot values).
/// Filters restrict a section to products and/or regions; every matching section contributes.
///
/// Template syntax: `[a|b|]` one alternative (possibly empty), `{g:masculine|feminine}` agreement
/// with the customer's gender (`{a:…}` the agent's, `{p:…}` a previous agent's), `{slot}` a value,
/// `\n` a line break. A slot that starts with digits or Latin after a one-letter Hebrew prefix gets
/// a hyphen (`ב{date}` → `ב-12/3`).
const HE_FRAGMENTS: &str = r###"
@@ he note billing_error
{C} {g:פנה|פנתה} [בפעם ה-{nth}|שוב|] בנושא חיוב כפול[ בחשבונית {month}| בכרטיס האשראי|], [הובטחה חזרה מנ"ש|הובטח זיכוי תוך {period}|הועבר לגבייה לבירור|נפתחה פנייה בגבייה מס' {order}]
{C} {g:טוען|טוענת} {g:שחויב|שחויבה} על {plan} למרות {g:שעבר|שעברה} למסלול זול יותר לפני {period}. נבדק - [{g:צודק|צודקת}|אכן יש טעות], [בוצע זיכוי של {amount}|הועבר לזיכוי בגבייה]
חיוב לא מוכר ע"ס {amount} [בחשבונית האחרונה|בחשבונית {month}|בפירוט החיובים], {C} {g:דורש|דורשת} [החזר|זיכוי] [מיידי|מלא|]
{C} {g:חויב|חויבה} [פעמיים|כפול] על אותו חודש ({amount}). [נשלח טופס בירור חיוב|נפתחה קריאה לגבייה|הוסבר שהזיכוי יופיע בחשבונית הבאה]
{C} {g:ביטל|ביטלה} את {plan} לפני {period} ועדיין {g:מחויב|מחויבת}[, {g:מבקש|מבקשת} זיכוי רטרואקטיבי|, {g:כועס|כועסת} מאוד|]
טעות בחיוב: {C} {g:עבר|עברה} [לפני {period}|] למסלול של {monthly} לחודש אבל עדיין {g:מחויב|מחויבת} לפי המסלול הקודם
{C} {g:שאל|שאלה} למה הופיע חיוב של {amount} {g:על שירות שלא הזמין|על שירות שלא הזמינה}, [בוטל וזוכה|הועבר לבירור]
@@ he note price_rise
{C} {g:מתלונן|מתלוננת} על העלאת מחיר [בלי הודעה מוקדמת|אחרי שנגמר המבצע], החשבון עלה {rise}
[הסתיימה ההטבה|נגמר מבצע ה-12 חודשים|הסתיים מחיר ההצטרפות] ו{C} לא {g:ידע|ידעה}. {g:מבקש|מבקשת} לחזור למחיר הקודם, אחרת [{g:שוקל|שוקלת} לעזוב|{g:יעבור|תעבור} לחברה אחרת]
{C} {g:קיבל|קיבלה} הודעה על התייקרות של {delta} בחודש, {g:טוען|טוענת} שזה לא מה שסוכם [בשיחת המכירה|{g:כשהצטרף|כשהצטרפה}]
העלאת מחיר - {C} {g:משלם|משלמת} היום {raised} במקום {monthly} שסוכמו, {g:ביקש|ביקשה} הסבר[ ו{g:לא קיבל|לא קיבלה}|]
{C} {g:כועס|כועסת} על תוספת של {delta} לחשבון מהחודש שעבר. [הוסבר שמדובר בהצמדה למדד|הוסבר שהמבצע הסתיים] - {g:לא מקבל|לא מקבלת} את ההסבר
@@ he note long_wait
{C} {g:המתין|המתינה} {wait} [על הקו|בתור|לנציג] לפני {g:שנענה|שנענתה}, {g:עצבני|עצבנית}[ מאוד|]
זמן המתנה ארוך - {C} {g:מדווח|מדווחת} על {wait} [בתור|על הקו][ ו{g:ניתק|ניתקה} פעמיים| והשיחה התנתקה|]
{C} {g:מתלונן|מתלוננת} שאין מענה [במוקד|בצ'אט|בוואטסאפ] כבר {period}
{C} {g:ניסה|ניסתה} להשיג [את המוקד|נציג|את התמיכה] [כל הבוקר|מאז אתמול|במשך {period}] בלי הצלחה, {g:ביקש שיחזרו אליו|ביקשה שיחזרו אליה}
{C} {g:טוען|טוענת} שבהקלטה אומרים "זמן ההמתנה [הוא 5 דקות|קצר]" ובפועל {g:חיכה|חיכתה} {wait}
@@ he note repeat_contact
{C} פונה בפעם ה-{nth} [באותו נושא|על אותה תקלה|בנושא {issue}] [ועדיין לא טופל|והבעיה לא נפתרה][, {g:מבקש|מבקשת} שמישהו ייקח אחריות|, הועבר לאחמ"ש|]
פנייה חוזרת ({nth}) - {C} {g:אומר שכבר דיבר|אומרת שכבר דיברה} עם [3|4|שלושה|כמה] נציגים [ואף אחד לא פתר|וכל אחד אמר משהו אחר]
{C} {g:חוזר|חוזרת} על אותה בעיה כבר {nth} פעמים [בשבועיים האחרונים|החודש|מאז {date}]
{g:התקשר|התקשרה} שוב - {nth} פניות [בשבועיים האחרונים|ב-10 הימים האחרונים|החודש][, כל פעם {g:הבטיחו לו|הבטיחו לה} שזה יטופל|]
{C} {g:מציין|מציינת} שזו הפנייה ה-{nth} באותו עניין {g:ושהוא מאבד|ושהיא מאבדת} סבלנות
@@ he note transfer
{C} {g:הועבר|הועברה} בין [3|4|כמה] מחלקות [ואף אחד לא טיפל|בלי שום פתרון][, {g:מבקש|מבקשת} מנהל|]
{C} {g:טוען שהעבירו אותו|טוענת שהעבירו אותה} מ{dept} ל{dept2} וחזרה[ ובסוף השיחה נותקה|]
{C} {g:מתלונן|מתלוננת} על הקפצות בין נציגים, כל נציג [מפנה למחלקה אחרת|אומר שזה לא אצלו]
השיחה הועברה ל{dept} [ונותקה בהעברה|ולא נענתה]. {C} {g:חזר|חזרה} [בפעם ה-{nth}|שוב]
@@ he note ivr
{C} {g:מתלונן|מתלוננת} על [המענה הקולי|התפריט הקולי] - {g:לא מצליח|לא מצליחה} להגיע לנציג[ אנושי|]
המענה הקולי מחזיר את {C} [לתפריט הראשי|להתחלה] [שוב ושוב|בכל פעם][, {g:לחץ|לחצה} 0 ולא עזר|]
{C} {g:הקיש|הקישה} ת"ז [3 פעמים|פעמיים] במענה הקולי ובכל זאת {g:נשאל|נשאלה} שוב ע"י הנציג
{C} {g:אומר|אומרת} שבמענה הקולי אין אפשרות [לדבר עם נציג|להגיע ל{dept}], רק [הפניה לאתר|הודעה מוקלטת]
@@ he note rude_agent
{C} {g:מתלונן|מתלוננת} על יחס [לא מכבד|מזלזל|לא מקצועי] של [נציג|נציגה] [בשיחה הקודמת|ב{date}|אתמול][, {g:מבקש|מבקשת} שיטופל|, הועבר למשוב|]
לדברי {C}, [הנציג צעק {g:עליו|עליה}|הנציגה ניתקה {g:לו|לה} בפנים|הנציג דיבר {g:אליו|אליה} בזלזול|הנציגה לא נתנה {g:לו|לה} להסביר]
{C} {g:דורש|דורשת} לדבר עם מנהל בעקבות חוסר אדיבות של [נציג|נציגה] [מהמוקד|מהתמיכה|מהסניף], {g:מציין|מציינת} ש[זו לא הפעם הראשונה|אף אחד לא התנצל]
תלונה על נציג - {C} {g:טוען|טוענת} שנאמר {g:לו|לה} "[זו לא הבעיה שלי|{g:תתקשר|תתקשרי} מחר|אין לי מה לעשות בשבילך]"
@@ he note broken_promise
{C} {g:מתלונן שלא חזרו אליו|מתלוננת שלא חזרו אליה} [למרות שהובטח|כמו שהובטח] [עד יום {weekday}|תוך 24 שעות|בשיחה הקודמת]
[הובטח זיכוי|הובטח טכנאי|הובטחה חזרה מנ"ש|הובטח החזר כספי] [ב{date}|לפני {period}] ולא קרה [כלום|שום דבר]. {C} {g:מאוכזב|מאוכזבת}[ מאוד|]
{C} {g:טוען|טוענת} [שנציג הבטיח|שנציגה הבטיחה] {g:לו|לה} [הנחה של {discount}|זיכוי של {amount}|ביטול דמי יציאה] וזה לא מופיע [במערכת|בחשבונית]
שוב לא חזרו - {C} {g:חיכה|חיכתה} [כל היום|יומיים|עד הערב] לשיחה [מ{dept}|מהמנהל|מאחמ"ש]
אין תיעוד במערכת להבטחה {g:שקיבל|שקיבלה} [ב{date}|בשיחה הקודמת], {C} {g:כועס|כועסת}
@@ he note tech_fault
{C} {g:מדווח|מדווחת} ש{fault}. {fix_done}[, נפתחה קריאה|, הועבר לדרג 2|, ממתין לבדיקה|]
תקלה: {fault}. [{fix_done}|בוצעו בדיקות], [לא נפתר|נפתר חלקית|ללא שינוי]
{C} {g:פנה|פנתה} [שוב|בפעם ה-{nth}|] כי {fault}[, {g:עובד|עובדת} מהבית ו{g:זקוק|זקוקה} לשירות תקין|]
@@ he note tech_fault mobile,internet,tv
{C} {g:מדווח|מדווחת} ש{fault} [כבר {period}|מאז {day_ref}], [נקבע ביקור טכנאי {when}|תואם טכנאי לחלון {window}]
תקלה ידועה באזור {city} - {C} {g:עודכן|עודכנה} [בזמן משוער לתיקון|שהתקלה תטופל עד הערב|שצוות כבר בשטח]
@@ he note wrong_details
{C} {g:מדווח|מדווחת} ש[הכתובת במערכת לא נכונה|שם המשפחה רשום עם שגיאה|מספר הטלפון במערכת שגוי|המייל לחשבוניות לא מעודכן|החשבוניות נשלחות לכתובת הישנה][, {g:ביקש|ביקשה} לתקן כבר [3 פעמים|פעמיים]|]
פרטים שגויים במערכת - [החשבונית יוצאת על שם הדייר הקודם|הוראת הקבע רשומה על כרטיס ישן|תאריך הלידה שגוי|ת"ז לא תואמת]. [תוקן|הועבר לתיקון]
{C} {g:קיבל|קיבלה} [חשבונית|מכתב|SMS] עם פרטים של לקוח אחר - [חשש לדליפת מידע|{g:מודאג|מודאגת} מפגיעה בפרטיות], הועבר [לאבטחת מידע|לטיפול מנהל]
עודכנה כתובת [שוב|בפעם השלישית] כי העדכון הקודם לא נקלט[, {C} {g:מתוסכל|מתוסכלת}|]
@@ he note self_service
{C} {g:ניסה|ניסתה} [לשלם|לעדכן פרטים|להוריד חשבונית|לשנות מסלול] דרך {selfsvc} {g:ולא הצליח|ולא הצליחה}[, {g:נאלץ|נאלצה} להתקשר|]
[האזור האישי מחזיר שגיאה|האפליקציה קורסת|האתר לא נטען|הבוט לא מבין את הבקשה] - {C} {g:נאלץ|נאלצה} להתקשר [בשביל פעולה פשוטה|למוקד]
{C} {g:מתלונן|מתלוננת} שהבוט [בצ'אט|בוואטסאפ] [מסתובב במעגלים|לא מעביר לנציג|שולח לינקים שלא עובדים]
{C} לא {g:מקבל|מקבלת} קוד אימות [ב-SMS|במייל] ולכן {g:לא יכול|לא יכולה} להיכנס [לאזור האישי|לאפליקציה]
@@ he note tech_no_show
טכ' לא הגיע לחלון {window}[ ב{date}|][, {C} {g:לקח|לקחה} יום חופש בשביל זה|, {C} {g:מבקש|מבקשת} פיצוי|]. [תואם מחדש ליום {weekday}|נשלחה בקשה לתיאום חדש]
{C} {g:חיכה|חיכתה} [כל היום|מ-8 בבוקר|כל הבוקר] לטכנאי [שלא הגיע|ואף אחד לא עדכן על ביטול]. [פעם שנייה|כבר פעם שלישית] שזה קורה
ביקור טכנאי [בוטל|לא התקיים] [ללא הודעה|בלי עדכון] - {C} [{g:עצבני|עצבנית} מאוד|{g:דורש|דורשת} זיכוי על הימים בלי שירות]
התקנה [נדחתה|לא בוצעה] [בפעם השנייה|שוב], [הטכ' הגיע בלי ציוד|הטכ' אמר שאין תשתית בבניין|הטכ' הגיע באיחור של 3 שעות]
@@ he note contract_fee
{C} {g:מבקש|מבקשת} לנתק [ו{g:מופתע|מופתעת}|ו{g:כועס|כועסת}] מדמי יציאה של {amount}, {g:טוען|טוענת} [{g:שלא הוסבר לו|שלא הוסבר לה}|{g:שאמרו לו|שאמרו לה} שאין התחייבות]
בירור תקופת התחייבות - נותרו [4|7|11] חודשים, דמי יציאה {amount}. {C} [{g:לא מוכן|לא מוכנה} לשלם|{g:שוקל|שוקלת} לחכות לסוף התקופה]
{C} {g:טוען שחתם|טוענת שחתמה} על התחייבות ל[שנה|שנתיים|18 חודשים] בלי שהסבירו {g:לו|לה} על קנס היציאה
@@ he note product_quality
{C} {g:מתלונן|מתלוננת} ש{quality}[, {g:מבקש|מבקשת} החלפה|, {g:דורש|דורשת} החלפה או החזר|, נשלח למעבדה|]
תלונה על איכות: {quality}. {C} לא [מרוצה בכלל|מרוצה]
{C} {g:טוען|טוענת} ש{quality}[ ושזו כבר פעם שנייה|]
@@ he note refund
{C} עדיין לא {g:קיבל|קיבלה} את ההחזר [שהובטח|שאושר] [ב{date}|לפני {period}] ({amount})
זיכוי של {amount} לא [הופיע בחשבונית|נכנס לכרטיס|נכנס לחשבון] למרות אישור. {C} {g:מבקש|מבקשת} [אסמכתא|תאריך ביצוע]
{C} {g:דורש|דורשת} החזר כספי על [החודש|{period}] בלי שירות, [הועבר לאישור מנהל|אושר זיכוי חלקי ({amount})|נדחה - לא עומד בקריטריונים]
@@ he note cancel_intent
{C} {g:מבקש|מבקשת} לנתק, [הועבר לשימור|הועבר למחלקת שימור|{g:לא מוכן|לא מוכנה} לשמוע הצעות]
{C} {g:מודיע שהוא רוצה|מודיעה שהיא רוצה} לבטל את {svc} [בסוף החודש|מיד|עוד היום]
בקשת ניתוק - [סיבה: {reason}|{C} לא {g:פירט|פירטה} סיבה]. [הוצעה הטבה, {g:סירב|סירבה}|הוצעה הנחה, {g:שוקל|שוקלת}|הועבר לשימור]
{C} {g:אמר|אמרה} שאם לא יסדרו את {issue} [עד סוף השבוע|עד מחר|החודש] {g:הוא מבטל|היא מבטלת} את {svc}
{C} {g:מבקש|מבקשת} ניתוק של {svc} [החל מ{fdate}|בסוף מחזור החיוב]. [נשלח אישור במייל|ממתין לאישור בכתב]
@@ he note switch_competitor
{C} {g:קיבל|קיבלה} הצעה מ{comp} ב{amount} לחודש ו{g:שוקל|שוקלת} לעבור
{C} {g:עובר|עוברת} ל{comp}[, {g:מבקש|מבקשת} ניתוק|, כבר {g:חתם|חתמה} שם|]
שקילת מעבר ל{comp} - {C} {g:מציין|מציינת} [שהמחיר שם {amount}|שחברים {g:שלו|שלה} עברו ומרוצים|שהשירות שם טוב יותר]
{C} {g:מבקש|מבקשת} התאמת מחיר ל{comp} ({amount})[, לא אושר|, הועבר לשימור|, אושרה הנחה חלקית]
@@ he note number_porting
{C} {g:ביקש|ביקשה} [קוד ניוד|לנייד את המספר] ל{comp}
התקבלה בקשת ניוד ל{comp} - [{C} לא {g:מעוניין|מעוניינת} בשימור|הועבר לשימור לפני השלמת הניוד]
{C} {g:שאל|שאלה} כמה זמן לוקח ניוד ומה קורה עם יתרת התשלומים על המכשיר
@@ he note retention_transfer
{g:הועבר|הועברה} לשימור לאחר בקשת ניתוק[, הוצעה הנחה של {discount} ל-12 חודשים|]
שימור - {C} {g:סירב|סירבה} להצעה, [ניתוק בסוף החודש|מבוקש ניתוק מיידי]
{C} {g:הועבר|הועברה} למחלקת שימור {g:אחרי שאיים|אחרי שאיימה} לעבור ל{comp}
@@ he note contract_end
[תקופת ההתחייבות מסתיימת|ההתחייבות נגמרת|המבצע נגמר] [בעוד {period}|ב{fdate}|החודש], {C} [{g:בודק|בודקת} הצעות|{g:מבקש|מבקשת} הצעת שימור|{g:רומז שיעבור|רומזת שתעבור}]
{C} {g:שאל|שאלה} מתי נגמרת ההתחייבות [ואם יש קנס|כי רוצה לעבור]
@@ he note legal_threat
{C} {g:מאיים|מאיימת} [בתביעה קטנה|בתביעה|לפנות לעו"ד][ אם לא יוחזר הכסף| אם לא יטופל עד סוף השבוע|]
{C} {g:מסר שכבר פנה|מסרה שכבר פנתה} לעו"ד[ ו{g:יגיש|תגיש} תביעה|]
איום משפטי - {C} {g:דורש|דורשת} [מכתב רשמי|תשובה בכתב] [תוך 7 ימים|עד סוף השבוע] לפני הגשת תביעה
@@ he note regulator_threat
{C} {g:מאיים|מאיימת} לפנות ל{reg}
{C} {g:מסר שכבר הגיש|מסרה שכבר הגישה} תלונה ל{reg}[, {g:מבקש|מבקשת} מספר פנייה|]
{C} {g:אמר שאם לא יקבל|אמרה שאם לא תקבל} תשובה [עד יום {weekday}|השבוע] {g:הוא פונה|היא פונה} ל{reg}
@@ he note public_threat
{C} {g:מאיים|מאיימת} [לפרסם|להעלות פוסט] [בפייסבוק|ברשתות|בקבוצות של השכונה|בטיקטוק][ על היחס| על כל הסיפור|]
{C} {g:אמר שיפנה|אמרה שתפנה} [לכלבוטק|לתקשורת|לחדשות]
{C} {g:העלה|העלתה} [פוסט|סרטון] [בפייסבוק|באינסטגרם|בטיקטוק] [על התקלה|על השירות][ שכבר צבר מאות תגובות|]
@@ he note escalation
{C} {g:דורש|דורשת} לדבר עם [מנהל|אחמ"ש|מנהל משמרת], [{g:הועבר|הועברה}|נרשמה בקשה לחזרה מנ"ש|אין מנהל זמין - הובטחה חזרה עד {time}]
הסלמה - {C} {g:מבקש|מבקשת} שהנושא יטופל ע"י [מנהל|גורם בכיר][, {g:מסרב|מסרבת} לדבר עם נציג|]
{C} {g:סירב|סירבה} להמשיך את השיחה עם נציג ו{g:ביקש|ביקשה} מנהל מיד
@@ he note plan_change
הוסבר {lC} על {plan}[, {g:ביקש|ביקשה} זמן לחשוב|, {g:יחזור|תחזור} אלינו אם {g:ירצה|תרצה}|, נשלחו פרטים ב-SMS]
{C} {g:מתעניין|מתעניינת} ב{plan}[, נשלחו פרטים ב-SMS|, הוסברו התנאים|]
בוצע מעבר ל{plan} לבקשת {C}, [ללא התחייבות|בהתחייבות ל-12 חודשים], {monthly} לחודש
{C} {g:ביקש|ביקשה} [להוריד|להקטין] את החבילה [למשהו זול יותר|לפי השימוש בפועל], [בוצע|הוסברו האפשרויות]
@@ he note bill_question
{C} {g:ביקש|ביקשה} הסבר על [החשבונית האחרונה|החיוב של {month}|פירוט החיובים], הוסבר [{g:שמחויב|שמחויבת} על חלק יחסי|שמדובר בחיוב חד-פעמי|שמחיר המבצע הסתיים]
{C} {g:שאל|שאלה} על חיוב של {amount} [בחשבונית|בפירוט], [הוסבר - דמי משלוח ציוד|הוסבר - עמלת ביצוע|נבדק, החיוב תקין][. {C} {g:ציין|ציינה} שלא רוצה לבטל, רק להבין|]
בירור חשבונית - [נשלח העתק למייל|הוסבר מבנה החשבון|עודכן למשלוח חשבונית דיגיטלית]
@@ he note update_details
[עודכנה כתובת|עודכנו פרטי אשראי|עודכנה כתובת המייל|עודכן מספר טלפון ליצירת קשר] לבקשת {C}[, בוצע אימות ת"ז|]
{C} {g:ביקש|ביקשה} [להחליף אמצעי תשלום|לעדכן כתובת למשלוח|להוסיף מורשה לחשבון], [בוצע|נשלח טופס לחתימה|ממתין למסמכים]
@@ he note service_request
{C} {g:מבקש|מבקשת} {request}[, בוצע|, בוצע בשיחה|, נשלח קישור לאישור|, הועבר למכירות]
בקשה: {request}. [טופל|ממתין לאישור|הוסברו העלויות ({amount})]
@@ he note appointment
תואם מועד ל{visit}: {when}, [בין השעות {window}|חלון {window}][, {C} {g:יהיה זמין|תהיה זמינה}|]
{C} {g:ביקש|ביקשה} לשנות את מועד ה{visit} ליום {weekday}, [בוצע|אין זמינות - הוצע {when}]
@@ he note status_check
{C} {g:בירר|ביררה} סטטוס של פנייה {order}, {g:עודכן|עודכנה} [שהיא בטיפול|שהטיפול יסתיים עד יום {weekday}|שהבקשה אושרה]
מעקב: [בדיקת סטטוס|בירור] [הזמנה|פנייה|קריאה] {order} - [בטיפול|ממתין לאישור|נשלח לביצוע]
@@ he note moving
{C} {g:עובר|עוברת} דירה ל{city} [בסוף החודש|ב{fdate}], [תואם ניתוק בכתובת הישנה|{g:מבקש|מבקשת} להעביר את {svc} לכתובת החדשה|עודכנה כתובת]
@@ he note praise_agent
{C} {g:ביקש|ביקשה} להעביר מחמאה {l_prev_agent} [על הסבלנות|על הטיפול המקצועי|על היחס האישי]
{C} [מרוצה מאוד מהטיפול|{g:הודה|הודתה} על הטיפול המהיר|{g:מסר|מסרה} תודה לצוות][, {g:אמר|אמרה} שסוף סוף מישהו הקשיב|]
@@ he note quick_fix
בוצע זיכוי של {amount} [על החיוב הכפול|על התקלה|כמחווה], {C} מרוצה[ מאוד|][ מהפתרון|]
@@ he note quick_fix mobile,internet,tv
{fix_done} - הבעיה נפתרה [בשיחה|תוך 5 דקות|מיד]. {C} מרוצה
@@ he note quick_fix insurance
[התביעה אושרה|המסמכים נקלטו והתביעה אושרה|אישור הכיסוי נשלח] [בשיחה|תוך כמה דקות], {C} [מרוצה|מרוצה מאוד]
@@ he note quick_fix banking
[החסימה הוסרה מהכרטיס|ההעברה שוחררה|הגישה לאפליקציה שוחזרה] [בשיחה|תוך כמה דקות], {C} [מרוצה|מרוצה מאוד]
@@ he note good_offer
הוסבר {lC} על {plan}, {C} מרוצה
שימור הצליח - {C} {g:קיבל|קיבלה} [הנחה של {discount}|הטבה] [ל-12 חודשים|לשנה] ו{g:נשאר|נשארה}
{C} {g:הסכים|הסכימה} לעבור ל{plan} ב{monthly} לחודש, [מרוצה|{g:שמח|שמחה}] מהחיסכון
@@ he note thanks
{C} {g:התקשר|התקשרה} רק להגיד תודה [על הפתרון|על הטיפול בשבוע שעבר|על הסבלנות]
{C} {g:מציין|מציינת} שהשירות השתפר[ מאוד|] [לאחרונה|מאז הפנייה הקודמת], אין בקשות נוספות

@@ he voice billing_error
[חייבתם|חייבו] אותי פעמיים [על אותו חודש|החודש]!!! {amount} ירדו לי [פעמיים|כפול] מהכרטיס
למה יש לי חיוב של {amount} [בחשבונית של {month}|החודש]?? [סגרנו על|סיכמנו על] {monthly}
[ביטלתי|ניתקתי] את {plan} לפני {period} ועדיין [גובים ממני|מחייבים אותי] כסף
יש לי חיוב [מוזר|לא מוכר] של {amount} [בחשבון|בפירוט], מה זה[ בכלל|]???
החשבונית של החודש פשוט לא נכונה, [אני לא {g:משלם|משלמת} על זה|תתקנו את זה בבקשה]
[שוב|עוד פעם] טעות בחשבונית. [כל חודש אותו סיפור|כמה אפשר?!]
@@ he voice price_rise
למה החשבון [עלה|קפץ] {rise} בלי שום הודעה?? [זה לא מה שסגרנו|עושים צחוק?]
[נגמר לי המבצע|הסתיים המבצע] ופתאום אני {g:משלם|משלמת} {raised} במקום {monthly}, [לא הודעתם לי כלום|אף אחד לא טרח להודיע]
[שוב|עוד] [העלאת מחיר|התייקרות]?! [כבר פעם שנייה השנה|זה כבר מוגזם]
אני {g:לקוח ותיק|לקוחה ותיקה} כבר {tenure} שנים ומה אני {g:מקבל|מקבלת}? העלאת מחיר של {delta}
@@ he voice long_wait
[חיכיתי|אני מחכה] {wait} [על הקו|בטלפון|לנציג] [ואף אחד לא עונה|ובסוף ניתקו לי]
כבר {wait} שאני מחכה [בצ'אט|בתור][!!!|?!|]
{wait} המתנה!!! [זה נורמלי?|באמת?|זה שירות?]
אין מענה [אצלכם|במוקד] כבר {period}, [ניסיתי בטלפון, בצ'אט ובווטסאפ|אף אחד לא זמין]
למה כל פעם שאני {g:מתקשר|מתקשרת} זה {wait} המתנה?
@@ he voice repeat_contact
זו הפעם ה-{nth} שאני [פונה|{g:מתקשר|מתקשרת}] [בנושא הזה|על אותה בעיה|בעניין {issue}]
אני כבר {g:חוזר|חוזרת} על אותו סיפור בפעם ה-{nth}, [כל נציג מתחיל מהתחלה|אין לכם תיעוד?|למה אין רישום של השיחות?]
[פניתי|התקשרתי] כבר {nth} פעמים [השבוע|החודש|בשבועיים האחרונים] ו[עדיין כלום|שום דבר לא זז|אין פתרון]
כמה פעמים עוד אצטרך להתקשר על אותו דבר?!
@@ he voice transfer
[העבירו|הקפיצו] אותי בין [3|4|5] [נציגים|מחלקות] [וכל אחד אמר משהו אחר|ובסוף ניתקו|ואף אחד לא יודע מה לעשות]
ב{dept} אמרו לי שזה לא אצלם ושלחו אותי ל{dept2}, [ומשם שלחו אותי חזרה|ושם ניתקו לי]
כל פעם [מעבירים|מקפיצים] אותי [לנציג אחר|למחלקה אחרת] ואני {g:צריך|צריכה} [להסביר הכל מהתחלה|לספר הכל מחדש]
@@ he voice ivr
המענה הקולי שלכם [זה סיוט|זו בדיחה|משגע], [לוחצים 1, 3, 2 ו|]חוזרים להתחלה
אי אפשר להגיע לנציג אנושי, רק 'הקישו 1', 'הקישו 2'...
הקשתי ת"ז [פעמיים|שלוש פעמים] במענה הקולי ובסוף הנציג שאל אותי שוב[ 🙄|, למה?|]
אין אפשרות לדבר עם בן אדם? [כל הזמן|רק] מפנים אותי לאתר
@@ he voice rude_agent
[הנציג שדיברתי איתו אתמול היה [חצוף|מזלזל|גס רוח] [ברמות|לגמרי]|הנציגה שדיברתי איתה הייתה [חצופה|מזלזלת] [ברמות|לגמרי]|הנציג פשוט ניתק לי באמצע המשפט|הנציגה צעקה עליי]
דיברו אליי כאילו אני {g:מטומטם|מטומטמת}. [ככה מדברים ללקוחות?|איך אתם מרשים לנציגים לדבר ככה?]
בחיים לא קיבלתי יחס כזה [מנציג|מחברה]. פשוט מזלזלים [בלקוחות|בי]
@@ he voice broken_promise
[הבטחתם לחזור אליי|הבטיחו לי שיחזרו אליי] [תוך 24 שעות|עד יום {weekday}|למחרת] ואף אחד לא חזר
הבטיחו לי [זיכוי|הנחה של {discount}|שיחה ממנהל] ועד היום [כלום|לא ראיתי כלום]
כל פעם [אומרים לי|מבטיחים] שזה יטופל ו[כלום לא קורה|שום דבר לא זז]
חיכיתי [כל היום|יומיים] לשיחה מהמנהל שהבטיחו לי ואף אחד לא התקשר
@@ he voice tech_fault
{fault} כבר {period}[!!|!!!|...] [אני {g:עובד|עובדת} מהבית ו|]אי אפשר [לעבוד|לחיות] ככה
מאז {day_ref} {fault}. {fix_try} [וכלום|ושום דבר לא עזר|ולא עזר]
{fault}, מתי [אתם מתקנים|זה יסודר]?
[תסדרו|תקנו] כבר את התקלה!!! {fault}[ ואני {g:משלם|משלמת} על זה|]
@@ he voice tech_fault internet
הwifi לא עובד מאז הupgrade[ 😡|]
הראוטר עושה restart כל שעה [והזום נופל|והמשחקים נופלים|והשיעורים של הילדים נופלים]
עשיתי speedtest ויוצא [20|35|50] מגה במקום [500|1000]. [על זה אני {g:משלם|משלמת}?|לא נורמלי]
@@ he voice tech_fault mobile
אין [קליטה|קליטה בכלל] [בבית|בעבודה|באוטו] [מאז העדכון|מאז שעברתי מסלול]
ה-5G [נעלם|לא עובד] מאז [העדכון|הupdate] של המכשיר
@@ he voice tech_fault tv
הVOD [תקוע|לא עולה] [כל ערב|שוב] [דווקא כשיש משחק|באמצע סרט]
האפליקציה בסמארט TV [לא עולה|מתנתקת כל הזמן]
@@ he voice wrong_details
[הכתובת שלי אצלכם לא נכונה|שם המשפחה שלי רשום אצלכם עם טעות|החשבוניות נשלחות למייל הישן שלי] [וכבר שלוש פעמים ביקשתי לתקן|ועדכנתי כבר פעמיים וזה לא נשמר]
קיבלתי [חשבונית|מכתב] עם [הפרטים|השם] של מישהו אחר. [איך זה קורה??|זה חמור מאוד|ומה עם הפרטיות שלי?]
@@ he voice self_service
ניסיתי [לשלם|לעדכן פרטים|להוריד חשבונית|לשנות מסלול] [באפליקציה|באתר|באזור האישי] [וזה קורס|וזה נתקע|ו{g:מקבל|מקבלת} שגיאה]
[האפליקציה|הapp] שלכם לא נותנת לעשות login[ כבר {period}|]
[הבוט|הצ'אטבוט] [לא מבין כלום|מסתובב במעגלים|שולח אותי לאותו לינק], [אפשר בן אדם?|תנו לי נציג אנושי!!]
למה אני {g:צריך|צריכה} להתקשר בשביל [דבר כזה פשוט|עדכון כתובת] אם יש אפליקציה?
הלינק [ששלחתם|שקיבלתי] ב-SMS לא עובד, [יוצא דף שגיאה|מופיע 404]
@@ he voice tech_no_show
הטכנאי לא הגיע!!! [חיכיתי|ישבתי בבית] [כל החלון של {window}|מ-8 עד 12|כל היום] [ואף אחד לא הודיע|וכלום]
[לקחתי|הפסדתי] יום [עבודה|חופש] [בשביל טכנאי שלא הגיע|בשביל התקנה שבוטלה בלי הודעה]
כבר פעם [שנייה|שלישית] [שהטכנאי לא מגיע|שדוחים לי את ההתקנה]
@@ he voice contract_fee
[רוצים|מבקשים] ממני {amount} דמי יציאה?! אף אחד לא אמר לי [על התחייבות|שיש התחייבות]
למה יש קנס על [ביטול|עזיבה]? [אמרו לי|הבטיחו לי] [שאין התחייבות|שאפשר לעזוב מתי שרוצים]
@@ he voice product_quality
{quality}[!!|...] [ממש לא שווה את הכסף|לא מה שציפיתי|איכות ירודה]
מה זה?! {quality}
{quality}, [אני רוצה החלפה|אני רוצה החזר|מגיע לי החזר|מגיעה לי החלפה]
@@ he voice refund
עד היום לא קיבלתי את [ההחזר|הזיכוי] של {amount} [שהבטיחו לי|שאישרו לי] [לפני {period}|ב{date}]
איפה ההחזר שלי? כבר {period} אומרים לי שזה בדרך
אני רוצה [את הכסף שלי בחזרה|החזר מלא] על [החודש|התקופה] שלא היה לי שירות
@@ he voice cancel_intent
אני רוצה [לבטל|לנתק] [את {svc}|הכל] [מיד|עכשיו|היום], [נמאס לי|די, זהו|לא מעניינות אותי הצעות]
[תבטלו|תנתקו] לי [את {svc}|הכל] כבר[ בבקשה|], [אין לי כוח אליכם|נגמרה לי הסבלנות]
אם זה לא מסתדר עד [סוף השבוע|מחר|יום {weekday}] אני {g:מבטל|מבטלת} [את המנוי|הכל]
איך מבטלים את {svc} אצלכם? [באתר אין שום כפתור ביטול|חיפשתי בכל האתר]
@@ he voice switch_competitor
ב{comp} [הציעו לי|נותנים] את אותו דבר ב{amount} לחודש, [למה שאשאר?|תנו לי סיבה להישאר]
אני {g:עובר|עוברת} ל{comp}[. זהו.|. חבל.|, ביי|]
[חבר שלי עבר ל{comp} והוא מבסוט|אחותי עברה ל{comp} והיא מרוצה|כל השכנים עברו ל{comp}] ואני {g:שוקל|שוקלת} ללכת אחריהם
אם לא תורידו את המחיר אני {g:הולך|הולכת} ל{comp}
@@ he voice number_porting
כמה זמן לוקח לנייד את המספר ל{comp}?
אני {g:מנייד|מניידת} את המספר ל{comp}[, אל תנסו לשכנע|, תודה על כלום|]
@@ he voice retention_transfer
רק כשאמרתי שאני {g:עוזב|עוזבת} פתאום [העבירו אותי לשימור|היו הנחות]. [למה לא לפני כן?|למה צריך לאיים?]
[העבירו|שוב העבירו] אותי למחלקת שימור, אני לא רוצה הצעות, אני רוצה [שיתקנו את {issue}|שירות נורמלי]
@@ he voice contract_end
[ההתחייבות שלי נגמרת|המבצע שלי נגמר] [בעוד {period}|החודש|ב{fdate}], [מה אתם מציעים?|תנו הצעה טובה או שאני {g:הולך|הולכת}]
@@ he voice legal_threat
אני {g:הולך|הולכת} [לתבוע אתכם|לתביעות קטנות][ על כל שקל|]
כבר [דיברתי|התייעצתי] עם עורך דין[, תקבלו מכתב|, נתראה בבית משפט]
אם לא תחזירו לי את הכסף עד סוף השבוע אני {g:מגיש|מגישה} תביעה
@@ he voice regulator_threat
אני {g:מגיש|מגישה} תלונה ל{reg}
אם זה לא נפתר [היום|עד מחר] אני פונה ל{reg}
@@ he voice public_threat
אני {g:הולך|הולכת} לפרסם את זה [בכל הקבוצות|בפייסבוק|בטיקטוק] [שכולם ידעו|שכולם יראו איך אתם מתנהגים]
עוד רגע אני {g:שולח|שולחת} את זה לכלבוטק
@@ he voice escalation
[אני רוצה לדבר עם |תעבירו אותי ל][מנהל|אחראי משמרת|מישהו בכיר] [עכשיו|מיד][!!!|]
אין טעם להמשיך עם נציג, [תעבירו אותי|{a:תעביר|תעבירי} אותי] למנהל
@@ he voice plan_change
[אפשר|רציתי] לשמוע על {plan}? [כמה זה עולה?|מה ההבדל מהמסלול שלי?]
אני {g:חושב|חושבת} לעבור ל{plan}, [יש מבצע?|מה המחיר?]
אני רוצה לשנות מסלול, [משהו זול יותר|משהו שמתאים יותר לשימוש שלי]
@@ he voice bill_question
[רציתי להבין את החשבונית האחרונה.|אפשר הסבר על חיוב של {amount}?] {g:לא מתלונן|לא מתלוננת}, רק {g:שואל|שואלת}
אני לא רוצה לבטל, רק להבין [מה זה החיוב הזה|למה החשבון עלה]
מה זה החיוב של {amount} [בחשבונית|בפירוט]? {g:לא זוכר|לא זוכרת} שהזמנתי משהו
@@ he voice update_details
אני {g:צריך|צריכה} לעדכן [את הכתובת|את כרטיס האשראי|את המייל לחשבוניות], [איך עושים את זה?|אפשר דרככם?]
[עברתי דירה|החלפתי כרטיס], אפשר לעדכן את הפרטים?
@@ he voice service_request
[היי, |]אני רוצה {request}[, אפשר?| 🙏|]
אפשר {request}?[ תודה|]
@@ he voice appointment
רציתי לתאם {visit} [למחר|ליום {weekday}][, עדיף בבוקר|, אחרי 16:00|]
אפשר להקדים את ה{visit}?
@@ he voice status_check
[מה הסטטוס של|רציתי לבדוק מה עם] [הפנייה|ההזמנה] {order}?
יש עדכון לגבי [הפנייה שפתחתי|הבקשה שלי] [ב{date}|לפני {period}]?
@@ he voice moving
אני {g:עובר|עוברת} דירה ל{city} [בסוף החודש|ב{fdate}], מה עושים עם {svc}?
@@ he voice praise_agent
רק רציתי להגיד תודה {l_prev_agent}[, {p:תותח|תותחית}|, {p:אלוף|אלופה}|, פשוט מלאך][ 🙏| ❤️| 👏|]
{prev_agent} {p:היה סבלני ואדיב|הייתה סבלנית ואדיבה} [ברמות|מאוד], [תודה!|כל הכבוד]
@@ he voice quick_fix
[וואו|וואלה], [זה נפתר|סידרו לי את זה] [תוך 5 דקות|בשיחה אחת|מהר מאוד], [מעולה|מעולללה|מעולהההה]!
[סוף סוף|תודה,] [הבעיה נפתרה|הכל מסודר] [ואפילו מהר|בלי כאב ראש][ 👍| 😊|]
@@ he voice quick_fix mobile,internet,tv
[עשו לי ריסט מרחוק|הנציג עשה משהו מרחוק] ו[הכל עובד|הכל חזר לעבוד][ 👍| 😊|]
@@ he voice good_offer
[קיבלתי|נתנו לי] הצעה [מעולה|מצוינת|ממש טובה] להישאר, [{plan} ב{monthly}|הנחה של {discount}] 👌
[סגרתי|עברתי] ל{plan} ואני {g:חוסך|חוסכת} {amount} בחודש[ 😊|]
@@ he voice thanks
תודה [רבה|ענקית] על [הטיפול|העזרה|הסבלנות][!!| 🙏| ❤️]
סוף סוף [שירות|שרות] [טוב|ברמה], [ככה צריך|כל הכבוד]
{g:ממליץ|ממליצה} [בחום |]על {co}, [שירות מהיר ואדיב|ענו לי תוך דקה]
חחחח לא האמנתי שזה יהיה כל כך פשוט, תודה!

@@ he formal billing_error
ברצוני [להלין|להתלונן] על חיוב כפול [שבוצע|שמופיע] [בחשבונית לחודש {month}|בכרטיס האשראי שלי]. על פי [הסכם ההתקשרות|המסלול שלי] עליי לשלם {monthly} בחודש, [אולם|אך] חויבתי ב{amount} [פעמיים|נוספים].
בחשבונית האחרונה מופיע חיוב בסך {amount} שאינו מוכר לי. [אבקש|ברצוני] לקבל פירוט מלא של החיוב [ולבטלו|ולזכות אותי בהתאם].
למרות שביטלתי את {plan} כבר ב{date}, אני {g:ממשיך|ממשיכה} להיות {g:מחויב|מחויבת} מדי חודש. מדובר בחיוב שגוי שיש לתקן [באופן מיידי|בהקדם].
@@ he formal price_rise
לאחרונה [הבחנתי|גיליתי] כי החיוב החודשי [עלה|התייקר] {rise} [ללא כל הודעה מוקדמת|מבלי שקיבלתי הודעה]. [הדבר אינו תואם את התנאים שסוכמו|מדובר בהפרה של ההסכם שנחתם].
בעת ההצטרפות הובטח לי מחיר קבוע של {monthly} למשך [שנתיים|24 חודשים|שנה]. אבקש [להשיב את המחיר המקורי|הסבר להעלאה].
@@ he formal long_wait
[במהלך השבוע האחרון|בימים האחרונים] ניסיתי [שוב ושוב |]ליצור קשר עם מוקד השירות, [ובכל פעם|אך בכל פעם] נאלצתי להמתין {wait}[ ויותר|] [ללא מענה|עד שהשיחה התנתקה].
זמני ההמתנה במוקד [אינם סבירים|בלתי סבירים בעליל] ואינם הולמים [חברה בסדר הגודל שלכם|יחס ללקוח ותיק].
@@ he formal repeat_contact
זוהי הפנייה ה-{nth} שלי בנושא [זה|{issue}], ועד [כה|היום] לא [התקבל|נמצא] פתרון.
פניתי אליכם [כבר |][ב{date}|לפני {period}] [בטלפון, בצ'אט ובדוא"ל|בכמה ערוצים], ובכל פעם [נאמר לי|הובטח לי] שהנושא [יטופל|בטיפול].
@@ he formal transfer
במהלך [השיחה|שיחה אחת] הועברתי [בין שלושה נציגים שונים|בין ארבע מחלקות שונות|בין כמה מחלקות], ובסופו של דבר השיחה נותקה.
[כל נציג|כל גורם] שאליו הועברתי הפנה אותי [למחלקה אחרת|לגורם אחר], ואיש לא לקח אחריות על הטיפול בפנייתי.
@@ he formal ivr
מערכת המענה הקולי אינה מאפשרת להגיע לנציג אנושי בזמן סביר, ואף מחזירה אותי לתפריט הראשי [שוב ושוב|פעם אחר פעם].
@@ he formal rude_agent
ברצוני להתלונן על היחס [המזלזל|הבלתי מכבד|הבלתי מקצועי] שקיבלתי [מנציג|מנציגת] [המוקד|השירות] בשיחה מיום {date}.
במהלך השיחה [הנציג הרים עליי את קולו|הנציגה ניתקה את השיחה באמצע דבריי|הנציג סירב למסור את שמו]. [זו אינה הדרך לדבר עם לקוחות|אני מצפה להתנצלות].
@@ he formal broken_promise
ב{date} [הובטח לי|התחייב בפניי נציגכם] כי [אקבל זיכוי|יינתן לי החזר|יחזור אליי גורם בכיר] [תוך מספר ימים|עד סוף השבוע], [אך|ואולם] [עד היום|נכון להיום] [לא קיבלתי דבר|איש לא חזר אליי].
@@ he formal tech_fault
כבר {period} {fault}, [והדבר פוגע קשות|דבר הפוגע קשות] [בעבודתי|בשגרת חיי|בעסק שלי].
[ביצעתי את כל הבדיקות שהתבקשתי|{fix_try}], אך התקלה [טרם נפתרה|נמשכת].
@@ he formal wrong_details
הפרטים הרשומים אצלכם [שגויים|אינם נכונים]: [הכתובת למשלוח אינה מעודכנת|שם המשפחה שלי נרשם עם שגיאה|החשבוניות נשלחות לכתובת דוא"ל ישנה]. ביקשתי לתקן זאת [כבר פעמיים|מספר פעמים].
[קיבלתי|הגיעה אליי] חשבונית [הנושאת|עם] פרטים של לקוח אחר. [מדובר בפגיעה חמורה בפרטיות|הדבר מעורר חשש ממשי לאבטחת המידע].
@@ he formal self_service
ניסיתי לבצע את הפעולה באמצעות {selfsvc}, אולם [המערכת מחזירה הודעת שגיאה|הפעולה לא הושלמה], ולכן נאלצתי לפנות למוקד[ ולהמתין זמן רב|].
@@ he formal tech_no_show
ב{date} תואם ביקור טכנאי [בין השעות {window}|לחלון {window}]. [לקחתי יום חופש|נשארתי בבית] [לשם כך|במיוחד], אך הטכנאי לא הגיע [ואיש לא טרח לעדכן|וללא כל הודעה].
@@ he formal contract_fee
כשהודעתי על כוונתי [להתנתק|לסיים את ההתקשרות], [נדרשתי|התבקשתי] לשלם דמי יציאה בסך {amount}. [בעת ההצטרפות|במעמד החתימה] לא הוסבר לי דבר על [תקופת התחייבות|קנס יציאה].
@@ he formal product_quality
לצערי, {quality}. [אבקש|ברצוני] להחליף את [המוצר|הציוד] או לקבל החזר[ כספי|] מלא.
@@ he formal refund
ב{date} [אושר לי|הובטח לי] החזר בסך {amount}, [אולם|אך] [עד היום|נכון למועד כתיבת שורות אלה] [הסכום לא הועבר|לא קיבלתי את הכסף].
@@ he formal cancel_intent
[הריני להודיע|ברצוני להודיע] על ביטול [ההתקשרות|המנוי] [החל מ{fdate}|בתום החודש הנוכחי|באופן מיידי].
אבקש לנתק את {svc} [ולשלוח לי אישור בכתב|ולהפסיק כל חיוב עתידי].
אם הנושא לא ייפתר [בתוך 7 ימים|עד סוף החודש], לא אוכל אלא [לסיים את ההתקשרות|לבטל את המנוי].
@@ he formal switch_competitor
קיבלתי הצעה מ{comp} [בסך|במחיר של] {amount} לחודש לשירות דומה, ואשקול ברצינות לעבור[ אם לא תציעו תנאים דומים|].
@@ he formal number_porting
אבקש לקבל את [הפרטים הנדרשים לניוד|קוד הניוד] של הקו ל{comp}.
@@ he formal retention_transfer
רק כשהודעתי על רצוני להתנתק הועברתי למחלקת שימור והוצעה לי הנחה. מדוע {g:לקוח ותיק צריך|לקוחה ותיקה צריכה} לאיים בעזיבה כדי לקבל יחס הוגן?
@@ he formal contract_end
תקופת ההתחייבות שלי [מסתיימת|תסתיים] [ב{fdate}|בעוד {period}], ואבחן את המשך ההתקשרות [לאור הניסיון האחרון|בהתאם להצעה שתציעו].
@@ he formal legal_threat
[אם|במידה ו]הנושא לא יוסדר [בתוך 14 יום|עד סוף החודש], לא אהסס לנקוט [בהליכים משפטיים|צעדים משפטיים], [לרבות|ובכלל זה] [הגשת תביעה קטנה|פנייה לעורך דין].
@@ he formal regulator_threat
[יצוין|אציין] כי העתק [ממכתב זה|מפנייה זו] יועבר גם ל{reg}.
אם לא תינתן לי תשובה עניינית [בתוך 7 ימים|בהקדם], אגיש תלונה ל{reg}.
@@ he formal public_threat
אם לא אקבל מענה ראוי, [אשתף|אפרסם] את [חוויותיי|הסיפור] [ברשתות החברתיות|בפורומים צרכניים].
@@ he formal escalation
אבקש כי הפנייה תועבר לטיפולו של [מנהל בכיר|גורם מוסמך|מנהל מחלקת השירות], [שכן הנציגים|מאחר שהנציגים] [לא הצליחו לסייע|אינם מוסמכים לטפל בעניין].
@@ he formal plan_change
[ברצוני|אבקש] לקבל [פרטים|מידע] על {plan}, [ובפרט|לרבות] העלות החודשית ותקופת ההתחייבות.
@@ he formal bill_question
אבקש הסבר [לגבי |בנוגע ל]חיוב בסך {amount} המופיע בחשבונית [האחרונה|לחודש {month}]. [אין בכוונתי לבטל את השירות|{g:איני מעוניין|איני מעוניינת} לבטל את המנוי], אלא רק להבין את פשר החיוב.
@@ he formal update_details
אבקש לעדכן [את כתובת המגורים שלי|את פרטי אמצעי התשלום|את כתובת הדואר האלקטרוני] במערכת. הפרטים המעודכנים מופיעים [להלן|מטה].
@@ he formal service_request
[ברצוני|אבקש] {request}. [אשמח לדעת|אודה אם תעדכנו] [מה העלות|מה נדרש ממני|אם יש צורך בחתימה].
@@ he formal appointment
אבקש לתאם [מועד ל|]{visit} [בשבוע הבא|בימים הקרובים], [רצוי|עדיף] [בשעות הבוקר|לאחר השעה 16:00].
@@ he formal status_check
אבקש לברר את סטטוס הפנייה [שמספרה|מס'] {order}, [שנפתחה|שפתחתי] [ב{date}|לפני {period}].
@@ he formal moving
בסוף החודש [אעבור|אני {g:עובר|עוברת}] להתגורר ב{city}, ואבקש [להעביר את השירות לכתובת החדשה|לעדכן את הכתובת בחשבון].
@@ he formal praise_agent
ברצוני לציין לשבח את {prev_agent} [על הטיפול המסור|על הסבלנות והמקצועיות] [בפנייתי|בשיחה מיום {date}].
@@ he formal quick_fix
הבעיה [טופלה|נפתרה] [במהירות|תוך זמן קצר] [וביעילות|ובמקצועיות], ואני מודה לכם על כך.
@@ he formal good_offer
תודה על ההצעה [לעבור ל{plan}|להמשיך בתנאים משופרים]; ההצעה הוגנת ואשמח להמשיך להיות {g:לקוח|לקוחה} שלכם.
@@ he formal thanks
תודה רבה על [השירות המצוין|הטיפול המקצועי|היחס האדיב]. [כך צריך להיראות שירות|ניכר שהשירות השתפר].

@@ he slot fault mobile
אין קליטה בבית
השיחות נופלות כל כמה דקות
הגלישה [איטית מאוד|איטית בטירוף|זוחלת]
אין גלישה בסלולר
לא מצליחים להתקשר אליי
הסמסים לא מגיעים
ה-5G לא עובד[ בכלל|]
אין קליטה[ בכלל|] בעבודה
@@ he slot fault internet
האינטרנט נופל כל ערב
הwifi לא מגיע לחדרים
המהירות [30|50|80] מגה במקום [500|1000]
הראוטר מהבהב באדום
יש ניתוקים כל [כמה דקות|חצי שעה|שעה]
אין אינטרנט בכלל
הפינג [מטורף|גבוה][ בערבים|] ואי אפשר לשחק
@@ he slot fault tv
הממיר נתקע [כל הזמן|כל כמה דקות]
אין שידור בחלק מהערוצים
הVOD לא עולה
התמונה קופאת [באמצע משחקים|באמצע סרטים|כל כמה דקות]
ערוצי הספורט לא מופיעים
השלט לא מגיב
מופיעה הודעת "אין אות"
@@ he slot fault insurance
התביעה [תקועה|לא מטופלת]
אי אפשר להגיש תביעה [באתר|באפליקציה]
השמאי לא יצר קשר
הפוליסה לא מופיעה באזור האישי
אין אישור [לניתוח|לטיפול|לבדיקה]
ההחזר על [הטיפול|הבדיקה] לא הועבר
@@ he slot fault banking
האפליקציה לא נותנת להתחבר
ההעברה לא [עברה|התקבלה]
הכרטיס חסום בלי סיבה
הכרטיס נדחה בכל קנייה
הקוד ב-SMS לא מגיע
יש חיוב לא מוכר בכרטיס
אי אפשר לחבר את ביט לחשבון
@@ he slot fix_try mobile
כיביתי והדלקתי את המכשיר[ כמה פעמים|]
הוצאתי והכנסתי את הסים
עשיתי איפוס הגדרות רשת
@@ he slot fix_try internet
איפסתי את הראוטר[ פעמיים| שלוש פעמים|]
ניתקתי מהחשמל וחיברתי מחדש
חיברתי בכבל ישר למחשב
@@ he slot fix_try tv
ניתקתי את הממיר מהחשמל
עשיתי ריסט לממיר[ פעמיים|]
החלפתי סוללות בשלט
@@ he slot fix_try insurance
שלחתי את כל המסמכים [פעמיים|שוב]
מילאתי את הטופס באתר [פעמיים|מחדש]
@@ he slot fix_try banking
התקנתי מחדש את האפליקציה
ניסיתי גם מהמחשב וגם מהטלפון
איפסתי סיסמה
@@ he slot fix_done mobile
בוצע אתחול רשת מרחוק
הוחלף סים
נבדקה קליטה באזור - תקין
@@ he slot fix_done internet
בוצע ריסט לראוטר מרחוק
נבדק הקו - תקין
בוצע שדרוג קושחה לראוטר
@@ he slot fix_done tv
בוצע ריענון לממיר מרחוק
נשלח ריענון ערוצים
@@ he slot fix_done insurance
נבדק סטטוס התביעה במערכת
הועבר לשמאי לבדיקה חוזרת
@@ he slot fix_done banking
בוצע איפוס סיסמה
נשלח קוד אימות חדש
הוסרה החסימה מהכרטיס
@@ he slot quality mobile
המכשיר החדש נתקע כל הזמן
הסוללה של המכשיר לא מחזיקה [חצי יום|יום]
המסך של המכשיר נסדק אחרי [שבוע|חודש] בלי שום נפילה
@@ he slot quality internet
הראוטר החדש מתחמם ונכבה
המגדיל טווח לא עוזר בכלל
הציוד ששלחו נראה משומש
@@ he slot quality tv
השלט החדש מתפרק
הממיר רועש [מאוד|בטירוף]
האיכות של הVOD ירודה
@@ he slot quality insurance
הכיסוי בפועל [הרבה |]פחות ממה שהובטח
השמאי קבע סכום מגוחך
המוסך שבהסדר עשה עבודה גרועה
@@ he slot quality banking
האפליקציה החדשה [מסורבלת|איטית] [בטירוף|לגמרי]
הריבית על הפיקדון נמוכה ממה שהובטח
הכרטיס החדש הגיע פגום
@@ he slot request mobile
להוסיף חבילת חו"ל לטיסה ב{fdate}
להוסיף קו נוסף לחשבון
לקבל קוד PUK
להעביר את הקו לשם של בן משפחה
לחסום שיחות לחו"ל
לשדרג מכשיר
לעבור ל-eSIM
@@ he slot request internet
להגדיל מהירות ל-1000 מגה
להחליף את הראוטר לדגם החדש
לקבל מגדיל טווח
לשנות את סיסמת הwifi
לקבל כתובת IP קבועה
@@ he slot request tv
להוסיף את ערוצי הספורט
להזמין ממיר נוסף לחדר [השינה|הילדים]
להוריד את חבילת הסרטים
לקבל קוד לנעילת הורים
לחבר את האפליקציה לטלוויזיה החכמה
@@ he slot request insurance
להוסיף נהג צעיר לפוליסה
לקבל אישור ביטוח [למשכנתא|לבנק]
לעדכן את מספר הרכב בפוליסה
להוסיף כיסוי לנזקי מים
לקבל העתק של הפוליסה למייל
@@ he slot request banking
להגדיל את מסגרת האשראי
להזמין פנקס צ'קים
להגדיר הוראת קבע לוועד הבית
לקבל אישור יתרות
להזמין כרטיס חדש
לפתוח פיקדון
@@ he slot plan mobile
מסלול ה-5G
מסלול ללא הגבלה
חבילת הגלישה המורחבת
המסלול המשפחתי
חבילת חו"ל
@@ he slot plan internet
מסלול סיב 1000
חבילת סיב 500 מגה
מסלול תשתית וספק
חבילת הרשת הביתית
@@ he slot plan tv
חבילת הספורט
חבילת הבסיס
חבילת הסרטים
חבילת הילדים
@@ he slot plan insurance
ביטוח רכב מקיף
ביטוח הדירה
ביטוח הבריאות
ביטוח הנסיעות לחו"ל
@@ he slot plan banking
מסלול העמלות הבסיסי
חבילת העו"ש
כרטיס הזהב
מסגרת האשראי
@@ he slot svc mobile
הקו
מנוי הסלולר
@@ he slot svc internet
האינטרנט
החיבור לאינטרנט
@@ he slot svc tv
חבילת הטלוויזיה
המנוי לטלוויזיה
@@ he slot svc insurance
הפוליסה
הביטוח
@@ he slot svc banking
החשבון
כרטיס האשראי
@@ he slot issue
החיוב
התקלה
הזיכוי
ההחזר
החשבונית
@@ he slot visit mobile
פגישה במעבדה
פגישה במרכז השירות
@@ he slot visit internet,tv
טכנאי
התקנה
@@ he slot visit insurance
שמאי
פגישה עם הסוכן
@@ he slot visit banking
פגישה בסניף
פגישה עם הבנקאי
@@ he slot selfsvc
האפליקציה
האתר
האזור האישי
הבוט בצ'אט
הווטסאפ של השירות
@@ he slot dept mobile,internet,tv
שירות לקוחות
מחלקת גבייה
תמיכה טכנית
מכירות
מחלקת שימור
@@ he slot dept insurance
מחלקת תביעות
שירות לקוחות
מחלקת גבייה
מוקד הסוכנים
מחלקת חיתום
@@ he slot dept banking
מוקד הבנקאים
מחלקת כרטיסי אשראי
שירות לקוחות
מחלקת משכנתאות
תמיכה טכנית
@@ he slot comp mobile
פרטנר
סלקום
גולן טלקום
הוט מובייל
פלאפון
019 מובייל
רמי לוי תקשורת
we4G
@@ he slot comp internet
בזק
הוט
פרטנר
סלקום
בזק בינלאומי
019
@@ he slot comp tv
yes
הוט
פרטנר TV
סלקום TV
@@ he slot comp insurance
הראל
מגדל
כלל
ביטוח ישיר
AIG
איילון
@@ he slot comp banking
לאומי
בנק הפועלים
דיסקונט
מזרחי טפחות
וואן זירו
@@ he slot reg mobile,internet,tv
משרד התקשורת
משרד התקשורת
רשות להגנת הצרכן
@@ he slot reg insurance
רשות שוק ההון
ממונה על שוק ההון
רשות להגנת הצרכן
@@ he slot reg banking
פיקוח על הבנקים
יחידה לפניות הציבור בבנק ישראל
רשות להגנת הצרכן
@@ he slot co mobile,internet,tv
נקסה
@@ he slot co insurance
אופק ביטוח
@@ he slot co banking
בנק גלים
@@ he slot handle mobile,internet,tv
@nexa_il
@@ he slot handle insurance
@ofek_insurance
@@ he slot handle banking
@bank_galim
@@ he slot co_tag mobile,internet,tv
#נקסה
@@ he slot co_tag insurance
#אופק_ביטוח
@@ he slot co_tag banking
#בנק_גלים
@@ he slot reason
מחיר
שירות לא טוב
תקלות חוזרות
מעבר דירה
הצעה מחברה אחרת
@@ he slot period
יומיים
3 ימים
שלושה ימים
שבוע
שבועיים
10 ימים
חודש
@@ he slot wait
40 דקות
45 דק'
שעה
שעה וחצי
חצי שעה
50 דקות
25 דקות
שעתיים
@@ he slot day_ref
אתמול
הבוקר
יום ראשון
שישי
שלשום
סוף השבוע
@@ he slot weekday
ראשון
שני
שלישי
רביעי
חמישי
@@ he slot wd
א'
ב'
ג'
ד'
ה'
@@ he slot when
מחר
מחרתיים
ביום {weekday}
בתחילת השבוע הבא
ביום {weekday} הקרוב
@@ he slot window
8-12
12-16
16-20
08:00-12:00
13:00-17:00
@@ he slot city
תל אביב
ירושלים
חיפה
באר שבע
פתח תקווה
ראשון לציון
נתניה
אשדוד
חולון
רמת גן
מודיעין
כפר סבא
הרצליה
רחובות
בית שמש
קריית שמונה
אילת
@@ he slot biz
א.ב. הנדסה בע"מ
מסעדת הגפן
סטודיו נועה לעיצוב
משרד עו"ד לוי ושות'
כהן לוגיסטיקה בע"מ
מאפיית השכונה
מרפאת השיניים דנטל פלוס

@@ he frame note_prefix
שיחה נכנסת:
צ'אט:
{date} {time} -
שיחה יוצאת:
סיכום שיחה:
@@ he frame note_context
ותק: {tenure} שנים
{C} {g:ביקש שיחזרו אליו|ביקשה שיחזרו אליה} ל{phone}
פנייה קודמת: {order}
{C} {g:מציין שהוא לקוח|מציינת שהיא לקוחה} כבר {tenure} שנים
{C} {g:עובד|עובדת} מהבית
{C} {g:שלח|שלחה} צילום מסך בוואטסאפ
נבדקה היסטוריית פניות - [2|3|4] פניות בחודש האחרון
שיחה ארוכה ({wait})
{C} {g:ביקש|ביקשה} לקבל עדכון [במייל|ב-SMS]
אומת מול ת"ז {id_number}
{C} {g:מבקש|מבקשת} שלא יתקשרו בשעות העבודה
עודכן מייל ליצירת קשר: {email}
@@ he frame note_action_neg
נפתחה פנייה מס' {order}
הועבר לטיפול [אחמ"ש|ראש צוות]
נשלח SMS עם מספר הפנייה
נרשמה בקשה לחזרה תוך 48 שעות
מעקב ביום {wd}
בוצע אימות ת"ז
הוסבר תהליך הבירור
אושר זיכוי חד פעמי של {amount}
@@ he frame note_action_neu
נשלח SMS עם קישור
נשלח סיכום למייל
בוצע אימות ת"ז
עודכן במערכת
הוסבר על האזור האישי באתר
@@ he frame note_outcome_neg
{C} לא מרוצה
{C} {g:עצבני|עצבנית} מאוד
{C} {g:ניתק|ניתקה} באמצע
{C} לא {g:מוכן|מוכנה} לחכות יותר
ממתין לחזרה
לטיפול דחוף
{C} {g:ביקש|ביקשה} תיעוד של השיחה
@@ he frame note_outcome_neu
ללא טענות
{C} {g:הבין|הבינה}
אין צורך בהמשך טיפול
{C} {g:יחזור|תחזור} אם {g:יצטרך|תצטרך}
טופל
@@ he frame note_outcome_pos
{C} מרוצה
{C} {g:הודה|הודתה} על הטיפול
{C} מרוצה מאוד מהשירות
שיחה נעימה
סגירת פנייה
@@ he frame chat_greeting
היי
שלום
הי
ערב טוב
בוקר טוב
שלום רב
היי, יש לי בעיה
אהלן
היי, אפשר עזרה?
@@ he frame chat_detail
מספר הטלפון שלי {phone}
מס' לקוח {custno}
[ההזמנה|מספר ההזמנה] {order}
ת"ז {id_number}
המייל שלי {email}
זה היה ב{date}[ בערך|] ב{time}
שלחתי צילום מסך
צירפתי screenshot
[אפשר לחזור אליי ל|תחזרו אליי ל]{phone}
@@ he frame chat_card
[מספר הכרטיס|הכרטיס שחויב] {card}
@@ he frame chat_emotion
נמאס לי!!!
נמאססס
אין לי כוח לזה יותר
באמת שאין מילים
זה פשוט מביש
😡😡😡
🤬
אני {g:מתחיל|מתחילה} להתעצבן
ממש מתסכל
עד מתי?!
בושה
לא ייאמן
די כבר
דייייי
חבל על הזמן
🙄
😤
למההההה
@@ he frame chat_context_neg
אני {g:לקוח|לקוחה} שלכם כבר {tenure} שנים
אני {g:עובד|עובדת} מהבית וזה פוגע לי בעבודה
כבר דיברתי [אתמול|שלשום] עם נציג שאמר שזה יסתדר
אני {g:משלם|משלמת} {monthly} כל חודש, בשביל מה?
זה כבר לא הפעם הראשונה
בשיחה הקודמת אמרו לי שזה ייפתר תוך 24 שעות
{prev_agent} {p:אמר|אמרה} לי שיחזרו אליי היום
ואף אחד לא חוזר אליי
אני כבר לא {g:יודע|יודעת} מה לעשות
לא ייתכן שכל פעם אני {g:צריך|צריכה} לרדוף אחריכם
אני רוצה [פיצוי|זיכוי] על [הימים|התקופה] בלי שירות
תסדרו את זה היום
{g:מבקש|מבקשת} שמנהל יחזור אליי
@@ he frame chat_context_neu
אני {g:לקוח|לקוחה} שלכם כבר {tenure} שנים
ראיתי באתר שיש מבצע
לא מצאתי את זה באפליקציה
זה לא דחוף
אני {g:זמין|זמינה} אחרי 17:00
חבר המליץ לי לפנות אליכם בצ'אט
אם צריך משהו ממני תגידו
@@ he frame chat_context_pos
הייתי {g:בטוח|בטוחה} שזה ייקח שבוע
ממש הפתעתם לטובה
אני איתכם כבר {tenure} שנים וזה אחד הטיפולים הכי טובים שהיו לי
חחח אפילו לא הספקתי להתעצבן
ככה צריך לעבוד
@@ he frame chat_question
מתי זה יסודר?
אפשר לדבר עם מנהל?
מישהו שם?
הלו??
יש מישהו שיכול לעזור?
מה עושים עכשיו?
אפשר תשובה ברורה?
@@ he frame chat_close_neg
מחכה לתשובה.
ותחזרו אליי היום!!
תטפלו בזה
אני מחכה.
@@ he frame chat_close_neu
תודה
תודה רבה
תודה מראש 🙏
מחכה לתשובה
אשמח לעזרה
תודה!
@@ he frame chat_close_pos
תודה!!! 🙏
אתם אלופים
מעולה, תודה
סבבה תודה רבה 😊
❤️
👍
תודהההה
@@ he frame social_public_neg
{g:מזהיר|מזהירה} את כל מי שחושב להצטרף ל{co}
שתפו שיגיע לכמה שיותר אנשים
עד מתי אתם ממשיכים לזלזל בלקוחות?
גם לכם קורה את זה עם {co}?
ב{comp} זה לא היה קורה
ב{comp} לפחות עונים לטלפון
מכירים מישהו שעובד ב{co}? אולי ככה יטפלו
{co} [תתביישו|בושה]
@@ he frame social_public_neu
מישהו יודע אם אפשר לעשות את זה באפליקציה?
אשמח לתשובה בפרטי
@@ he frame social_public_pos
חשוב לפרגן כשמגיע
כל הכבוד ל{co}
שאפו ל{co}
סוף סוף חברה שמקשיבה ללקוחות
@@ he frame social_context_neg
כבר {period} ככה
{tenure} שנים אני {g:לקוח|לקוחה} שלכם וזה היחס?
ואף אחד לא חוזר אליי
אני {g:משלם|משלמת} {monthly} בחודש על השירות הזה
פניתי בכל הערוצים, בטלפון, בצ'אט ובמייל
הנציגים נחמדים אבל אף אחד לא פותר כלום
{g:מצרף|מצרפת} צילומי מסך בתגובות
שלחתי לכם הודעה בפרטי ואין תשובה
מה עוד צריך לעשות כדי שיטפלו?
@@ he frame social_context_neu
תודה מראש למי שיודע
ניסיתי לחפש באתר ולא מצאתי
שאלתי בצ'אט ולא קיבלתי תשובה ברורה
יש למישהו ניסיון עם זה?
@@ he frame social_context_pos
לא {g:רגיל|רגילה} לכתוב פוסטים כאלה, אבל מגיע להם
הפעם הם באמת היו בסדר
אחרי כל מה שכתבתי עליהם בעבר, מגיע להם
{prev_agent} {p:פתר|פתרה} לי את הבעיה תוך כמה דקות
אפילו חזרו אליי למחרת לוודא שהכל תקין
@@ he frame social_tags_neg
#בושה
#שירות_לקוחות
#שרות_גרוע
{co_tag}
#נמאס
#צרכנות
#fail
@@ he frame social_tags_neu
#שאלה
{co_tag}
#עזרה
@@ he frame social_tags_pos
#שירות_מעולה
#תודה
#ממליץ
{co_tag}
#פרגון
@@ he frame email_greeting
שלום רב,
שלום,
לכבוד מחלקת שירות הלקוחות,
לכבוד {co},
לצוות {co} שלום,
א.ג.נ.,
שלום לצוות השירות,
@@ he frame email_intro
שמי {cname}, {g:ואני לקוח|ואני לקוחה} שלכם [כבר|מזה] {tenure} שנים (מס' לקוח {custno}).
אני פונה אליכם בעניין {svc} שלי.
הריני לפנות אליכם בעניין חשבון מס' {custno}.
שמי {cname}, ת"ז {id_number}, ואני פונה אליכם בעניין {svc}.
@@ he frame email_intro_business
אני {g:אחראי|אחראית} על החשבון העסקי של {biz} ({lines} מנויים).
שמי {cname} מ{biz}, לקוח עסקי שלכם [כבר|מזה] {tenure} שנים.
@@ he frame email_history
[ב{date}|לפני {period}] פניתי למוקד בנושא זה וקיבלתי מספר פנייה {order}.
עד לאחרונה הייתי מרוצה מהשירות, ולכן המקרה הנוכחי מאכזב במיוחד.
שוחחתי עם [לא פחות מארבעה|מספר] נציגים, וכל אחד מהם [נתן לי תשובה אחרת|ביקש שאסביר הכול מחדש].
ניסיתי תחילה לפתור את העניין [בצ'אט באתר|באזור האישי], ללא הצלחה.
@@ he frame email_impact
בשל [התקלה|המצב] [נאלצתי להפסיד ימי עבודה|נגרם לי נזק של ממש].
אני {g:משלם על שירות שאינני מקבל|משלמת על שירות שאינני מקבלת}.
המצב הנוכחי אינו סביר בעיניי, [במיוחד|בייחוד] [לאור ותק ההתקשרות|כשמדובר {g:בלקוח ותיק|בלקוחה ותיקה}].
[בנוסף|יתרה מכך], [איש לא טרח לעדכן אותי|לא קיבלתי כל עדכון] לגבי [מועד הטיפול|התקדמות הפנייה].
@@ he frame email_context_neg
אציין כי אני {g:לקוח|לקוחה} שלכם {tenure} שנים ועד כה לא היו לי תלונות.
אני {g:עובד|עובדת} מהבית, ולכן [השירות חיוני עבורי|כל תקלה פוגעת בפרנסתי].
אני {g:משלם|משלמת} מדי חודש {monthly} ומצפה לשירות בהתאם.
בשיחה האחרונה נאמר לי כי [הנושא יטופל תוך 24 שעות|יחזרו אליי עד סוף היום], אך הדבר לא קרה.
מצורף צילום מסך של [החשבונית|הודעת השגיאה] לעיונכם.
אודה אם תתייחסו לפנייה זו ברצינות הראויה.
@@ he frame email_context_neu
אני {g:לקוח|לקוחה} שלכם {tenure} שנים ומרוצה באופן כללי מהשירות.
ניתן ליצור עמי קשר בטלפון {phone} או בדוא"ל {email}.
לא מצאתי מידע על כך באתר, ולכן אני פונה אליכם ישירות.
אשמח לקבל את המידע בכתב.
@@ he frame email_context_pos
אני {g:לקוח|לקוחה} שלכם {tenure} שנים, והחוויה לא תמיד הייתה חיובית, ולכן חשוב לי לציין זאת.
ראוי שההנהלה תדע על כך.
חשוב לי שתדעו שיש מי שמעריך את העבודה שלכם.
@@ he frame email_demand
אבקש [לטפל בנושא|לבדוק את העניין] [בהקדם|בדחיפות] ולחזור אליי [בכתב|בטלפון {phone}].
אני מצפה לקבל [זיכוי מלא|פיצוי הולם] [על התקופה|בגין אי הנוחות].
אודה לטיפולכם [המהיר|המיידי].
@@ he frame email_demand_neu
אודה לתשובתכם.
אשמח לחזרה [בטלפון {phone}|במייל].
תודה מראש על העזרה.
@@ he frame email_signoff
[בברכה|בכבוד רב|בתודה מראש|תודה],\n{cname}[\nטל': {phone}|\nנייד: {phone}|]
[בברכה|בכבוד רב],\n{cname}\nמס' לקוח {custno}
@@ he frame survey_neg
שירות [גרוע|על הפנים]
לקח יותר מדי זמן
חיכיתי {wait}
הבעיה לא נפתרה
לא פתרו לי כלום
[הנציג לא ידע מה הוא עושה|הנציגה לא ידעה על מה היא מדברת]
יקר מדי ביחס לשירות
שוב העבירו אותי בין מחלקות
אף אחד לא חזר אליי
1 כי אי אפשר לתת 0
לא {g:ממליץ|ממליצה}
{g:שוקל|שוקלת} לעזוב
המענה הקולי מתיש
@@ he frame survey_neu
בסדר, לא יותר
סביר
בסדר גמור
קיבלתי תשובה
ממוצע
7 מתוך 10
עדיין מחכה לעדכון
שום דבר מיוחד
@@ he frame survey_pos
שירות מעולה
שרות מצוין
מעולללה
[נציגה מקסימה|נציג מקסים]
טיפול מהיר ואדיב
10/10
סידרו לי הכל תוך דקות
{g:ממליץ|ממליצה} בחום
תודה {l_prev_agent}!
סוף סוף שירות אמיתי
@@ he frame call_agent_greeting
[שלום|בוקר טוב|ערב טוב], הגעת ל{co}, {a:מדבר|מדברת} {agent_name}, [איך אפשר לעזור?|במה אוכל לעזור?]
{co} שלום, [כאן|שמי] {agent_name}, איך אפשר לעזור?
@@ he frame call_agent_verify_id
אפשר מספר תעודת זהות בבקשה?
לאימות, מה מספר תעודת הזהות?
@@ he frame call_agent_verify_card
רק לאימות, מה ארבע הספרות האחרונות של הכרטיס?
@@ he frame call_agent_verify_phone
לאימות, מה מספר הטלפון הרשום אצלנו?
@@ he frame call_customer_verify_id
{id_number}
כן, {id_number}
רגע... {id_number}
@@ he frame call_customer_verify_card
{card4}
זה {card4}
@@ he frame call_customer_verify_phone
{phone}
זה {phone}
@@ he frame call_agent_apology
אני רואה שהיו {nth_n} פניות בנושא הזה, אני {a:מצטער|מצטערת}
אני {a:מצטער|מצטערת} לשמוע, {a:בודק|בודקת} את זה [עכשיו|מיד]
[רגע|שנייה], אני רואה את [הפנייה הקודמת|זה במערכת]
אני {a:מבין|מבינה} את התסכול, {g:בוא|בואי} נבדוק מה קרה
@@ he frame call_agent_billing
[אכן יש|אני רואה שיש] טעות בחיוב, אני מזכה אותך ב{amount} בחשבונית הבאה
אני {a:מעביר|מעבירה} את זה לגבייה, הזיכוי יופיע תוך [מחזור חיוב אחד|שבועיים]
@@ he frame call_agent_tech
אני {a:פותח|פותחת} קריאת שירות, [טכנאי יתקשר לתאם|נחזור {g:אליך|אלייך}] תוך 48 שעות
{fix_done}, {g:תבדוק|תבדקי} עכשיו בבקשה
@@ he frame call_agent_retention
אני {a:יכול|יכולה} להציע לך הנחה של {discount} [ל-12 חודשים|לשנה]
אני {a:מעביר|מעבירה} אותך למחלקת שימור, [רגע על הקו|שנייה]
@@ he frame call_agent_escalation
אני אעביר את זה לאחראי המשמרת, [הוא יחזור|יחזרו] {g:אליך|אלייך} [עד מחר|עד סוף היום]
@@ he frame call_agent_hold
[רגע אחד|שנייה], אני {a:בודק|בודקת} במערכת
אני {a:מעדכן|מעדכנת} את זה בכרטיס הלקוח
[תודה על הסבלנות|סליחה על ההמתנה]
אני {a:מבין|מבינה}, אני {a:רושם|רושמת} את זה
@@ he frame call_agent_explain
אני רואה שמדובר בחיוב חד-פעמי על [משלוח ציוד|שינוי מסלול]
המבצע הסתיים בחודש שעבר, לכן המחיר עודכן
זה חיוב יחסי על חלק מהחודש, מהחודש הבא זה יתאזן
@@ he frame call_agent_plan
{plan} עולה {monthly} לחודש, [בלי התחייבות|עם התחייבות לשנה]
יש לנו כרגע מבצע על {plan}, {discount} הנחה לשנה הראשונה
@@ he frame call_agent_done
אני {a:שולח|שולחת} לך עכשיו קישור ב-SMS עם כל הפרטים
בוצע, זה יופיע [במערכת|בחשבון] תוך [24 שעות|יום עסקים]
עדכנתי, {g:תקבל|תקבלי} אישור [במייל|ב-SMS]
@@ he frame call_customer_context_neg
כבר התקשרתי [אתמול|שלשום] ואמרו לי שזה יסתדר
אני {g:לקוח|לקוחה} כבר {tenure} שנים ואף פעם לא היה ככה
אני {g:משלם|משלמת} {monthly} בחודש, ובשביל מה?
{g:אני עובד מהבית, אני לא יכול|אני עובדת מהבית, אני לא יכולה} להמשיך ככה
זו כבר הפעם ה-{nth} שאני {g:מתקשר|מתקשרת}
כמה זמן זה עוד ייקח?
@@ he frame call_customer_context_neu
כן, בדיוק
אוקיי, ומה המחיר?
ואם אני רוצה לבטל אחר כך, יש קנס?
רגע, אני {g:רושם|רושמת}
ומתי זה נכנס לתוקף?
@@ he frame call_customer_context_pos
כן, הכל עובד עכשיו
פשוט רציתי שתדעו
@@ he frame call_agent_positive
{a:שמח|שמחה} לשמוע!
איזה כיף לשמוע, תודה!
@@ he frame call_agent_closing
יש עוד משהו שאוכל לעזור?
תודה שפנית ל{co}, [יום טוב|ערב טוב]
בסיום השיחה {g:תקבל|תקבלי} סקר קצר, [נשמח|אשמח] אם {g:תמלא|תמלאי}
@@ he frame call_customer_close_neg
לא. נראה אם זה [יעבוד|יסתדר]
טוב, אבל אם זה לא מסתדר אני {g:עוזב|עוזבת}
לא, זהו. [ביי|להתראות]
@@ he frame call_customer_close_neu
לא, זהו, תודה
אוקיי, תודה רבה
מצוין, תודה
@@ he frame call_customer_close_pos
לא, תודה רבה!
אין עליך, תודה!
{a:אתה אלוף|את אלופה}, תודה!
"###;

/// The hand-written English fragments (American and British customers), in the same format.
const EN_FRAGMENTS: &str = r###"
@@ en note billing_error
{C} called re double charge[ on {month} bill| on card|], {nth} contact, cb promised
{C} [states|claims] {g:he|she} was charged for {plan} after downgrading {period} ago. verified - [{C} correct|billing error], [credited {amount}|sent to billing for credit]
unrecognized charge of {amount} on [last inv|the {month} bill], {C} wants [a refund|it reversed] asap
{C} double billed for the same month ({amount}). [sent dispute form to billing|ticket #{order} opened w/ billing|adv credit will show on next bill]
{C} cancelled {plan} {period} ago, still being billed[, req full credit|, very upset|]
billing error: {C} moved to the {monthly}/mo plan [{period} ago|last month] but still billed at the old rate
{C} asked why there's a {amount} charge for a service {g:he|she} never ordered, [removed and credited|sent for review]
@@ en note price_rise
{C} complaining re price increase [w/o notice|after promo ended], bill went up {rise}
promo expired, {C} not aware. wants old rate back or [will leave|considering leaving]
{C} says new price of {raised}/mo is not what was agreed [at signup|on the sales call]
price increase - {C} paying {raised} instead of the {monthly} agreed, asked for explanation[, not satisfied w/ answer|]
@@ en note long_wait
{C} waited {wait} on hold before reaching an agent, [very frustrated|upset|annoyed]
long hold time - {C} reports {wait} in queue[ and got dropped twice| and the call disconnected|]
{C} complaining no answer [on chat|by phone|on the app] for {period}
{C} tried to reach [support|an agent|us] [all morning|since yesterday|for {period}] w/o success, wants cb
@@ en note repeat_contact
{nth} contact re same issue[, still unresolved|, no fix yet][, {C} wants someone to own it|, escalated to team lead|]
repeat caller - {C} spoke to [3|4|several] agents already, [each said something diff|nobody resolved it]
{C} calling back again, {nth_n} times in [2 wks|10 days|a month] about {issue}
{C} says this is the {nth} time {g:he's|she's} called and {g:he's|she's} losing patience
@@ en note transfer
{C} transferred between [3|4|several] depts, [nobody helped|no resolution][, wants a manager|]
{C} bounced from {dept} to {dept2} and back[, call dropped at last xfer|]
{C} complaining about being passed around, each agent [sends {g:him|her} elsewhere|says it's not their dept]
call xferred to {dept} [and dropped|and not answered]. {C} called back [again|for the {nth} time]
@@ en note ivr
{C} complains about IVR - [can't reach a live agent|keeps looping back to main menu]
{C} entered acct # in IVR [3x|twice] and was still asked for it again by agent
{C} says phone menu has no option for {dept}, [only directs to website|just a recorded message]
@@ en note rude_agent
{C} complaining about [rude|dismissive|unprofessional] agent on [prev call|{date}|yesterday][, wants it escalated|, sent to QA|]
per {C}, [agent hung up on {g:him|her}|agent raised voice at {g:him|her}|agent was condescending|agent wouldn't let {g:him|her} explain]
{C} demands manager due to agent's attitude, says [it's not the first time|nobody apologized]
@@ en note broken_promise
{C} says no one called back [despite promise|as promised on last call|within the 24h promised]
[credit|tech visit|callback from sup|refund] promised [on {date}|{period} ago], never happened. {C} [angry|very disappointed]
{C} states prev agent promised [{discount} off|a {amount} credit|to waive the ETF], not on acct
no notes on acct re promise {g:he|she} got [on {date}|on last call], {C} upset
@@ en note tech_fault
{C} reports {fault}. {fix_done}[, TT #{order} opened|, escalated to tier 2|, pending investigation|]
issue: {fault}. [{fix_done}|remote tests done], [not resolved|partially resolved|no change]
{C} called [again|for the {nth} time|] b/c {fault}[, wfh and needs working service|]
@@ en note tech_fault mobile,internet,tv
{C} reports {fault} [for {period}|since {day_ref}], [tech booked {when}|tech booked for {window} window]
known outage in {city} area - {C} [advised of ETR|told it should be fixed by tonight|told crew is on site]
@@ en note wrong_details
[address on acct wrong|last name misspelled in system|phone # on file wrong|billing email outdated|bills going to old address], {C} [asked to fix it 3x|says it was updated before and didn't save]
wrong details in system - [bill issued to previous tenant|autopay on an old card|DOB incorrect]. [fixed|sent for correction]
{C} received [a bill|a letter|a text] w/ another customer's details - possible data breach, escalated
address updated [again|for the 3rd time] b/c last update didn't save[, {C} frustrated|]
@@ en note self_service
{C} tried to [pay|update details|download invoice|change plan] via {selfsvc}, [failed|got error], had to call
[online account gives error|app crashes|website won't load|chatbot didn't understand] - {C} had to call [for a simple task|the support line]
{C} frustrated, chatbot [loops|won't xfer to agent|sends broken links]
{C} not receiving OTP [by text|by email], can't log in to [account|app]
@@ en note tech_no_show
tech no-show, rebooked for {wd}
tech didn't show for {window} window[ on {date}|][, {C} took day off work|, {C} wants comp|]. [rebooked for {weekday}|sent rebook request]
{C} waited [all day|since 8am|all morning] for tech [who never came|and nobody called to cancel]. [2nd|3rd] time this happened
install [cancelled|didn't happen] w/o notice - {C} [very upset|wants credit for days w/o service]
install [postponed|failed] again, [tech had no equipment|tech said no infrastructure in building|tech 3 hrs late]
@@ en note contract_fee
{C} wants to cancel, upset re ETF of {amount}, says [{g:he|she} was never told|{g:he|she} was told no contract]
{C} asking about early termination fee - [4|7|11] mos left, fee {amount}. [{C} refuses to pay|considering waiting it out]
{C} says {g:he|she} signed a [12|24|18] month contract and nobody explained the exit fee
@@ en note product_quality
{C} says {quality}[, wants replacement|, wants replacement or refund|, sent for repair|]
quality complaint: {quality}. {C} not [happy at all|happy]
@@ en note refund
{C} still hasn't received refund of {amount} promised [on {date}|{period} ago]
credit of {amount} not on [bill|card|acct] despite approval. {C} wants [ref #|a date]
{C} wants refund for [the month|{period}] w/o service, [sent to manager for approval|partial credit approved ({amount})|denied - doesn't meet criteria]
@@ en note cancel_intent
{C} upset, wants to cancel, xfer to retention
{C} requesting disconnect[ of {svc}|], [xfer to ret|not interested in offers]
disconnect request - [reason: {reason}|no reason given]. [offered promo, declined|offered discount, thinking about it|xfer to ret]
{C} said if {issue} isn't fixed [by end of wk|by tomorrow|this month] {g:he|she}'ll cancel {svc}
{C} wants {svc} disconnected [effective {fdate}|at end of billing cycle]. [confirmation sent by email|pending written confirmation]
@@ en note switch_competitor
{C} got offer from {comp} for {amount}/mo, considering switching
{C} switching to {comp}[, req disconnect|, already signed up there|]
{C} thinking of moving to {comp} - says [price there is {amount}|friends switched and are happy|service is better there]
{C} wants price match w/ {comp} ({amount})[, not approved|, xfer to ret|, partial discount approved]
@@ en note number_porting
{C} requested port-out [PIN|code] to {comp}
port-out request to {comp} received - [{C} declined retention|xfer to ret before port completes]
{C} asked how long porting takes and what happens to the remaining device payments
@@ en note retention_transfer
xfer to retention after cancel req[, offered {discount} off for 12 mos|]
retention: {C} declined offer, [disconnect at end of cycle|wants immediate disconnect]
{C} xferred to retention after threatening to leave for {comp}
@@ en note contract_end
contract ends [in {period}|{fdate}|this month], {C} [shopping around|wants a retention offer|hinting {g:he'll|she'll} leave]
{C} asked when contract ends [and if there's a fee|b/c {g:he|she} wants to switch]
@@ en note legal_threat
{C} threatening [small claims|legal action|to get a lawyer involved][ if not refunded| if not fixed by end of wk|]
{C} says {g:his|her} lawyer is already involved[ and {g:he'll|she'll} file|]
legal threat - {C} wants [a formal letter|a written answer] [within 7 days|by end of wk] before filing
@@ en note regulator_threat
{C} threatening to file complaint w/ {reg}
{C} says already filed w/ {reg}[, wants ref #|]
{C} said if no answer by {weekday} {g:he's|she's} going to {reg}
@@ en note public_threat
{C} threatening to post on [FB|Twitter|TikTok|Reddit|the neighborhood group][ about the service| about the whole thing|]
{C} says {g:he|she} will go to [the press|the local news]
{C} already posted [a review|a video] on [FB|Instagram|TikTok][ that has hundreds of comments|]
@@ en note escalation
{C} demanded sup, [xfer'd|cb requested from sup|no sup avail - cb promised by {time}]
escalation - {C} wants this handled by [a manager|someone senior][, refuses to talk to agents|]
{C} refused to continue w/ agent and asked for a manager right away
@@ en note plan_change
adv {C} on {plan}[, {C} will think about it|, sent details by text|, changed plan]
{C} interested in {plan}[, info sent|, terms explained|]
moved {C} to {plan} [per request|], [no contract|12-mo contract], {monthly}/mo
{C} asked to downgrade to something cheaper, [done|options explained]
@@ en note bill_question
{C} asked about [the last bill|the {month} charges|itemized charges], explained [prorated charge|one-time fee|promo ended]
{C} asked about a {amount} charge on the bill, [explained - equipment shipping|explained - processing fee|checked, charge is correct][. {C} said {g:he|she} doesn't want to cancel, just wanted to understand|]
bill inquiry - [copy sent by email|explained bill layout|switched to paperless]
@@ en note update_details
updated [billing address|payment method|email on file|contact number] per {C}[, ID verified|]
{C} asked to [change payment method|update mailing address|add an authorized user], [done|form sent for signature|awaiting documents]
@@ en note service_request
{C} requested to {request}[, done|, done on call|, link sent|, passed to sales]
request: {request}. [done|pending approval|costs explained ({amount})]
@@ en note appointment
booked {visit} for {when}, [{window} window|between {window}][, {C} will be available|]
{C} asked to move {visit} to {weekday}, [done|no availability - offered {when}]
@@ en note status_check
{C} checking status of ticket #{order}, adv [in progress|should be done by {weekday}|approved]
f/u: status check on [order|ticket|case] #{order} - [in progress|pending approval|sent for processing]
@@ en note moving
{C} moving to {city} [end of month|on {fdate}], [arranged disconnect at old address|wants to move {svc} to new address|address updated]
@@ en note praise_agent
{C} called to compliment {prev_agent} on [patience|great help|the follow-up]
{C} [very happy w/ service|thanked for quick help|sends thanks to the team][, said someone finally listened|]
@@ en note quick_fix
credited {amount} [for the double charge|for the outage|as goodwill], {C} [very happy|satisfied]
@@ en note quick_fix mobile,internet,tv
{fix_done} - issue resolved on [the call|first contact|the spot]. {C} happy
@@ en note quick_fix insurance
[claim approved|docs received and claim approved|proof of cover sent] [on the call|within minutes], {C} [happy|very happy]
@@ en note quick_fix banking
[card block removed|transfer released|app access restored] [on the call|within minutes], {C} [happy|very happy]
@@ en note good_offer
adv {C} on {plan}, {C} happy
retention save - {C} accepted {discount} off for 12 mos and is staying
{C} agreed to move to {plan} at {monthly}/mo, happy w/ savings
@@ en note thanks
{C} called just to say thanks for [the fix|last week's help|the patience]
{C} says service has improved [a lot|] [lately|since last contact], no further requests

@@ en voice billing_error
you charged me twice [this month|for the same bill]!!! {amount} taken from my card [twice|two times]
why is my bill {amount}?? we agreed on {monthly}
I cancelled {plan} {period} ago and you're STILL charging me
there's a [weird|random] charge of {amount} on my bill, what is this??
this month's bill is just wrong, [I'm not paying it|fix it please]
another billing mistake. [same story every month|how hard can it be?!]
@@ en voice price_rise
why did my bill go up {rise} without any notice?? [that's not what we agreed|are you kidding me?]
promo ended and now I'm paying {raised} instead of {monthly}. nobody told me [anything|a thing]
another price increase?! [that's the 2nd this year|this is getting ridiculous]
been a customer for {tenure} years and this is what I get? a {delta} increase
@@ en voice long_wait
[been|I've been] on hold for {wait} [and still nothing|and then it hung up on me]
{wait} on hold!!! [is this normal??|seriously?|you call this service?]
no answer [on chat|on the phone] for {period}. tried phone, chat AND email
why does every call to you mean {wait} on hold?
@@ en voice repeat_contact
this is the {nth} time I'm contacting you about [this|{issue}]
I've explained this {nth_n} times now, [does nobody keep notes??|every agent starts from scratch]
called {nth_n} times [this week|this month] and [still nothing|nothing has changed|no fix]
how many more times do I have to call about the same thing?!
@@ en voice transfer
got transferred between [3|4|5] [agents|departments] and [each one said something different|then got cut off|nobody knew what to do]
{dept} told me it's not them and sent me to {dept2}, [who sent me right back|who hung up on me]
every time I get passed to [another agent|another department] and have to explain everything from scratch
@@ en voice ivr
your phone menu is a nightmare, [press 1, press 3, press 2 and |]back to the start
there is no way to reach a human. just 'press 1' 'press 2' forever
typed my account number [twice|3 times] in the menu and the agent still asked for it[ 🙄|, why?|]
is there any way to talk to a real person? it keeps sending me to the website
@@ en voice rude_agent
the agent I spoke to [yesterday|earlier] was [so rude|incredibly condescending|downright nasty]
your agent literally hung up on me mid sentence
talked to me like I'm an idiot. [is that how you treat customers?|how do you let staff talk like that?]
never been treated like this by [a company|an agent]. zero respect
@@ en voice broken_promise
you promised to call me back [within 24h|by {weekday}|the next day] and nobody did
was promised [a credit|{discount} off|a call from a manager] and still nothing
every time it's 'we'll get back to you' and nothing happens
waited [all day|two days] for the manager callback you promised. nobody called
@@ en voice tech_fault
{fault} and it's been {period}[!!|!!!|...] [I work from home and |]I can't [work|live] like this
{fault}. {fix_try} and [nothing|it didn't help|still nothing]
{fault}, when are you going to fix it?
fix it already!!! {fault}[ and I'm paying for this|]
@@ en voice tech_fault internet
the wifi has been dead since the upgrade smh
router keeps restarting every hour and [my zoom calls|the kids' online classes|my games] keep dropping
ran a speedtest, getting [20|35|50] Mbps instead of [500|940]. [is that what I pay for?|not ok]
@@ en voice tech_fault mobile
no signal [at home|at work|in the car] [since the update|since I changed plans]
5G [disappeared|stopped working] after the phone update
@@ en voice tech_fault tv
on demand [freezes|won't load] [every night|again] [right when the game is on|in the middle of movies]
the app on my smart TV [won't open|keeps disconnecting]
@@ en voice wrong_details
[my address in your system is wrong|my name is misspelled on every bill|bills keep going to my old email] and I've asked to fix it [3 times|twice]
got a [bill|letter] with someone else's [name|details] on it. [how does that even happen??|this is serious|what about my privacy?]
@@ en voice self_service
tried to [pay|update my card|download my bill|change my plan] in [the app|the website|my online account] and it [crashes|just spins|gives an error]
your app won't let me log in[ for {period} now|]
your chatbot [is useless|goes in circles|keeps sending the same link], [can I talk to a human please|get me a real agent!!]
why do I have to call for something this simple when you have an app?
the link you texted me doesn't work, [error page|404]
@@ en voice tech_no_show
the technician never showed up!!! waited [the whole {window} window|all morning|all day] [and nobody called|and nothing]
took a day off work for [a tech who never came|an install that got cancelled without notice]
[2nd|3rd] time the tech doesn't show
@@ en voice contract_fee
you want {amount} to cancel?! nobody ever told me about a contract
why is there an early termination fee? I was told [no contract|I could leave anytime]
@@ en voice product_quality
{quality}[!!|...] [not worth the money|not what I expected|such poor quality]
seriously?! {quality}
{quality}, I want [a replacement|my money back]
@@ en voice refund
still haven't got my refund of {amount} [promised|approved] [{period} ago|on {date}]
where is my refund? it's been {period} of 'it's on the way'
I want [my money back|a full refund] for the [month|weeks] without service
@@ en voice cancel_intent
I want to cancel [everything|{svc}] [today|right now|asap]. [done with you|don't bother with offers|I'm fed up]
cancel {svc} please, [I've had enough|I'm out of patience]
if this isn't fixed by [the end of the week|tomorrow|{weekday}] I'm cancelling
how do I cancel {svc}? [there's no cancel button anywhere|searched your whole website]
@@ en voice switch_competitor
{comp} offered me the same for {amount}/month, [why should I stay?|give me one reason to stay]
I'm switching to {comp}[. bye|. done|, so long|]
[my friend switched to {comp} and loves it|my sister moved to {comp} and is happy|all my neighbors went to {comp}] and I'm thinking of following them
if you don't match the price I'm going to {comp}
@@ en voice number_porting
how long does it take to port my number to {comp}?
I need my port-out PIN, I'm moving to {comp}[, don't try to talk me out of it|]
@@ en voice retention_transfer
funny how the discounts only appear when I say I'm leaving. [why do I have to threaten you?|why not before?]
got sent to retention again, I don't want offers, I want [you to fix {issue}|normal service]
@@ en voice contract_end
my contract ends [in {period}|this month|on {fdate}], [what can you offer?|make me a good offer or I'm out]
@@ en voice legal_threat
I'm taking you to small claims[ court|] over this
already talked to a lawyer[, you'll be hearing from them|, see you in court]
if I don't get my money back by the end of the week I'm filing a claim
@@ en voice regulator_threat
I'm filing a complaint with {reg}
if this isn't fixed [today|by tomorrow] I'm going to {reg}
@@ en voice public_threat
I'm posting this [everywhere|in every group|on TikTok] so everyone knows how you treat customers
let's see how you respond when this goes viral
@@ en voice escalation
I want to speak to [a manager|a supervisor|someone senior] [NOW|right now|please]
no point talking to you, put me through to a supervisor
@@ en voice plan_change
can I get info on {plan}? [how much is it?|what's the difference from my current plan?]
thinking of switching to {plan}, [any deals?|what's the price?]
I want to change my plan, [something cheaper|something that fits how I actually use it]
@@ en voice bill_question
could you explain the {amount} charge on my last bill? not complaining, just asking
I don't want to cancel, just want to understand [this charge|why the bill went up]
what's the {amount} charge on my bill? don't remember ordering anything
@@ en voice update_details
need to update my [address|card|email for bills] on file, [how do I do that?|can you do it for me?]
[I moved|got a new card], can you update my details?
@@ en voice service_request
[hi, |]I'd like to {request}[ please| 🙏|]
can I {request}?[ thanks|]
@@ en voice appointment
I'd like to book {visit} for [tomorrow|{weekday}][, mornings are best|, after 4pm please|]
is there an earlier slot for {visit}?
@@ en voice status_check
what's the status of [ticket|order] #{order}?
any update on [the request I opened|my case] [on {date}|{period} ago]?
@@ en voice moving
I'm moving to {city} [at the end of the month|on {fdate}], what do I need to do with {svc}?
@@ en voice praise_agent
just wanted to say thanks to {prev_agent}[, absolute star|, super patient|, amazing][ 🙏| ❤️| 👏|]
{prev_agent} was [so patient and kind|incredibly helpful], [thank you!|well done]
@@ en voice quick_fix
wow, fixed in [5 minutes|one call|no time]! [sooo much better than last time|amaaazing]
[finally|thanks,] [problem solved|all sorted] [and fast|without any hassle][ 👍| 😊|]
@@ en voice quick_fix mobile,internet,tv
the agent did a remote reset and everything works now[ 👍| 😊|]
@@ en voice good_offer
got a [great|really good] offer to stay, [{plan} for {monthly}|{discount} off] 👌
switched to {plan} and saving {amount} a month[ 😊|]
@@ en voice thanks
thanks so much for the [help|patience|quick fix][!!| 🙏| ❤️]
finally some decent service, [well done|that's how it should be]
highly recommend {co}, [quick and friendly|answered in a minute]
lol didn't think it would be that easy, thank you!

@@ en formal billing_error
I am writing to dispute a duplicate charge on my [{month} bill|credit card]. Under my agreement I pay {monthly} per month, yet I was charged {amount} [twice|on top of that].
My latest bill includes a charge of {amount} that I do not recognise. Please provide a full breakdown and [reverse it|credit my account accordingly].
Although I cancelled {plan} on {date}, I continue to be billed every month. This is clearly an error and must be corrected [immediately|promptly].
@@ en formal price_rise
I recently noticed that my monthly payment has gone up {rise} without any prior notice. [This does not reflect the terms I agreed to|This is a breach of the agreement I signed].
When I joined, I was promised a fixed price of {monthly} for [two years|24 months|12 months]. I ask that you [restore the original price|explain the increase].
@@ en formal long_wait
Over the past week I have tried [repeatedly |]to contact your support line, and each time I waited {wait}[ or more|] [without an answer|until the call dropped].
Your waiting times are unacceptable for [a company of your size|a long-standing customer].
@@ en formal repeat_contact
This is my {nth} contact regarding [this matter|{issue}], and no solution has been offered so far.
I contacted you [on {date}|{period} ago] [by phone, chat and email|through several channels], and each time I was told the issue [would be handled|was being handled].
@@ en formal transfer
During a single call I was transferred between [three|four|several] departments, and the call was eventually disconnected.
Everyone I was transferred to referred me [to another department|elsewhere], and nobody took responsibility for my case.
@@ en formal ivr
Your automated phone system makes it nearly impossible to reach a human agent and returns me to the main menu [again and again|every time].
@@ en formal rude_agent
I wish to complain about the [dismissive|disrespectful|unprofessional] treatment I received from one of your agents on {date}.
During the call [the agent raised his voice at me|the agent hung up on me mid-sentence|the agent refused to give her name]. [This is not how customers should be spoken to|I expect an apology].
@@ en formal broken_promise
On {date} I was promised [a credit|a refund|a call back from a supervisor] [within a few days|by the end of the week]; to date, [nothing has happened|no one has contacted me].
@@ en formal tech_fault
For {period} now {fault}, which is seriously affecting [my work|my daily routine|my business].
[I have carried out every check I was asked to|{fix_try}], but the fault [has not been resolved|persists].
@@ en formal wrong_details
The details you hold for me are incorrect: [my billing address is out of date|my surname is misspelled|invoices are sent to an old email address]. I have asked for this to be corrected [twice|several times].
I received an invoice bearing another customer's details. [This is a serious breach of privacy|This raises real concerns about data security].
@@ en formal self_service
I tried to complete the request through {selfsvc}, but [the system returned an error|it never went through], so I had to call[ and wait a long time|].
@@ en formal tech_no_show
A technician visit was booked for {date} in the {window} window. I [took the day off work|stayed home] for it, but the technician did not arrive [and nobody let me know|and there was no notice].
@@ en formal contract_fee
When I informed you of my intention to cancel, I was asked to pay an early termination fee of {amount}. At no point when signing up was I told about [a minimum term|an exit fee].
@@ en formal product_quality
Unfortunately, {quality}. I would like a replacement or a full refund.
@@ en formal refund
On {date} a refund of {amount} was [approved|promised], but [as of today|at the time of writing] [the money has not arrived|I have not received it].
@@ en formal cancel_intent
Please accept this email as notice that I wish to cancel my [service|contract] [effective {fdate}|at the end of the current billing period|immediately].
Please disconnect {svc} and [confirm in writing|confirm that no further charges will be made].
If the matter is not resolved [within 7 days|by the end of the month], I will have no choice but to [end my contract|cancel my service].
@@ en formal switch_competitor
I have received an offer from {comp} of {amount} per month for an equivalent service, and I will seriously consider switching[ unless you can offer comparable terms|].
@@ en formal number_porting
Please send me [the code required|the details needed] to port my number to {comp}.
@@ en formal retention_transfer
Only when I asked to cancel was I transferred to retention and offered a discount. Why should a long-standing customer have to threaten to leave to be treated fairly?
@@ en formal contract_end
My contract ends [on {fdate}|in {period}], and I will be reviewing whether to continue [in light of recent experience|depending on what you can offer].
@@ en formal legal_threat
If the matter is not resolved within [14 days|the month], I will not hesitate to take legal action, [including|starting with] [a claim in small claims court|instructing a solicitor].
@@ en formal regulator_threat
Please note that a copy of this email will be sent to {reg}.
If I do not receive a substantive response [within 7 days|promptly], I will file a complaint with {reg}.
@@ en formal public_threat
If I do not receive an adequate response, I will share my experience on [social media|consumer review sites].
@@ en formal escalation
I ask that this matter be referred to [a senior manager|someone with authority|the head of customer service], as your agents [have been unable to help|are not authorised to resolve it].
@@ en formal plan_change
I would like information about {plan}, [in particular|including] the monthly cost and the minimum term.
@@ en formal bill_question
Could you please explain the charge of {amount} on my [latest|{month}] bill? I have no intention of cancelling; I would simply like to understand it.
@@ en formal update_details
Please update [my home address|my payment details|my email address] on your records. The new details are [below|as follows].
@@ en formal service_request
I would like to {request}. Please let me know [the cost|what you need from me|whether a signature is required].
@@ en formal appointment
I would like to arrange {visit} [next week|in the coming days], preferably [in the morning|after 4 pm].
@@ en formal status_check
Could you please update me on the status of [ticket|case] #{order}, opened [on {date}|{period} ago]?
@@ en formal moving
I am moving to {city} at the end of the month and would like to [transfer my service to the new address|update the address on my account].
@@ en formal praise_agent
I would like to commend {prev_agent} for [the dedicated help|the patience and professionalism] [with my request|on {date}].
@@ en formal quick_fix
The issue was resolved [quickly|in no time] and [professionally|efficiently], and I am grateful.
@@ en formal good_offer
Thank you for the offer [to move to {plan}|of improved terms]; it is fair, and I am happy to stay with you.
@@ en formal thanks
Many thanks for the [excellent service|professional help|kind treatment]. [This is how service should be|The service has clearly improved].

@@ en slot fault mobile
there's no signal at home
calls keep dropping
mobile data is [super|painfully] slow
texts aren't coming through
5G isn't working[ at all|]
there's no service at work
@@ en slot fault internet
the internet drops every evening
the wifi doesn't reach the bedrooms
speeds are [30|50|80] Mbps instead of [500|940]
the router is blinking red
the connection cuts out every [few minutes|half hour|hour]
there's no internet at all
the ping is terrible[ in the evenings|]
@@ en slot fault tv
the box keeps freezing
half the channels have no signal
on demand won't load
the picture freezes in the middle of [games|movies]
the sports channels are missing
the remote doesn't respond
the screen says 'no signal'
@@ en slot fault insurance
the claim is stuck
the online claim form doesn't work
the adjuster hasn't been in touch
the policy doesn't show up in the online account
the pre-authorization for treatment hasn't been approved
the reimbursement for treatment hasn't been paid
@@ en slot fault banking
the app won't log in
the transfer hasn't gone through
the card keeps getting declined
the verification code never arrives
there's an unknown charge on the card
Apple Pay won't link to the card
@@ en slot fix_try mobile
I restarted the phone[ a few times|]
I took the SIM out and put it back
I reset the network settings
@@ en slot fix_try internet
I rebooted the router[ twice| three times|]
I unplugged everything and plugged it back in
I plugged the laptop straight into the router
@@ en slot fix_try tv
I unplugged the box
I reset the box[ twice|]
I changed the batteries in the remote
@@ en slot fix_try insurance
I sent all the documents [twice|again]
I filled in the online form [twice|again]
@@ en slot fix_try banking
I reinstalled the app
I tried on both my laptop and my phone
I reset my password
@@ en slot fix_done mobile
network reset done remotely
SIM swapped
coverage checked in area - ok
@@ en slot fix_done internet
remote router reboot done
line tested - ok
router firmware updated
@@ en slot fix_done tv
box refreshed remotely
channel refresh sent
@@ en slot fix_done insurance
claim status checked in system
sent back to adjuster for review
@@ en slot fix_done banking
password reset done
new OTP sent
card block removed
@@ en slot quality mobile
the new phone keeps freezing
the battery on the new phone barely lasts [half a day|a day]
the phone screen cracked after [a week|a month] without a single drop
@@ en slot quality internet
the new router overheats and shuts off
the wifi extender does nothing
the equipment you sent looks used
@@ en slot quality tv
the new remote is falling apart
the box is [really|incredibly] noisy
the on demand picture quality is poor
@@ en slot quality insurance
the actual cover is [much |]less than promised
the adjuster's valuation is ridiculous
the approved garage did a terrible job
@@ en slot quality banking
the new app is [really clunky|painfully slow]
the savings rate is lower than promised
the new card arrived damaged
@@ en slot request mobile
add a travel pass for {fdate}
add another line to the account
get a PUK code
transfer the line to a family member
block international calls
upgrade the handset
switch to an eSIM
@@ en slot request internet
upgrade to gig speed
swap the router for the new model
get a wifi extender
change the wifi password
get a static IP
@@ en slot request tv
add the sports channels
get an extra box for the [bedroom|kids' room]
drop the movie package
set up parental controls
connect the app to a smart TV
@@ en slot request insurance
add a young driver to the policy
get a proof of insurance letter for the [mortgage|bank]
update the car registration on the policy
add water damage cover
get a copy of the policy by email
@@ en slot request banking
raise the credit limit
order a new checkbook
set up a recurring payment
get a balance confirmation letter
order a replacement card
open a savings account
@@ en slot plan mobile
the 5G plan
the unlimited plan
the data add-on
the travel pass
the family plan
@@ en slot plan internet
the gig fiber plan
the 500 Mbps plan
the mesh wifi add-on
the 300 Mbps plan
@@ en slot plan tv
the sports package
the basic package
the movie package
the kids package
@@ en slot plan insurance
the comprehensive car cover
the home insurance
the health plan
the travel insurance
@@ en slot plan banking
the premium checking account
the basic account
the rewards credit card
the overdraft
@@ en slot svc mobile
the line
the mobile plan
@@ en slot svc internet
the internet
the broadband
@@ en slot svc tv
the TV package
the TV service
@@ en slot svc insurance
the policy
the insurance
@@ en slot svc banking
the account
the credit card
@@ en slot issue
the bill
the fault
the credit
the refund
the invoice
@@ en slot visit mobile
an appointment at the service center
a repair appointment
@@ en slot visit internet,tv
a technician visit
an installation
@@ en slot visit insurance
an adjuster visit
a meeting with my agent
@@ en slot visit banking
a branch appointment
a meeting with my banker
@@ en slot selfsvc
the app
the website
the online account
the chatbot
@@ en slot dept mobile,internet,tv
billing
tech support
customer service
sales
retention
@@ en slot dept insurance
claims
customer service
billing
underwriting
@@ en slot dept banking
the card team
customer service
the mortgage team
fraud
tech support
@@ en slot comp mobile us
Verizon
AT&T
T-Mobile
@@ en slot comp mobile uk
Vodafone
EE
O2
Three
@@ en slot comp internet us
Comcast
Xfinity
Spectrum
AT&T Fiber
Verizon Fios
@@ en slot comp internet uk
BT
Sky
Virgin Media
Vodafone
@@ en slot comp tv us
Comcast
DirecTV
YouTube TV
Spectrum
@@ en slot comp tv uk
Sky
Virgin Media
BT TV
@@ en slot comp insurance us
Geico
Progressive
State Farm
Allstate
@@ en slot comp insurance uk
Aviva
Direct Line
Admiral
@@ en slot comp banking us
Chase
Wells Fargo
Bank of America
Chime
@@ en slot comp banking uk
Barclays
HSBC
Monzo
Revolut
Lloyds
@@ en slot reg mobile,internet,tv us
the FCC
the Better Business Bureau
the state attorney general
@@ en slot reg mobile,internet,tv uk
Ofcom
the ombudsman
@@ en slot reg insurance us
the state insurance commissioner
the Better Business Bureau
@@ en slot reg insurance uk
the Financial Ombudsman
the FCA
@@ en slot reg banking us
the CFPB
the Better Business Bureau
@@ en slot reg banking uk
the Financial Ombudsman
the FCA
@@ en slot co mobile,internet,tv
Nexa
@@ en slot co insurance
Beacon Insurance
@@ en slot co banking
Harbor Bank
@@ en slot handle mobile,internet,tv
@NexaCares
@@ en slot handle insurance
@BeaconInsure
@@ en slot handle banking
@HarborBankHelp
@@ en slot co_tag mobile,internet,tv
#Nexa
@@ en slot co_tag insurance
#BeaconInsurance
@@ en slot co_tag banking
#HarborBank
@@ en slot reason
price
poor service
recurring faults
moving house
offer from another provider
@@ en slot period
2 days
three days
a week
two weeks
10 days
a month
@@ en slot wait
40 minutes
45 mins
an hour
an hour and a half
half an hour
50 minutes
25 minutes
two hours
@@ en slot day_ref
yesterday
this morning
Sunday
Friday
the weekend
Monday
@@ en slot weekday
Monday
Tuesday
Wednesday
Thursday
Friday
@@ en slot wd
Mon
Tue
Wed
Thu
Fri
@@ en slot when
tomorrow
the day after tomorrow
on {weekday}
early next week
this {weekday}
@@ en slot window
8-12
12-4
8am-12pm
1-5pm
8-11
@@ en slot city us
Austin
Denver
Chicago
Boston
Seattle
Atlanta
Phoenix
Portland
@@ en slot city uk
Leeds
Bristol
Manchester
Glasgow
Cardiff
Brighton
Nottingham
Sheffield
@@ en slot biz
Acme Logistics
Greenleaf Cafe
Bright Dental
Miller & Sons Plumbing
Northside Fitness
Parker Law Group

@@ en frame note_prefix
inbound call:
chat:
{date} {time} -
outbound:
call summary:
@@ en frame note_context
tenure {tenure} yrs
{C} wants cb on {phone}
prev ticket #{order}
{C} mentions {g:he's|she's} been a customer {tenure} yrs
{C} wfh
{C} sent screenshot
checked history - [2|3|4] contacts last month
long call ({wait})
{C} wants updates by [email|text]
verified w/ [DOB|last 4 of card]
{C} asks not to be called during work hours
updated contact email: {email}
@@ en frame note_action_neg
ticket #{order} opened
escalated to [sup|team lead]
sent SMS w/ ref #
cb requested within 48h
f/u {wd}
ID verified
adv dispute process
one-time credit of {amount} approved
@@ en frame note_action_neu
sent link by SMS
summary sent by email
ID verified
updated in system
adv on self-service options
@@ en frame note_outcome_neg
{C} not happy
{C} very upset
{C} hung up
{C} not willing to wait any longer
pending cb
urgent
{C} asked for call recording
@@ en frame note_outcome_neu
no further issues
{C} understood
no f/u needed
{C} will call back if needed
resolved
@@ en frame note_outcome_pos
{C} happy
{C} thanked for help
very satisfied
pleasant call
closing ticket
@@ en frame chat_greeting
hi
hey
hello
hi there
hey, I have a problem
good morning
evening
hi, can someone help?
@@ en frame chat_detail
my number is {phone}
account {custno}
order #{order}
my email is {email}
it happened on {date} around {time}
sent a screenshot
attached a screenshot
you can call me back on {phone}
@@ en frame chat_card
the card that was charged is {card}
@@ en frame chat_emotion
fed up!!!
soooo done with this
unbelievable
this is ridiculous
😡😡😡
🤬
I'm losing my patience
so frustrating
seriously??
smh
wtf
🙄
😤
ugh
nooooo
come ON
@@ en frame chat_context_neg
I've been a customer for {tenure} years
I work from home and this is killing my work
already spoke to someone [yesterday|the day before] who said it would be sorted
I pay {monthly} every month, for what?
this isn't the first time either
last time I was told it would be fixed within 24 hours
{prev_agent} told me someone would call me back today
and nobody ever calls back
honestly I don't know what else to do
why do I always have to chase you?
I want [compensation|a credit] for the [days|time] without service
sort this out today
I want a manager to call me back
@@ en frame chat_context_neu
I've been with you for {tenure} years
saw there's a deal on the website
couldn't find it in the app
no rush
I'm free after 5pm
a friend told me to ask here
let me know if you need anything from me
@@ en frame chat_context_pos
was sure this would take a week
you really surprised me
been with you {tenure} years and this is one of the best experiences I've had
lol didn't even have time to get annoyed
that's how it should work
@@ en frame chat_question
when will this be fixed?
can I talk to a manager?
anyone there?
hello??
can someone actually help?
what now?
can I get a straight answer?
@@ en frame chat_close_neg
waiting for an answer.
call me back TODAY
sort it out
still waiting.
@@ en frame chat_close_neu
thanks
thank you
thx
thanks in advance 🙏
waiting for your reply
appreciate it
@@ en frame chat_close_pos
thanks!!! 🙏
you guys rock
great, thanks
perfect thank you 😊
❤️
👍
thank youuuu
@@ en frame social_public_neg
warning everyone thinking of signing up with {co}
please share so more people see this
how long will you keep treating customers like this?
anyone else having this with {co}?
wouldn't happen with {comp}
at least {comp} answers the phone
anyone know someone at {co}? maybe then they'd fix it
shame on you {co}
@@ en frame social_public_neu
anyone know if this can be done in the app?
happy to get a reply by DM
@@ en frame social_public_pos
credit where it's due
well done {co}
hats off to {co}
finally a company that listens
@@ en frame social_context_neg
been like this for {period}
{tenure} years as a customer and this is how you treat me?
and nobody ever gets back to me
paying {monthly} a month for this
tried every channel, phone, chat and email
the agents are nice but nobody fixes anything
screenshots in the comments
sent you a DM, no reply
what else do I have to do to get this fixed?
@@ en frame social_context_neu
thanks in advance to anyone who knows
tried searching the website, found nothing
asked on the chat and didn't get a clear answer
anyone been through this?
@@ en frame social_context_pos
I don't usually post stuff like this, but they deserve it
this time they really came through
after everything I've posted about them before, they deserve this
{prev_agent} sorted it out in a few minutes
they even called back the next day to check everything was working
@@ en frame social_tags_neg
#fail
#customerservice
#worstservice
{co_tag}
#fedup
#consumerrights
#ripoff
@@ en frame social_tags_neu
#question
{co_tag}
#help
@@ en frame social_tags_pos
#greatservice
#thankyou
#recommend
{co_tag}
#kudos
@@ en frame email_greeting
Hello,
Dear Sir or Madam,
Dear {co} team,
Hi,
To whom it may concern,
Dear Customer Service,
@@ en frame email_intro
My name is {cname} and I have been a customer for {tenure} years (account {custno}).
I am writing regarding {svc} on my account ({custno}).
I am contacting you about account {custno}.
@@ en frame email_intro_business
I manage the business account for {biz} ({lines} lines).
I am writing on behalf of {biz}, a business customer of yours for {tenure} years.
@@ en frame email_history
I first contacted you about this on {date} and was given reference {order}.
Until recently I was satisfied with your service, which makes this all the more disappointing.
I have spoken to [at least four|several] agents, and each gave me a different answer.
I first tried to resolve this through [the online chat|my online account], without success.
@@ en frame email_impact
As a result, [I have lost working days|I have suffered real financial loss].
I am paying for a service I am not receiving.
This is unacceptable, particularly for a customer of {tenure} years.
Moreover, nobody has updated me on [the progress of my case|when this will be fixed].
@@ en frame email_context_neg
I should add that I have been your customer for {tenure} years with no complaints until now.
I work from home, so [this service is essential to me|every outage affects my income].
I pay {monthly} every month and expect a service to match.
On my last call I was told [the issue would be fixed within 24 hours|someone would call me back the same day], but that did not happen.
I attach a screenshot of [the bill|the error message] for your reference.
I would appreciate it if this complaint were taken seriously.
@@ en frame email_context_neu
I have been your customer for {tenure} years and am generally happy with the service.
You can reach me on {phone} or at {email}.
I could not find this information on your website, so I am writing to you directly.
I would be grateful to receive the information in writing.
@@ en frame email_context_pos
I have been a customer for {tenure} years, and the experience has not always been positive, which is why I wanted to say this.
Your management should know about it.
I want you to know that your work is appreciated.
@@ en frame email_demand
Please look into this urgently and [reply in writing|call me on {phone}].
I expect [a full credit|fair compensation] for the period affected.
I would appreciate a prompt resolution.
@@ en frame email_demand_neu
I look forward to your reply.
Please call me on {phone} or reply by email.
Thank you in advance for your help.
@@ en frame email_signoff
[Kind regards|Best regards|Regards|Sincerely|Thanks],\n{cname}[\n{phone}|]
[Kind regards|Best],\n{cname}\nAccount {custno}
@@ en frame survey_neg
terrible service
took way too long
waited {wait}
problem not solved
the agent had no clue
too expensive for what you get
transferred 3 times
nobody called back
1 because I can't give 0
would not recommend
thinking of leaving
the phone menu is exhausting
@@ en frame survey_neu
ok I guess
fine
average
7/10
got an answer eventually
still waiting for an update
nothing special
@@ en frame survey_pos
excellent service
super helpful agent
quick and friendly
10/10
sorted in minutes
highly recommend
thanks {prev_agent}!
finally good service
amaaazing
@@ en frame call_agent_greeting
[Hi|Good morning|Good afternoon], thanks for calling {co}, this is {agent_name}, how can I help?
{co}, {agent_name} speaking, how can I help you today?
@@ en frame call_agent_verify_id
Can I have your account number please?
For security, can you confirm your account number?
@@ en frame call_agent_verify_card
Just to verify, what are the last four digits of the card?
@@ en frame call_agent_verify_phone
Can you confirm the phone number on the account?
@@ en frame call_customer_verify_id
{custno}
yes, it's {custno}
@@ en frame call_customer_verify_card
{card4}
it's {card4}
@@ en frame call_customer_verify_phone
{phone}
it's {phone}
@@ en frame call_agent_apology
I can see there have been {nth_n} contacts about this, I'm sorry
I'm sorry to hear that, let me check that for you now
one moment, I can see [the previous ticket|it in the system]
I understand the frustration, let's see what happened
@@ en frame call_agent_billing
I can see the billing error, I'm crediting {amount} to your next bill
I'm passing this to billing, the credit should show within [one cycle|two weeks]
@@ en frame call_agent_tech
I'm opening a service ticket, [a technician will call to schedule|we'll get back to you] within 48 hours
I've just done a remote reset, could you check now please?
@@ en frame call_agent_retention
I can offer you {discount} off for [12 months|a year]
I'll transfer you to our retention team, [please hold|one moment]
@@ en frame call_agent_escalation
I'll pass this to my supervisor, [they'll|someone will] call you back [by tomorrow|by end of day]
@@ en frame call_agent_hold
one moment, I'm checking the system
I'm adding a note to your account
thanks for your patience
I understand, I'm noting that down
@@ en frame call_agent_explain
I can see it's a one-time charge for [equipment shipping|the plan change]
the promotion ended last month, that's why the price changed
it's a prorated charge for part of the month, it evens out from next month
@@ en frame call_agent_plan
{plan} is {monthly} a month, [no contract|with a 12-month contract]
we have a deal on {plan} right now, {discount} off for the first year
@@ en frame call_agent_done
I'm texting you a link with all the details now
done, it'll show [in the system|on your account] within [24 hours|one business day]
all updated, you'll get a confirmation by [email|text]
@@ en frame call_customer_context_neg
I already called [yesterday|the day before] and was told it would be sorted
I've been a customer for {tenure} years and it's never been this bad
I pay {monthly} a month, for what?
I work from home, I can't keep going like this
this is the {nth} time I'm calling
how much longer is this going to take?
@@ en frame call_customer_context_neu
yes, exactly
ok, and what's the price?
and if I want to cancel later, is there a fee?
hang on, let me write that down
and when does it take effect?
@@ en frame call_customer_context_pos
yes, it all works now
I just wanted you to know
@@ en frame call_agent_positive
glad to hear it!
great to hear, thank you!
@@ en frame call_agent_closing
is there anything else I can help with?
thanks for calling {co}, have a good [day|evening]
you'll get a short survey after the call, we'd appreciate your feedback
@@ en frame call_customer_close_neg
no. let's see if it [works|gets sorted]
fine, but if this isn't sorted I'm leaving
no, that's it. bye
@@ en frame call_customer_close_neu
no, that's all, thanks
ok, thank you
great, thanks
@@ en frame call_customer_close_pos
no, thank you so much!
you're a star, thanks!
"###;

#[cfg(test)]
mod tests {
    use super::*;

    fn generator(configure: impl FnOnce(&mut GeneratorBuilder)) -> Generator {
        let mut builder = GeneratorBuilder::new();
        configure(&mut builder);
        builder.build().expect("valid settings")
    }

    fn jsonl(generator: &Generator) -> Vec<u8> {
        let mut out = Vec::new();
        generator.write_jsonl(&mut out).expect("writing to a Vec");
        out
    }

    fn share<T>(items: &[T], keep: impl Fn(&T) -> bool) -> f64 {
        items.iter().filter(|item| keep(item)).count() as f64 / items.len() as f64
    }

    #[test]
    fn the_same_seed_gives_the_same_bytes() {
        let a = jsonl(&generator(|b| {
            b.seed(42).count(400);
        }));
        let b = jsonl(&generator(|b| {
            b.seed(42).count(400);
        }));
        assert_eq!(a, b);
        assert!(!a.is_empty());
    }

    #[test]
    fn a_different_seed_gives_a_different_corpus() {
        let a = jsonl(&generator(|b| {
            b.seed(1).count(50);
        }));
        let b = jsonl(&generator(|b| {
            b.seed(2).count(50);
        }));
        assert_ne!(a, b);
        let a = String::from_utf8(a).unwrap();
        let b = String::from_utf8(b).unwrap();
        let same = a.lines().zip(b.lines()).filter(|(x, y)| x == y).count();
        assert_eq!(same, 0, "no line should be shared between seeds");
    }

    #[test]
    fn the_count_is_honoured() {
        for count in [0, 1, 2, 37, 1000] {
            let out = jsonl(&generator(|b| {
                b.count(count);
            }));
            let lines = out.iter().filter(|&&b| b == b'\n').count();
            assert_eq!(lines as u64, count, "count {count}");
        }
    }

    #[test]
    fn records_can_be_computed_in_any_order() {
        let g = generator(|b| {
            b.seed(9).count(300);
        });
        let in_order: Vec<GeneratedRecord> = g.records().collect();
        assert_eq!(in_order.len(), 300);
        for n in [299, 0, 150, 7] {
            assert_eq!(g.record(n), in_order[n as usize]);
        }
        assert_eq!(g.records().size_hint(), (300, Some(300)));
    }

    #[test]
    fn every_line_is_a_json_object_with_the_fields() {
        let g = generator(|b| {
            b.seed(5).count(2000);
        });
        let text = String::from_utf8(jsonl(&g)).unwrap();
        for (n, line) in text.lines().enumerate() {
            let value: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            let object = value.as_object().expect("an object");
            assert_eq!(object["id"], format!("g5-{n}"));
            for field in [
                "text",
                "customer_id",
                "channel",
                "timestamp",
                "product",
                "segment",
            ] {
                let s = object[field]
                    .as_str()
                    .unwrap_or_else(|| panic!("{field} in {line}"));
                assert!(!s.trim().is_empty(), "{field} empty in {line}");
            }
            assert!(
                !object.contains_key("lang"),
                "lang must be left to detection: {line}"
            );
            let channel = object["channel"].as_str().unwrap();
            let with_agent = matches!(channel, "agent_note" | "chat" | "call_transcript");
            assert_eq!(object.contains_key("agent_id"), with_agent, "{line}");
            let ts: Timestamp = object["timestamp"].as_str().unwrap().parse().unwrap();
            assert_eq!(object["timestamp"].as_str().unwrap(), ts.to_string());
            assert!(object["customer_id"].as_str().unwrap().starts_with('C'));
            assert!(Product::ALL.iter().any(|p| p.as_str() == object["product"]));
        }
    }

    #[test]
    fn texts_are_clean() {
        let g = generator(|b| {
            b.seed(8).count(3000);
        });
        for record in g.records() {
            let text = &record.text;
            assert!(
                !text.contains(['{', '}', '[', ']']),
                "template syntax left in {text:?}"
            );
            assert!(!text.contains("  "), "double space in {text:?}");
            assert!(
                !text.contains(" ,") && !text.contains(" ."),
                "space before punctuation in {text:?}"
            );
            assert_eq!(text.trim(), text.as_str(), "surrounding space in {text:?}");
            if record.channel != Channel::AgentNote {
                assert!(!text.contains('|'), "stray | in {text:?}");
            }
        }
    }

    #[test]
    fn the_mean_length_is_near_the_target() {
        for mean in [500, 1000] {
            let g = generator(|b| {
                b.seed(3).count(2000).mean_bytes(mean);
            });
            let total: usize = g.records().map(|r| r.text.len()).sum();
            let got = total as f64 / 2000.0;
            let want = mean as f64;
            assert!(
                (got - want).abs() <= want * 0.25,
                "mean {got} for a target of {want}"
            );
        }
    }

    #[test]
    fn lengths_spread_from_surveys_to_emails() {
        let g = generator(|b| {
            b.seed(4).count(3000);
        });
        let records: Vec<GeneratedRecord> = g.records().collect();
        let mean = |channel: Channel| {
            let lengths: Vec<usize> = records
                .iter()
                .filter(|r| r.channel == channel)
                .map(|r| r.text.len())
                .collect();
            lengths.iter().sum::<usize>() as f64 / lengths.len() as f64
        };
        assert!(mean(Channel::Survey) < 160.0, "surveys are short");
        assert!(mean(Channel::Email) > 800.0, "e-mails are long");
        assert!(mean(Channel::AgentNote) < mean(Channel::Chat));
        assert!(records.iter().any(|r| r.text.len() < 80));
        assert!(records.iter().any(|r| r.text.len() > 1500));
    }

    #[test]
    fn channel_language_and_sentiment_shares_are_near_their_settings() {
        let g = generator(|b| {
            b.seed(6).count(4000).hebrew_share(0.65);
        });
        let records: Vec<GeneratedRecord> = g.records().collect();
        for channel in Channel::ALL {
            let got = share(&records, |r| r.channel == channel);
            assert!((got - channel.share()).abs() < 0.03, "{channel:?}: {got}");
        }
        let hebrew = share(&records, |r| r.language == Language::Hebrew);
        assert!((hebrew - 0.65).abs() < 0.03, "Hebrew share {hebrew}");
        let written = share(&records, |r| {
            r.text.chars().any(|c| ('א'..='ת').contains(&c))
        });
        assert!(
            (written - hebrew).abs() < 1e-9,
            "Hebrew letters exactly in the Hebrew records"
        );
        for (sentiment, want) in [
            (Sentiment::Negative, 0.45),
            (Sentiment::Neutral, 0.30),
            (Sentiment::Positive, 0.25),
        ] {
            let got = share(&records, |r| r.sentiment == sentiment);
            assert!((got - want).abs() < 0.04, "{sentiment:?}: {got}");
        }
        for all_english in [0.0, 1.0] {
            let g = generator(|b| {
                b.seed(6).count(300).hebrew_share(all_english);
            });
            let want = if all_english == 1.0 {
                Language::Hebrew
            } else {
                Language::English
            };
            assert!(g.records().all(|r| r.language == want));
        }
    }

    #[test]
    fn complaints_carry_signals_and_hebrew_texts_are_mostly_hebrew() {
        let g = generator(|b| {
            b.seed(12).count(2000);
        });
        let records: Vec<GeneratedRecord> = g.records().collect();
        let negative: Vec<&GeneratedRecord> = records
            .iter()
            .filter(|r| r.sentiment == Sentiment::Negative)
            .collect();
        let with_signal = negative.iter().filter(|r| !r.signals.is_empty()).count();
        assert!(
            with_signal * 10 > negative.len() * 8,
            "most complaints name a signal"
        );
        let churn = records
            .iter()
            .filter(|r| r.signals.iter().any(|s| s.starts_with("churn.")))
            .count();
        assert!(churn > 200, "churn signals are common: {churn}");
        for record in records.iter().filter(|r| r.language == Language::Hebrew) {
            let hebrew = record
                .text
                .chars()
                .filter(|c| ('א'..='ת').contains(c))
                .count();
            let latin = record
                .text
                .chars()
                .filter(char::is_ascii_alphabetic)
                .count();
            assert!(hebrew > latin, "{}", record.text);
        }
    }

    #[test]
    fn timestamps_are_inside_the_span_and_in_order() {
        let start = jiff::civil::date(2025, 3, 10);
        let g = generator(|b| {
            b.seed(7).count(3000).start(start).days(30);
        });
        let first = start.to_zoned(TimeZone::UTC).unwrap().timestamp();
        let end = start
            .checked_add(jiff::Span::new().days(30))
            .unwrap()
            .to_zoned(TimeZone::UTC)
            .unwrap()
            .timestamp();
        let mut previous = first;
        let mut hours = [0usize; 24];
        for record in g.records() {
            assert!(
                record.timestamp >= first && record.timestamp < end,
                "{}",
                record.timestamp
            );
            assert!(record.timestamp >= previous, "timestamps never decrease");
            previous = record.timestamp;
            hours[Offset::UTC.to_datetime(record.timestamp).hour() as usize] += 1;
        }
        // Office hours (08:00-18:00 local, UTC+2) are far busier than the night.
        let day: usize = hours[6..16].iter().sum();
        let night: usize = hours[0..4].iter().sum::<usize>() + hours[22..].iter().sum::<usize>();
        assert!(day > night * 5, "day {day}, night {night}");
        let one_day = generator(|b| {
            b.count(1).days(1);
        });
        let only = one_day.record(0).timestamp;
        assert!(only >= Timestamp::from_second(one_day.inner.start_second).unwrap());
    }

    #[test]
    fn a_few_customers_write_often() {
        let g = generator(|b| {
            b.seed(2).count(4000);
        });
        let mut contacts = std::collections::HashMap::<String, usize>::new();
        let mut profiles = std::collections::HashMap::<String, (Product, Segment, Language)>::new();
        for record in g.records() {
            *contacts.entry(record.customer_id.clone()).or_default() += 1;
            let profile = (record.product, record.segment, record.language);
            let known = profiles
                .entry(record.customer_id.clone())
                .or_insert(profile);
            assert_eq!(
                *known, profile,
                "a customer keeps product, segment and language"
            );
        }
        assert!(contacts.len() <= 500, "at most count / 8 customers");
        let busiest = contacts.values().max().copied().unwrap();
        let once = contacts.values().filter(|&&n| n == 1).count();
        assert!(busiest >= 40, "the busiest customer wrote {busiest} times");
        assert!(once >= 30, "{once} customers wrote once");
    }

    #[test]
    fn bad_settings_are_usage_errors() {
        type Configure = fn(&mut GeneratorBuilder);
        let cases: [(&str, Configure); 6] = [
            ("share above one", |b| {
                b.hebrew_share(1.5);
            }),
            ("share not a number", |b| {
                b.hebrew_share(f64::NAN);
            }),
            ("no days", |b| {
                b.days(0);
            }),
            ("tiny texts", |b| {
                b.mean_bytes(10);
            }),
            ("no customers", |b| {
                b.customers(0);
            }),
            ("past year 9999", |b| {
                b.start(jiff::civil::date(9999, 12, 1)).days(60);
            }),
        ];
        for (name, configure) in cases {
            let mut builder = GeneratorBuilder::new();
            configure(&mut builder);
            let err = builder
                .build()
                .err()
                .unwrap_or_else(|| panic!("{name}: accepted"));
            assert!(err.is_usage(), "{name}: {err}");
        }
    }

    #[test]
    fn the_fragment_corpus_expands_cleanly_everywhere() {
        let corpus = Corpus::get();
        let seeds = 0..400u64;
        let mut expanded = 0;
        for language in [Language::Hebrew, Language::English] {
            for index in seeds.clone() {
                let customer = Customer::new(77, index, language);
                let agent = Agent::new(77, language, index % 7);
                let rng = Rng::derive(77, 99, index);
                let mut composer =
                    Composer::new(rng, language, &customer, Some(&agent), 1_780_000_000);
                for kind in [
                    Kind::Topic(Register::Note),
                    Kind::Topic(Register::Voice),
                    Kind::Topic(Register::Formal),
                    Kind::Frame,
                ] {
                    let names = match kind {
                        Kind::Frame => Frame::ALL.len(),
                        _ => TOPICS,
                    };
                    for name in 0..names {
                        let (count, pools) = corpus.choices(composer.key(kind, name));
                        for i in 0..count {
                            let mut out = String::new();
                            composer.expand(corpus.nth(pools, i), &mut out);
                            tidy(&mut out, 0);
                            assert!(!out.is_empty());
                            assert!(!out.contains(['{', '}', '[', ']']), "{out}");
                            if language == Language::English {
                                assert!(!out.chars().any(|c| ('א'..='ת').contains(&c)), "{out}");
                            }
                            expanded += 1;
                        }
                    }
                }
            }
        }
        assert!(expanded > 100_000);
    }

    #[test]
    fn hebrew_prefixes_take_a_hyphen_before_digits_and_latin() {
        let cases = [
            ("one-letter prefix, digits", "זוכה ב", "12/3", "זוכה ב-12/3"),
            ("one-letter prefix, Latin", "עבר ל", "yes", "עבר ל-yes"),
            ("one-letter prefix, shekel sign", "ב", "₪89", "ב-₪89"),
            ("vav and a prefix", "וב", "2026", "וב-2026"),
            ("a whole word", "של ", "89 ש\"ח", "של 89 ש\"ח"),
            ("a word ending in a prefix letter", "עבודה", "5G", "עבודה5G"),
            ("a Hebrew value", "ל", "פרטנר", "לפרטנר"),
            ("after a geresh", "לק'", "5", "לק'5"),
        ];
        for (name, before, value, want) in cases {
            let mut out = before.to_string();
            let start = out.len();
            out.push_str(value);
            hyphenate(&mut out, start);
            assert_eq!(out, want, "{name}");
        }
    }

    #[test]
    fn tidy_removes_what_empty_alternatives_leave() {
        let cases = [
            ("double space", "a  b", "a b"),
            ("space before comma", "a , b", "a, b"),
            ("leading and trailing", " a b ", "a b"),
            ("double comma", "a,, b", "a, b"),
            ("space before newline", "a \nb", "a\nb"),
            ("clean", "שלום, עולם.", "שלום, עולם."),
        ];
        for (name, input, want) in cases {
            let mut out = format!("x{input}");
            tidy(&mut out, 1);
            assert_eq!(&out[1..], want, "{name}");
        }
    }

    #[test]
    fn identifiers_pass_their_checks() {
        let mut rng = Rng::new(1);
        for _ in 0..1000 {
            let id = israeli_id(&mut rng);
            assert_eq!(id.len(), 9);
            let sum: u32 = id
                .bytes()
                .enumerate()
                .map(|(i, b)| {
                    let x = u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 2 };
                    if x > 9 { x - 9 } else { x }
                })
                .sum();
            assert_eq!(sum % 10, 0, "{id}");
            let card: Vec<u32> = card_number(&mut rng)
                .bytes()
                .filter(u8::is_ascii_digit)
                .map(|b| u32::from(b - b'0'))
                .collect();
            assert_eq!(card.len(), 16);
            let luhn: u32 = card
                .iter()
                .rev()
                .enumerate()
                .map(|(i, &d)| {
                    if i % 2 == 1 {
                        if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
                    } else {
                        d
                    }
                })
                .sum();
            assert_eq!(luhn % 10, 0, "{card:?}");
        }
    }

    #[test]
    fn the_random_parts_are_fixed_functions_of_the_seed() {
        // xoshiro256** seeded through SplitMix64: pinned so that the corpus never silently
        // changes with a refactoring.
        // The reference outputs of xoshiro256** seeded with SplitMix64(0).
        let mut rng = Rng::new(0);
        let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        assert_eq!(
            first,
            [
                0x99ec_5f36_cb75_f2b4,
                0xbf6e_1f78_4956_452a,
                0x1a5f_849d_4933_e6e0
            ]
        );
        assert_eq!(mix64(0), 0);
        assert_eq!(mix64(1), 0x5692_161d_100b_05e5);
        let mut rng = Rng::new(3);
        for n in [1, 2, 7, 1000] {
            assert!((0..200).all(|_| rng.below(n) < n));
        }
        for n in [1, 2, 10, 97] {
            let perm = Permutation::new(&mut rng, n);
            let mut seen: Vec<u64> = (0..n).map(|i| perm.apply(i)).collect();
            seen.sort_unstable();
            assert_eq!(seen, (0..n).collect::<Vec<_>>(), "a bijection of 0..{n}");
            assert!((0..200).all(|_| skewed_rank(&mut rng, n) < n));
        }
    }

    #[test]
    fn a_generated_record_becomes_a_pipeline_record() {
        let g = generator(|b| {
            b.seed(3).count(10);
        });
        let generated = g.record(4);
        let record = generated.clone().into_record();
        assert_eq!(record.id, generated.id);
        assert_eq!(record.text, generated.text);
        assert_eq!(
            record.customer_id.as_deref(),
            Some(generated.customer_id.as_str())
        );
        assert_eq!(record.channel.as_deref(), Some(generated.channel.as_str()));
        assert_eq!(record.timestamp, Some(generated.timestamp));
        assert_eq!(record.lang, None);
        assert_eq!(record.meta["product"], generated.product.as_str());
        assert_eq!(record.meta["segment"], generated.segment.as_str());
    }
}
