#!/usr/bin/env python3
"""Latency of `kashev watch`: records appended to a file at a steady rate, alerts delivered to a
local webhook receiver; reports the time from a record's write to its alert's arrival.

    cargo build --release
    python3 benches/watch_latency.py [--rate 1000] [--seconds 60] [--kashev target/release/kashev]

Records come from `kashev generate` (seed 7); each carries `sent_at` (its write time) among its
fields, which the alert payload passes through. The subscription is a record rule on `churn.*`
(about a third of generated records), so the receiver sees a few hundred alerts a second. An alert
is timed by the newest record it carries.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

latencies = []
lock = threading.Lock()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        now = time.time()
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
        alert = json.loads(body)
        sent = max(r.get("meta", {}).get("sent_at", 0) for r in alert["records"])
        if sent:
            with lock:
                latencies.append(now - sent)

    def log_message(self, *args):
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=int, default=1000)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--kashev", default="target/release/kashev")
    args = ap.parse_args()
    total = args.rate * args.seconds
    records = subprocess.run(
        [args.kashev, "generate", "--count", str(total), "--seed", "7"],
        check=True, capture_output=True, text=True,
    ).stdout.splitlines()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    with tempfile.TemporaryDirectory() as d:
        subs = os.path.join(d, "subs.toml")
        with open(subs, "w") as f:
            f.write('[[subscription]]\nname = "churn"\n'
                    'rule = { kind = "record", label_prefix = "churn." }\n'
                    f'destination = {{ type = "webhook", url = "{url}" }}\ncooldown = "1s"\n')
        path = os.path.join(d, "in.jsonl")
        open(path, "w").close()
        watch = subprocess.Popen(
            [args.kashev, "watch", path, "--subscriptions", subs, "--state",
             os.path.join(d, "state.sqlite"), "--idle-exit", "3", "--quiet"],
        )
        time.sleep(1.0)
        start = time.time()
        with open(path, "a") as f:
            for i, line in enumerate(records):
                due = start + i / args.rate
                delay = due - time.time()
                if delay > 0:
                    time.sleep(delay)
                record = json.loads(line)
                record["sent_at"] = time.time()
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
                f.flush()
        written = time.time() - start
        watch.wait(timeout=120)
    server.shutdown()
    lat = sorted(latencies)
    if not lat:
        sys.exit("no alert arrived")
    pct = lambda p: lat[min(len(lat) - 1, int(p * (len(lat) - 1) + 0.5))] * 1e3
    print(f"{total} records in {written:.1f} s ({total / written:.0f}/s); {len(lat)} alerts delivered")
    print(f"write -> delivery: p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms, max {lat[-1] * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
