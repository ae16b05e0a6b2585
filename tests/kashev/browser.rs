//! The web workspace in a real browser: headless Chromium driven over WebDriver against the real
//! `kashev serve` on a real index. Needs Debian's `chromium` and `chromium-driver` (the tests fail,
//! saying so, when they are missing).
//!
//! The tests take one lock: two Chromium instances at once on a small CI machine make timing
//! flaky, and each test is a few seconds anyway.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use serde_json::{Value, json};

use crate::util::{Server, index, repo, tempdir, write};
use crate::webdriver::Browser;

static ONE_BROWSER_AT_A_TIME: Mutex<()> = Mutex::new(());

fn lock() -> MutexGuard<'static, ()> {
    ONE_BROWSER_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The page or API address `path` on `server`.
fn at(server: &Server, path: &str) -> String {
    format!("{}{path}", server.base)
}

/// GET an API path as JSON, from the test itself.
fn get_json(server: &Server, path: &str) -> Value {
    let answer = server.call("GET", path, None, None);
    assert_eq!(answer.status, 200, "GET {path}: {}", answer.body);
    answer.json()
}

/// `kashev serve` on `index` with `extra` flags and no API tokens.
fn serve(dir: &Path, index: &Path, extra: &[&str]) -> Server {
    Server::start(dir, index, extra, &[])
}

/// `dir/ix` holding `fixtures/sample.jsonl`.
fn sample_index(dir: &Path) -> PathBuf {
    let ix = dir.join("ix");
    index(
        dir,
        &repo("fixtures/sample.jsonl"),
        &ix,
        &["--quiet".as_ref()],
    );
    ix
}

/// Opens `path` with the interface in `lang` (the language lives in localStorage, so the page is
/// loaded once to set it).
fn open(browser: &Browser, server: &Server, path: &str, lang: &str) {
    browser.goto(&at(server, "/search"));
    browser.script(
        "localStorage.setItem('kashev.lang', arguments[0])",
        vec![json!(lang)],
    );
    browser.goto(&at(server, path));
}

/// Saves a screenshot beside the test's temporary files when `KASHEV_BROWSER_SHOTS` names a
/// directory (for looking at a page while working on it).
fn keep_shot(browser: &Browser, name: &str) {
    if let Some(dir) = std::env::var_os("KASHEV_BROWSER_SHOTS") {
        browser.save_screenshot(&Path::new(&dir).join(format!("{name}.png")));
    }
}

