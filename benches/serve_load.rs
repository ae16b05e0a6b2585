//! Load on `kashev serve`: search requests at a fixed rate against a real server over loopback,
//! with latency percentiles, errors and the server's memory over the run.
//!
//! ```sh
//! cargo build --release
//! kashev generate --count 1000000 --seed 7 | kashev index - --index /tmp/kashev-1m
//! KASHEV_BENCH_INDEX=/tmp/kashev-1m cargo bench --bench serve_load
//! ```
//!
//! `KASHEV_BENCH_RATE` (requests/s, 200 by default) and `KASHEV_BENCH_SECONDS` (60) set the load;
//! without `KASHEV_BENCH_INDEX` a 20,000-record index is generated in a temporary directory.
//! The load is open-loop: request *i* is due at `start + i / rate` whatever happened before, and
//! its latency counts from that moment, so a server that falls behind shows it in the
//! percentiles (no coordinated omission). Requests are what the search page sends: a query or
//! filters, 20 results, facets; words and dates vary from request to request. The server's resident memory is sampled every second from
//! `/proc/PID/status`.

use std::io::BufRead as _;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the search page asks, by kind: (kind, query string). `{w}` is a word drawn from
/// [`WORDS`], `{d}` a day of the year: most requests differ, as analysts' do.
const REQUESTS: &[(&str, &str)] = &[
    ("term", "q={w}"),
    ("term", "q={w}"),
    ("term", "q={w}"),
    ("term", "q={w}"),
    ("term", "q={w}"),
    ("term", "q={w}"),
    ("term", "q={w}&since=2026-{d}"),
    ("term", "q={w}&sort=time"),
    ("phrase", "q=%22cancel+my+account%22&since=2026-{d}"),
    (
        "phrase",
        "q=%22%D7%A9%D7%99%D7%A8%D7%95%D7%AA+%D7%9C%D7%A7%D7%95%D7%97%D7%95%D7%AA%22",
    ),
    ("phrase", "q=%22no+internet%22"),
    ("boolean", "q={w}+OR+{w}"),
    ("boolean", "q={w}+-%D7%94%D7%97%D7%96%D7%A8"),
    ("filtered", "q={w}&label=complaint.billing"),
    ("filtered", "label_prefix=churn.&since=2026-{d}"),
    (
        "filtered",
        "label=complaint.wait_time&channel=chat&since=2026-{d}",
    ),
    ("filtered", "q={w}&sentiment=negative&min_churn_risk=0.3"),
    ("filtered", "customer=C10{c}"),
    (
        "filtered",
        "q=label:churn.cancel_intent&channel=agent_note&sort=time",
    ),
    (
        "listing",
        "label_prefix=complaint.&sort=time&since=2026-{d}",
    ),
    ("listing", ""),
    ("paging", "q={w}&offset=20"),
    ("paging", "q={w}&offset=100"),
    ("paging", "label_prefix=churn.&offset=40"),
];

/// Words analysts search for, as typed.
const WORDS: &[&str] = &[
    "ביטול",
    "חיוב",
    "תקלה",
    "נציג",
    "מחיר",
    "החזר",
    "טכנאי",
    "אינטרנט",
    "חשבונית",
    "המתנה",
    "מנוי",
    "ניתוק",
    "עזיבה",
    "מעבר",
    "הוט",
    "פרטנר",
    "תלונה",
    "שירות",
    "ראוטר",
    "אפליקציה",
    "cancel",
    "refund",
    "technician",
    "internet",
    "bill",
    "charge",
    "router",
    "outage",
    "agent",
    "waiting",
    "price",
    "contract",
    "switch",
    "complaint",
    "app",
    "escalate",
    "manager",
    "slow",
    "disconnect",
    "fee",
];

fn request(i: usize) -> (&'static str, String) {
    let (kind, template) = REQUESTS[i % REQUESTS.len()];
    // A cheap deterministic mix of i.
    let h = (i as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .rotate_left(17);
    let word = |k: u64| {
        let w = WORDS[((h >> (k * 8)) % WORDS.len() as u64) as usize];
        form_urlencoded::byte_serialize(w.as_bytes()).collect::<String>()
    };
    let mut q = template.to_string();
    let mut k = 0;
    while let Some(at) = q.find("{w}") {
        q.replace_range(at..at + 3, &word(k));
        k += 1;
    }
    let day = (h % 300) as u32;
    let date = jiff::civil::date(2026, 1, 1)
        .checked_add(jiff::Span::new().days(i64::from(day)))
        .expect("a day of 2026");
    let q = q
        .replace("{d}", &date.strftime("%m-%d").to_string())
        .replace("{c}", &format!("{:05}", h % 20_000));
    (kind, q)
}

/// One request: its number, latency from when it was due, service time, whether it succeeded.
type Sample = (usize, Duration, Duration, bool);

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Resident memory of a process, in KiB: anonymous (the heap: what would grow with a leak) and
/// file-backed (the memory-mapped index pages it has touched, which the kernel may drop).
fn rss_kib(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        status
            .lines()
            .find(|l| l.starts_with(name))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    Some((field("RssAnon:")?, field("RssFile:")?))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let bin = env!("CARGO_BIN_EXE_kashev");
    let quick = std::env::args().all(|a| a != "--bench");
    let rate: f64 = env("KASHEV_BENCH_RATE", 200.0);
    let seconds: f64 = env("KASHEV_BENCH_SECONDS", if quick { 2.0 } else { 60.0 });
    let temp = tempfile::tempdir().expect("a temporary directory");
    let index = match std::env::var_os("KASHEV_BENCH_INDEX") {
        Some(dir) => std::path::PathBuf::from(dir),
        None => {
            let index = temp.path().join("idx");
            let corpus = temp.path().join("corpus.jsonl");
            let count = if quick { "2000" } else { "20000" };
            let ok = Command::new(bin)
                .args(["generate", "--count", count, "--seed", "7", "-o"])
                .arg(&corpus)
                .status()
                .expect("kashev generate runs")
                .success()
                && Command::new(bin)
                    .arg("index")
                    .arg(&corpus)
                    .arg("--index")
                    .arg(&index)
                    .stderr(Stdio::null())
                    .status()
                    .expect("kashev index runs")
                    .success();
            assert!(ok, "building the index failed");
            index
        }
    };
    let mut server = Command::new(bin)
        .args(["serve", "--quiet", "--addr", "127.0.0.1:0", "--index"])
        .arg(&index)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("kashev serve starts");
    let pid = server.id();
    let first = std::io::BufReader::new(server.stderr.take().expect("stderr"))
        .lines()
        .next()
        .and_then(Result::ok)
        .expect("the server says where it listens");
    let base = first
        .strip_prefix("kashev serve: listening on ")
        .expect("the listening line")
        .to_string();

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let url = |i: usize| format!("{base}/api/search?{}", request(i).1);
    // Warm up: every request a few times, so the figures are of a running server.
    for i in usize::MAX - REQUESTS.len() * 3..usize::MAX {
        let _ = agent.get(&url(i)).call();
    }
    let rss_start = rss_kib(pid).unwrap_or_default();

    let total = (rate * seconds).round() as usize;
    let next = Arc::new(AtomicUsize::new(0));
    let results: Arc<Mutex<Vec<Sample>>> = Arc::new(Mutex::new(Vec::with_capacity(total)));
    let rss: Arc<Mutex<Vec<(u64, u64)>>> = Arc::new(Mutex::new(Vec::new()));
    let start = Instant::now() + Duration::from_millis(100);
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let rss = rss.clone();
        let done = done.clone();
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if let Some(kib) = rss_kib(pid) {
                    rss.lock().unwrap().push(kib);
                }
                std::thread::sleep(Duration::from_secs(1));
            }
        })
    };
    let workers: Vec<_> = (0..32)
        .map(|_| {
            let next = next.clone();
            let results = results.clone();
            let agent = agent.clone();
            let base = base.clone();
            std::thread::spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    let due = start + Duration::from_secs_f64(i as f64 / rate);
                    let now = Instant::now();
                    if due > now {
                        std::thread::sleep(due - now);
                    }
                    let sent = Instant::now();
                    let (_, q) = request(i);
                    let ok = match agent.get(format!("{base}/api/search?{q}")).call() {
                        Ok(mut r) => r.status() == 200 && r.body_mut().read_to_string().is_ok(),
                        Err(_) => false,
                    };
                    let end = Instant::now();
                    results.lock().unwrap().push((i, end - due, end - sent, ok));
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("a worker");
    }
    let elapsed = start.elapsed();
    done.store(true, Ordering::Relaxed);
    sampler.join().expect("the sampler");
    let _ = server.kill();
    let _ = server.wait();

    let results = results.lock().unwrap();
    let errors = results.iter().filter(|r| !r.3).count();
    println!(
        "kashev serve: {} search requests at {rate:.0}/s for {seconds:.0} s ({:.1} s, {:.0}/s achieved), {errors} errors",
        results.len(),
        elapsed.as_secs_f64(),
        results.len() as f64 / elapsed.as_secs_f64()
    );
    println!(
        "{:<10} {:>7} {:>8} {:>8} {:>8} {:>8}",
        "kind", "n", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    let mut kinds: Vec<&str> = REQUESTS.iter().map(|(k, _)| *k).collect();
    kinds.dedup();
    kinds.push("all");
    for kind in kinds {
        let mut lat: Vec<Duration> = results
            .iter()
            .filter(|r| kind == "all" || request(r.0).0 == kind)
            .map(|r| r.1)
            .collect();
        lat.sort();
        println!(
            "{kind:<10} {:>7} {:>8.1} {:>8.1} {:>8.1} {:>8.1}",
            lat.len(),
            ms(percentile(&lat, 0.5)),
            ms(percentile(&lat, 0.9)),
            ms(percentile(&lat, 0.99)),
            ms(lat.last().copied().unwrap_or_default()),
        );
    }
    let mut service: Vec<Duration> = results.iter().map(|r| r.2).collect();
    service.sort();
    println!(
        "service time (sent to answered): p50 {:.1} ms, p99 {:.1} ms",
        ms(percentile(&service, 0.5)),
        ms(percentile(&service, 0.99))
    );
    let rss = rss.lock().unwrap();
    let tenth = (rss.len() / 10).max(1);
    let mib = |kib: u64| kib as f64 / 1024.0;
    let early = rss.iter().take(tenth).map(|r| r.0).max().unwrap_or(0);
    let late = rss.iter().rev().take(tenth).map(|r| r.0).max().unwrap_or(0);
    println!(
        "server heap (RssAnon): {:.0} MiB after warm-up, {:.0} MiB in the first tenth of the run, {:.0} MiB in the last, {:.0} MiB at most",
        mib(rss_start.0),
        mib(early),
        mib(late),
        mib(rss.iter().map(|r| r.0).max().unwrap_or(0))
    );
    println!(
        "mapped index pages (RssFile): {:.0} MiB after warm-up, {:.0} MiB at the end",
        mib(rss_start.1),
        mib(rss.last().map_or(0, |r| r.1))
    );
    assert_eq!(errors, 0, "requests failed");
}