#[test]
fn search_facets_chips_highlights_paging_and_history() {
    let _one = lock();
    let dir = tempdir();
    let ix = sample_index(dir.path());
    let server = serve(dir.path(), &ix, &[]);
    let browser = Browser::start();
    open(
        &browser,
        &server,
        "/search?q=%D7%97%D7%99%D7%95%D7%91",
        "en",
    );

    // "חיוב" finds records, with the query word highlighted and facets beside them.
    browser.wait_for("article.hit");
    let total = get_json(&server, "/api/search?q=%D7%97%D7%99%D7%95%D7%91&limit=1")["total"]
        .as_u64()
        .unwrap();
    let heading = browser.text(&browser.wait_for("#results-heading"));
    assert!(heading.contains(&total.to_string()), "{heading}");
    assert!(!browser.find_all("article.hit mark.q").is_empty());

    // Click the complaint.billing facet: the URL holds the filter and every hit carries the label.
    let facet =
        browser.wait_for(r#".facet[data-facet="labels"] button[data-key="complaint.billing"]"#);
    browser.click(&facet);
    browser.wait_until(
        "the label filter in the URL",
        "return location.search.includes('label=complaint.billing') \
         && document.querySelector('.facet-value[data-key=\"complaint.billing\"][aria-pressed=\"true\"]')",
        vec![],
    );
    browser.wait_for("article.hit");
    let api = get_json(
        &server,
        "/api/search?q=%D7%97%D7%99%D7%95%D7%91&label=complaint.billing&limit=20",
    );
    let hits = api["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    let cards = browser.find_all("article.hit");
    assert_eq!(cards.len(), hits.len());
    for card in &cards {
        assert!(
            browser.text(card).contains("complaint.billing"),
            "a hit without the label: {}",
            browser.text(card)
        );
    }

    // The evidence of the first hit is highlighted: the marked text is the evidence text.
    let first = &hits[0];
    let evidence: Vec<String> = first["labels"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["label"] == "complaint.billing")
        .flat_map(|l| l["evidence"].as_array().unwrap().iter())
        .map(|e| e["text"].as_str().unwrap().to_owned())
        .collect();
    assert!(!evidence.is_empty());
    let marked: Vec<String> = browser
        .script(
            "return [...document.querySelectorAll(`article.hit[data-id='${arguments[0]}'] mark.ev`)] \
             .filter(m => m.dataset.labels.split(' ').includes('complaint.billing')) \
             .map(m => m.textContent)",
            vec![first["id"].clone()],
        )
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert!(
        marked.iter().any(|m| evidence.contains(m)),
        "marked {marked:?}, evidence {evidence:?}"
    );

    // A label chip adds its filter too.
    let chip = browser.wait_for(r#"article.hit .label-chip:not([data-label="complaint.billing"])"#);
    let chip_label = browser.attribute(&chip, "data-label").unwrap();
    browser.click(&chip);
    browser.wait_until(
        "the chip's label in the URL",
        "return new URLSearchParams(location.search).getAll('label').includes(arguments[0])",
        vec![json!(chip_label)],
    );

    // Back twice: the facet filter and then no filter; the page follows the URL.
    browser.back();
    browser.wait_until(
        "one label filter after Back",
        "return new URLSearchParams(location.search).getAll('label').length === 1 \
         && document.querySelectorAll('.active-filter').length === 1",
        vec![],
    );
    browser.back();
    browser.wait_until(
        "no filter after Back",
        "return !location.search.includes('label=') \
         && !document.querySelector('.facet-value[aria-pressed=\"true\"]') \
         && document.querySelector('#results-heading')",
        vec![],
    );

    // Keyboard: Enter on a facet filters and leaves the focus on that facet.
    browser.goto(&at(&server, "/search"));
    browser.wait_for("article.hit");
    browser.script(
        "document.querySelector('.facet[data-facet=\"sentiment\"] button[data-key=\"negative\"]').focus()",
        vec![],
    );
    browser.press("\u{E007}");
    browser.wait_until(
        "the sentiment filter, the focus kept on its facet",
        "return location.search.includes('sentiment=negative') \
         && document.activeElement?.dataset.key === 'negative' \
         && document.activeElement.getAttribute('aria-pressed') === 'true'",
        vec![],
    );

    // Paging: 20 a page.
    browser.click(&browser.wait_for("#next-page"));
    browser.wait_until(
        "page 2",
        "return location.search.includes('page=2') \
         && document.querySelector('ol.hits')?.getAttribute('start') === '21'",
        vec![],
    );

    // `/` focuses the query box; typing and Enter searches; a malformed query is reported next
    // to the box.
    browser.script("document.activeElement.blur()", vec![]);
    browser.press("/");
    browser.wait_until(
        "the query box focused",
        "return document.activeElement?.id === 'q'",
        vec![],
    );
    browser.press("(refund\u{E007}");
    browser.wait_until(
        "the query error next to the box",
        "return document.querySelector('#q-error')?.textContent \
         && document.querySelector('#q').getAttribute('aria-invalid') === 'true'",
        vec![],
    );
    assert!(browser.url().contains("q=%28refund"), "{}", browser.url());
    keep_shot(&browser, "search");
}

/// Records with a planted spike: complaint.billing two to four times a week for nine weeks from
/// Monday 2026-01-05, then forty times in the week of 2026-03-09, then a quiet week again.
fn spike_records() -> (String, usize) {
    let texts = [
        "I was charged twice this month",
        "חיוב כפול בחשבונית",
        "I was charged twice this month, please fix it",
    ];
    let start: jiff::Timestamp = "2026-01-05T09:00:00Z".parse().unwrap();
    let mut lines = Vec::new();
    let spike_week = 9;
    let planted = 40;
    for week in 0..11i64 {
        let n = if week == spike_week {
            planted as i64
        } else {
            2 + week % 3
        };
        for i in 0..n {
            let ts = start
                .checked_add(jiff::SignedDuration::from_hours(24 * 7 * week + 3 * i))
                .unwrap();
            lines.push(
                json!({
                    "id": format!("w{week}-{i}"),
                    "text": texts[(i as usize) % texts.len()],
                    "customer_id": format!("C{}", 100 + i),
                    "channel": "chat",
                    "timestamp": ts.to_string(),
                })
                .to_string(),
            );
        }
    }
    (lines.join("\n") + "\n", planted)
}

#[test]
fn trends_chart_marks_the_spike_and_a_click_opens_its_records() {
    let _one = lock();
    let dir = tempdir();
    let (records, planted) = spike_records();
    let input = write(dir.path(), "spike.jsonl", records);
    let ix = dir.path().join("ix");
    index(dir.path(), &input, &ix, &["--quiet".as_ref()]);
    let server = serve(dir.path(), &ix, &[]);
    let browser = Browser::start();
    open(&browser, &server, "/trends?interval=week", "en");

    // The complaint chart: an SVG with a line and a point per week for each label.
    browser.wait_for(r#"section[data-group="complaint"] svg.chart"#);
    let points = browser.script(
        "return document.querySelectorAll('section[data-group=\"complaint\"] svg.chart \
         circle[data-key=\"complaint.billing\"]').length",
        vec![],
    );
    assert_eq!(points, json!(11), "one point per week");
    assert!(!browser.find_all("svg.chart polyline").is_empty());

    // The spike is marked on the planted week, and listed.
    let spike = browser.wait_for(r#"svg.chart circle.spike[data-key="complaint.billing"]"#);
    assert_eq!(
        browser.attribute(&spike, "data-bucket").as_deref(),
        Some("2026-03-09")
    );
    assert_eq!(
        browser.attribute(&spike, "data-count").as_deref(),
        Some(planted.to_string().as_str())
    );
    assert!(
        browser
            .text(&browser.wait_for(".spikes"))
            .contains("2026-03-09")
    );
    keep_shot(&browser, "trends");

    // Clicking the spike opens the records of that label in that week.
    browser.click(&spike);
    browser.wait_until(
        "the search for the spike's records",
        "return location.pathname === '/search' && document.querySelector('#results-heading')",
        vec![],
    );
    let url = browser.url();
    for part in [
        "label=complaint.billing",
        "since=2026-03-09",
        "until=2026-03-16",
    ] {
        assert!(url.contains(part), "{url} lacks {part}");
    }
    let heading = browser.text(&browser.wait_for("#results-heading"));
    assert!(
        heading.contains(&format!("of {planted} records")),
        "{heading}"
    );

    // The table view holds the same counts, the spike cell marked; the CSV link asks the API.
    browser.goto(&at(&server, "/trends?interval=week&view=table"));
    let cell = browser.wait_for(r#"section[data-group="complaint"] table.counts td.spike"#);
    assert!(
        browser.text(&cell).contains(&planted.to_string()),
        "{}",
        browser.text(&cell)
    );
    let csv = browser.wait_for("#trends-csv");
    let href = browser.attribute(&csv, "href").unwrap();
    assert!(
        href.starts_with("/api/trends?") && href.contains("format=csv"),
        "{href}"
    );
}

#[test]
fn customer_timeline_with_repeats_risk_and_open_signals() {
    let _one = lock();
    let dir = tempdir();
    let ix = sample_index(dir.path());
    let server = serve(dir.path(), &ix, &[]);
    let api = get_json(&server, "/api/customers/C1000002");
    let browser = Browser::start();
    open(&browser, &server, "/customer/C1000002", "en");

    browser.wait_for("ol.timeline article.hit");
    let records = api["records"].as_array().unwrap();
    assert_eq!(browser.find_all("ol.timeline > li").len(), records.len());
    // Channels of every kind the customer used, and the records in time order.
    let times: Vec<String> = browser
        .script(
            "return [...document.querySelectorAll('ol.timeline time')].map(t => t.getAttribute('datetime'))",
            vec![],
        )
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted, "the timeline is in time order");

    // Repeat contacts are marked on the record that repeats.
    let repeats = api["repeats"].as_array().unwrap();
    assert!(!repeats.is_empty());
    let shown: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let repeated = repeats
        .iter()
        .map(|r| r["repeat"]["id"].as_str().unwrap())
        .find(|id| shown.contains(id))
        .expect("a repeat among the records shown");
    let card = browser.wait_for(&format!("article.hit[data-id='{repeated}']"));
    assert!(
        !browser
            .find_all(&format!("article.hit[data-id='{repeated}'] .badge.repeat"))
            .is_empty(),
        "{}",
        browser.text(&card)
    );
    assert_eq!(browser.find_all(".repeat-list > li").len(), repeats.len());

    // The risk trajectory: one dot per point.
    let points = api["trajectory"]["points"].as_array().unwrap();
    assert_eq!(
        browser.find_all("svg.risk-chart circle").len(),
        points.len()
    );
    assert!(!browser.find_all("svg.risk-chart polyline").is_empty());

    // Open signals, with a link to their last record.
    let signals = browser.text(&browser.wait_for(".signals"));
    for s in api["open_signals"].as_array().unwrap() {
        assert!(signals.contains(s["label"].as_str().unwrap()), "{signals}");
    }
    // Evidence is highlighted in the timeline.
    assert!(!browser.find_all("ol.timeline mark.ev").is_empty());
    keep_shot(&browser, "customer");
}

#[test]
fn explain_shows_tokens_prefix_readings_entries_and_scores() {
    let _one = lock();
    let dir = tempdir();
    let ix = sample_index(dir.path());
    let server = serve(dir.path(), &ix, &[]);
    let browser = Browser::start();
    open(&browser, &server, "/explain", "en");

    let text = browser.wait_for("#explain-text");
    browser.send_keys(
        &text,
        "לק' פנה בפעם השלישית על חיוב כפול, מאיים לעבור לפרטנר",
    );
    browser.click(&browser.wait_for("#explain-submit"));
    browser.wait_for("table.hits-table");

    // Tokens, with the prefix reading of לפרטנר (ל + פרטנר).
    let tokens = browser.text(&browser.wait_for("table.tokens"));
    assert!(tokens.contains("לפרטנר"), "{tokens}");
    let prefixes: Vec<String> = browser
        .script(
            "return [...document.querySelectorAll('table.tokens .prefix')].map(p => p.textContent)",
            vec![],
        )
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert!(prefixes.contains(&"ל + פרטנר".to_owned()), "{prefixes:?}");

    // Matched entries with their lexicon file:line, modifiers, and the label scores.
    let entries = browser.text(&browser.wait_for("table.hits-table"));
    assert!(entries.contains("he/complaint.txt:"), "{entries}");
    assert!(entries.contains("competitors.txt:"), "{entries}");
    assert!(entries.contains("near_switch_phrase"), "{entries}");
    let scores = browser.text(&browser.wait_for("table.label-scores"));
    for label in [
        "complaint.billing",
        "complaint.repeat_contact",
        "churn.switch_competitor",
    ] {
        assert!(scores.contains(label), "{scores}");
    }
    assert!(
        browser
            .text(&browser.wait_for(".explain-scores"))
            .contains("Risk 0.93")
    );
    keep_shot(&browser, "explain");
}

/// Picks `value` in the select `css` as a user would (click the option).
fn choose(browser: &Browser, css: &str, value: &str) {
    browser.click(&browser.wait_for(&format!("{css} option[value='{value}']")));
}

#[test]
fn subscriptions_are_created_through_the_form_with_errors_beside_their_fields() {
    let _one = lock();
    let dir = tempdir();
    let ix = sample_index(dir.path());
    let subs = write(
        dir.path(),
        "subs.toml",
        "[[subscription]]\nname = \"cancel-intent\"\n\
         rule = { kind = \"record\", label = \"churn.cancel_intent\" }\n\
         destination = { type = \"stdout\" }\n",
    );
    let state = dir.path().join("state.sqlite");
    let server = serve(
        dir.path(),
        &ix,
        &[
            "--subscriptions",
            subs.to_str().unwrap(),
            "--state",
            state.to_str().unwrap(),
        ],
    );
    let browser = Browser::start();
    open(&browser, &server, "/alerts", "en");
    browser.wait_for(r#"table.subs tr[data-name="cancel-intent"]"#);

    // A window rule with a bad duration: the server's problem shows beside "Within".
    browser.click(&browser.wait_for("#new-subscription"));
    browser.send_keys(&browser.wait_for("#sub-name"), "repeat-billing-web");
    choose(&browser, "#sub-rule-kind", "window");
    browser.send_keys(
        &browser.wait_for("#sub-rule-label_prefix"),
        "complaint.billing",
    );
    browser.send_keys(&browser.wait_for("#sub-rule-count"), "3");
    let within = browser.wait_for("#sub-rule-within");
    browser.send_keys(&within, "soon");
    choose(&browser, "#sub-destination-type", "stdout");
    browser.click(&browser.wait_for("#save-subscription"));
    let message = browser.wait_until(
        "the problem beside the within field",
        "return document.querySelector('[data-error-for=\"rule.within\"]')?.textContent",
        vec![],
    );
    assert!(
        message.as_str().unwrap().contains("soon"),
        "the message names the bad value: {message}"
    );
    assert_eq!(
        browser.attribute(&within, "aria-invalid").as_deref(),
        Some("true")
    );
    // Nothing was created.
    let listed = get_json(&server, "/api/subscriptions");
    assert_eq!(listed["subscriptions"].as_array().unwrap().len(), 1);

    // Fixed, it is created and listed.
    browser.clear(&within);
    browser.send_keys(&within, "14d");
    browser.click(&browser.wait_for("#save-subscription"));
    browser.wait_for(r#"table.subs tr[data-name="repeat-billing-web"]"#);
    let listed = get_json(&server, "/api/subscriptions");
    let created = listed["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "repeat-billing-web")
        .expect("the new subscription is listed by the API");
    assert_eq!(created["rule"]["kind"], "window");
    assert_eq!(created["rule"]["count"], 3);
    assert_eq!(created["rule"]["within"], "14d");
    keep_shot(&browser, "alerts");

    // Edit: the form comes filled in; the change is saved.
    browser.click(&browser.wait_for(r#"tr[data-name="repeat-billing-web"] button.edit"#));
    let count = browser.wait_for("#sub-rule-count");
    assert_eq!(
        browser.script("return arguments[0].value", vec![count.arg()]),
        json!("3")
    );
    browser.clear(&count);
    browser.send_keys(&count, "5");
    browser.click(&browser.wait_for("#save-subscription"));
    browser.wait_until(
        "the form closed after saving",
        "return document.querySelector('.sub-form-box').hidden",
        vec![],
    );
    let listed = get_json(&server, "/api/subscriptions");
    let edited = listed["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "repeat-billing-web")
        .unwrap();
    assert_eq!(edited["rule"]["count"], 5);
    assert_eq!(edited["rule"]["within"], "14d");

    // Delete asks once more on the button, then deletes.
    let delete = browser.wait_for(r#"tr[data-name="repeat-billing-web"] button.danger"#);
    browser.click(&delete);
    browser.click(&delete);
    browser.wait_until(
        "the row gone",
        "return !document.querySelector('tr[data-name=\"repeat-billing-web\"]') \
         && document.querySelector('tr[data-name=\"cancel-intent\"]')",
        vec![],
    );
    assert_eq!(
        get_json(&server, "/api/subscriptions")["subscriptions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// The committed reference screenshot of the Hebrew search page.
const REFERENCE: &str = "fixtures/web-he-rtl.png";

#[test]
fn hebrew_switch_gives_an_rtl_layout_like_the_reference_screenshot() {
    let _one = lock();
    let dir = tempdir();
    let ix = sample_index(dir.path());
    let server = serve(dir.path(), &ix, &[]);
    let browser = Browser::start();
    open(
        &browser,
        &server,
        "/search?q=%D7%97%D7%99%D7%95%D7%91",
        "en",
    );
    browser.wait_for("article.hit");
    assert_eq!(browser.script("return document.dir", vec![]), json!("ltr"));

    // The switch: <html lang="he" dir="rtl">, Hebrew interface strings, remembered.
    browser.click(&browser.wait_for("#lang-switch"));
    browser.wait_until(
        "the RTL layout",
        "return document.dir === 'rtl' && document.documentElement.lang === 'he' \
         && document.querySelector('#results-heading')?.textContent.includes('מתוך')",
        vec![],
    );
    assert_eq!(
        browser.text(&browser.wait_for(r#"nav a[data-nav="search"]"#)),
        "חיפוש"
    );
    browser.goto(&at(&server, "/search?q=%D7%97%D7%99%D7%95%D7%91"));
    browser.wait_for("article.hit");
    assert_eq!(browser.script("return document.dir", vec![]), json!("rtl"));

    // A Hebrew record (its first strong letter Hebrew) reads right to left; every text block
    // decides its own direction (dir="auto").
    let direction = browser.script(
        "const p = [...document.querySelectorAll('article.hit p.text')] \
           .find(p => /^[^A-Za-z\\u05d0-\\u05ea]*[\\u05d0-\\u05ea]/.test(p.textContent)); \
         return p && getComputedStyle(p).direction",
        vec![],
    );
    assert_eq!(direction, json!("rtl"));
    let without_auto = browser.script(
        "return [...document.querySelectorAll('p.text')].filter(p => p.getAttribute('dir') !== 'auto').length",
        vec![],
    );
    assert_eq!(without_auto, json!(0));
    // The facets sit on the right in RTL, the results on the left.
    let sides = browser.script(
        "const f = document.querySelector('.facets').getBoundingClientRect(); \
         const r = document.querySelector('.results').getBoundingClientRect(); \
         return f.left > r.left",
        vec![],
    );
    assert_eq!(sides, json!(true));

    // The screenshot: not blank, and close to the committed reference.
    browser.script(
        "document.activeElement.blur(); window.scrollTo(0, 0)",
        vec![],
    );
    browser.wait_until(
        "fonts loaded",
        "return document.fonts.status === 'loaded'",
        vec![],
    );
    let shot = browser.screenshot();
    let reference = repo(REFERENCE);
    if std::env::var_os("KASHEV_UPDATE_REFERENCE").is_some() {
        std::fs::write(&reference, &shot).unwrap();
    }
    let now = png::decode(&shot);
    let saved = std::fs::read(&reference).unwrap_or_else(|e| {
        panic!(
            "{REFERENCE}: {e}; run this test with KASHEV_UPDATE_REFERENCE=1 to write it, then \
             look at it"
        )
    });
    let expected = png::decode(&saved);
    // Chromium versions draw a few pixels more or less of window around the page: the widths
    // must agree, the heights nearly, and the comparison covers the part both show.
    assert!(
        now.width == expected.width && now.height.abs_diff(expected.height) <= 24,
        "the screenshot's size {}x{} differs from {REFERENCE}'s {}x{}",
        now.width,
        now.height,
        expected.width,
        expected.height
    );
    let busy = now.busy_share();
    assert!(
        busy > 0.05,
        "the screenshot is blank ({busy:.3} non-background)"
    );
    let distance = now.distance(&expected);
    if distance >= 6.0 {
        let out = dir.path().join("web-he-rtl.actual.png");
        std::fs::write(&out, &shot).unwrap();
        let kept = std::env::temp_dir().join("kashev-web-he-rtl.actual.png");
        let _ = std::fs::copy(&out, &kept);
        panic!(
            "the Hebrew page looks different from {REFERENCE} (mean block difference {distance:.1} \
             of 255); this run's screenshot is {}",
            kept.display()
        );
    }
}

/// Just enough PNG decoding to compare screenshots: 8-bit RGB or RGBA, not interlaced.
mod png {
    use std::io::Read as _;

    pub struct Image {
        pub width: usize,
        pub height: usize,
        /// Grey levels, one byte a pixel.
        grey: Vec<u8>,
    }

    pub fn decode(bytes: &[u8]) -> Image {
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
        let mut at = 8;
        let (mut width, mut height, mut channels) = (0, 0, 0);
        let mut data = Vec::new();
        while at + 8 <= bytes.len() {
            let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
            let kind = &bytes[at + 4..at + 8];
            let body = &bytes[at + 8..at + 8 + len];
            match kind {
                b"IHDR" => {
                    width = u32::from_be_bytes(body[0..4].try_into().unwrap()) as usize;
                    height = u32::from_be_bytes(body[4..8].try_into().unwrap()) as usize;
                    assert_eq!(body[8], 8, "8-bit PNG");
                    channels = match body[9] {
                        2 => 3,
                        6 => 4,
                        other => panic!("PNG colour type {other}"),
                    };
                    assert_eq!(body[12], 0, "not interlaced");
                }
                b"IDAT" => data.extend_from_slice(body),
                b"IEND" => break,
                _ => {}
            }
            at += 12 + len;
        }
        let mut raw = Vec::new();
        flate2::read::ZlibDecoder::new(&data[..])
            .read_to_end(&mut raw)
            .expect("PNG data inflates");
        let stride = width * channels;
        assert_eq!(raw.len(), height * (stride + 1), "PNG data size");
        let mut pixels = vec![0u8; height * stride];
        for y in 0..height {
            let filter = raw[y * (stride + 1)];
            let line = &raw[y * (stride + 1) + 1..(y + 1) * (stride + 1)];
            for x in 0..stride {
                let a = if x >= channels {
                    pixels[y * stride + x - channels]
                } else {
                    0
                };
                let b = if y > 0 {
                    pixels[(y - 1) * stride + x]
                } else {
                    0
                };
                let c = if x >= channels && y > 0 {
                    pixels[(y - 1) * stride + x - channels]
                } else {
                    0
                };
                let v = line[x];
                pixels[y * stride + x] = match filter {
                    0 => v,
                    1 => v.wrapping_add(a),
                    2 => v.wrapping_add(b),
                    3 => v.wrapping_add(((u16::from(a) + u16::from(b)) / 2) as u8),
                    4 => v.wrapping_add(paeth(a, b, c)),
                    other => panic!("PNG filter {other}"),
                };
            }
        }
        let grey = pixels
            .chunks(channels)
            .map(|p| {
                ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000)
                    as u8
            })
            .collect();
        Image {
            width,
            height,
            grey,
        }
    }

    fn paeth(a: u8, b: u8, c: u8) -> u8 {
        let p = i16::from(a) + i16::from(b) - i16::from(c);
        let (pa, pb, pc) = (
            (p - i16::from(a)).abs(),
            (p - i16::from(b)).abs(),
            (p - i16::from(c)).abs(),
        );
        if pa <= pb && pa <= pc {
            a
        } else if pb <= pc {
            b
        } else {
            c
        }
    }

    impl Image {
        /// The share of pixels that differ from the most common grey level (the background).
        pub fn busy_share(&self) -> f64 {
            let mut counts = [0usize; 256];
            for &g in &self.grey {
                counts[usize::from(g)] += 1;
            }
            let background = counts.iter().copied().max().unwrap_or(0);
            1.0 - background as f64 / self.grey.len().max(1) as f64
        }

        /// The mean absolute difference of the average grey of 16×16-pixel blocks: small for the
        /// same layout with slightly different glyphs (about 3), large for another page or the
        /// same page mirrored in English (12 to 15).
        /// Only the top-left part both images cover is compared.
        pub fn distance(&self, other: &Image) -> f64 {
            let (width, height) = (self.width.min(other.width), self.height.min(other.height));
            let blocks = |img: &Image| -> Vec<f64> {
                let (bw, bh) = (width.div_ceil(16), height.div_ceil(16));
                let mut sums = vec![(0u64, 0u64); bw * bh];
                for y in 0..height {
                    for x in 0..width {
                        let cell = &mut sums[(y / 16) * bw + x / 16];
                        cell.0 += u64::from(img.grey[y * img.width + x]);
                        cell.1 += 1;
                    }
                }
                sums.iter()
                    .map(|(s, n)| *s as f64 / (*n).max(1) as f64)
                    .collect()
            };
            let (a, b) = (blocks(self), blocks(other));
            a.iter().zip(&b).map(|(x, y)| (x - y).abs()).sum::<f64>() / a.len().max(1) as f64
        }
    }
}

#[test]
fn a_server_with_tokens_asks_for_one_and_asks_again_after_a_401() {
    let _one = lock();
    let dir = tempdir();
    let ix = sample_index(dir.path());
    let reader = "reader-token-0123456789";
    let subs = write(
        dir.path(),
        "subs.toml",
        "[[subscription]]\nname = \"cancel-intent\"\n\
         rule = { kind = \"record\", label = \"churn.cancel_intent\" }\n\
         destination = { type = \"stdout\" }\n",
    );
    let server = Server::start(
        dir.path(),
        &ix,
        &["--subscriptions", subs.to_str().unwrap()],
        &[(
            "KASHEV_API_TOKENS",
            "analyst read reader-token-0123456789; lead read,admin,pii lead-token-0123456789ab",
        )],
    );
    let browser = Browser::start();
    open(&browser, &server, "/search", "en");

    // No token yet: the form, and no data.
    let input = browser.wait_for("#token-panel:not([hidden]) #token-input");
    assert!(browser.find_all("article.hit").is_empty());

    // A wrong token is refused on the form.
    browser.send_keys(&input, "not-a-token-at-all-0000");
    browser.press("\u{E007}");
    browser.wait_until(
        "the refusal",
        "return document.querySelector('#token-error')?.textContent.includes('did not accept')",
        vec![],
    );

    // A reader's token: the page loads, the token is kept for the tab only.
    browser.clear(&input);
    browser.send_keys(&input, reader);
    browser.press("\u{E007}");
    browser.wait_for("article.hit");
    assert_eq!(
        browser.script("return sessionStorage.getItem('kashev.token')", vec![]),
        json!(reader)
    );
    assert_eq!(
        browser.script("return localStorage.getItem('kashev.token')", vec![]),
        Value::Null
    );
    // Personal data stays masked for a token without the pii scope.
    assert!(!browser.find_all(".session .badge").is_empty());

    // Without the admin scope the alerts page offers no editing.
    browser.goto(&at(&server, "/alerts"));
    browser.wait_until(
        "the subscriptions listed without a New button",
        "return document.querySelector('tr[data-name=\"cancel-intent\"]') \
         && !document.querySelector('tr[data-name=\"cancel-intent\"] button') \
         && document.querySelector('.card')?.textContent.includes('admin scope') \
         && !document.querySelector('#new-subscription')",
        vec![],
    );

    // A token the server no longer accepts: the next request's 401 brings the form back.
    browser.script(
        "sessionStorage.setItem('kashev.token', 'revoked-token-0123456789')",
        vec![],
    );
    browser.click(&browser.wait_for(r#"nav a[data-nav="trends"]"#));
    browser.wait_until(
        "the token form again",
        "return !document.querySelector('#token-panel').hidden \
         && document.querySelector('#main').hidden \
         && document.querySelector('#token-error').textContent",
        vec![],
    );
    assert_eq!(
        browser.script("return sessionStorage.getItem('kashev.token')", vec![]),
        Value::Null
    );
}
