"""What the comparison measures: metrics, goals and the ws-load runs that produce them."""

from collections import namedtuple

# goals: {peer: ours/peer ratio goal}; absolute: a goal for ours' own figure; sides: who runs it.
Metric = namedtuple("Metric", "scenario what unit better goals absolute sides")
# dioxus-liveview cannot run: GETs (it renders no page on the server: an empty `#main` and a
# script), the in-process diff of our HTML (S5).
WITH_FLOOR = ("ours", "djust", "floor", "dioxus")
PEERS = ("ours", "djust", "dioxus")
NO_DIOXUS = ("ours", "djust")


def _m(scenario, what, unit, better, goals=None, absolute=None, sides=PEERS):
    return Metric(scenario, what, unit, better, goals or {}, absolute, sides)


METRICS = {
    "mount_p50": _m("S1", "warm mount (connect + hello + mount) p50", "µs", "lower",
                    {"djust": 0.15, "dioxus": 1}, sides=WITH_FLOOR),
    "counter_rtt_p50": _m("S2", "counter event round trip p50, 1 conn", "µs", "lower",
                          {"djust": 0.2, "floor": 1.3, "dioxus": 1}, sides=WITH_FLOOR),
    "counter_rtt_p99": _m("S2", "counter event round trip p99, 1 conn", "µs", "lower",
                          sides=WITH_FLOOR),
    "counter_events_per_s": _m("S3", "counter events/s, 20 conns", "/s", "higher",
                               {"djust": 25, "floor": 0.5, "dioxus": 1}, sides=WITH_FLOOR),
    "rows_update10_p50": _m("S4", "1k rows update every 10th, round trip p50", "µs", "lower",
                            {"djust": 0.1, "dioxus": 1}),
    "rows_swap_p50": _m("S4", "1k rows swap rows, round trip p50", "µs", "lower",
                        {"dioxus": 1}),
    "rows_select_p50": _m("S4", "1k rows select (same row: noop), round trip p50", "µs", "lower",
                          {"dioxus": 1}),
    "inproc_update10_us": _m("S5", "in process, 1k rows update every 10th (ours: handler + render + diff + encode; djust: `diff_html`)", "µs", "lower", absolute=500, sides=NO_DIOXUS),
    "get_counter_rps": _m("S6", "full-page GET /counter/, 50 conns", "req/s", "higher",
                          {"djust": 50, "floor": 0.5}, sides=("ours", "djust", "floor")),
    "get_main_only_rps": _m("S7", "GET / with `X-Djust-Main-Only: 1`, 50 conns", "req/s", "higher",
                            sides=NO_DIOXUS),
    "mem_counter_kib": _m("S8", "memory per mounted counter connection", "KiB", "lower",
                          {"djust": 0.45, "dioxus": 1}, 24),
    "mem_rows_kib": _m("S8", "memory per mounted 1k-row connection", "KiB", "lower",
                       {"djust": 0.25, "dioxus": 1}),
    "browser_counter_p50": _m("S10", "Chromium: click on + → count updated, p50", "µs", "lower",
                              {"djust": 1}, sides=NO_DIOXUS),
    "browser_counter_p99": _m("S10", "Chromium: click on + → count updated, p99", "µs", "lower",
                              sides=NO_DIOXUS),
    "browser_rows_update10_p50": _m("S10", "Chromium: click → 1k rows updated (every 10th), p50",
                                    "µs", "lower", {"djust": 1}, sides=NO_DIOXUS),
    "bytes_counter_mount": _m("S11", "bytes of the counter's `mount` frame", "B", "lower"),
    "bytes_counter_event": _m("S11", "bytes of a counter `increment` event frame", "B", "lower"),
    "bytes_counter_answer": _m("S11", "bytes received per counter event", "B", "lower"),
    "bytes_rows_update10": _m("S11", "bytes received per 1k-row update every 10th", "B", "lower"),
    "bytes_rows_swap": _m("S11", "bytes received per 1k-row swap", "B", "lower"),
    "bytes_rows_select": _m("S11", "bytes received per 1k-row select (noop)", "B", "lower"),
    "bytes_get_counter": _m("S11", "bytes of the full-page GET /counter/ body", "B", "lower",
                            sides=NO_DIOXUS),
}

SIZES = {
    #  rounds, window s, mount conns, mem rounds, counter conns, rows conns, rows hold s, clicks
    "full": dict(rounds=5, secs=3, mounts=200, mem_rounds=3, mem_counter=5000, mem_rows=100,
                 mem_rows_secs="12", clicks=200),
    "quick": dict(rounds=3, secs=2, mounts=100, mem_rounds=2, mem_counter=1000, mem_rows=20,
                  mem_rows_secs="12", clicks=100),
    "smoke": dict(rounds=1, secs=1, mounts=10, mem_rounds=1, mem_counter=50, mem_rows=3,
                  mem_rows_secs="1", clicks=8),
}


def browser_runs(size):
    """S10 in Chromium: (path, bench/browser/click_to_dom.mjs args, {metric: key})."""
    clicks = str(size["clicks"])
    return [
        ("/counter/", ["--click", "#increment", "--target", "#count", "--clicks", clicks],
         {"browser_counter_p50": "p50", "browser_counter_p99": "p99"}),
        ("/rows/", ["--setup", "#run", "--ready-when", "tbody tr:nth-child(1000)",
                    "--click", "#update", "--target", "tbody", "--clicks", str(size["clicks"] // 4),
                    "--warm", "5"],
         {"browser_rows_update10_p50": "p50"}),
    ]


def groups(size):
    """Server sessions: (name, warm-up ws-load args, [(path, ws-load args, {metric: key})])."""
    s = str(size["secs"])
    rows = ["--setup", "create", "--warm", "3", "--secs", s]
    return [
        ("counter", ("/counter/", ["--secs", "1"]), [
            ("/counter/", ["--secs", s], {
                "counter_rtt_p50": "p50", "counter_rtt_p99": "p99",
                "bytes_counter_mount": "mount_bytes", "bytes_counter_event": "event_bytes",
                "bytes_counter_answer": "answer_bytes"}),
            ("/counter/", ["--secs", s, "--conns", "20"], {"counter_events_per_s": "rate"}),
            ("/counter/", ["--mode", "mount", "--conns", str(size["mounts"]), "--warm", "5"],
             {"mount_p50": "p50"}),
        ]),
        ("rows", ("/rows/", ["--secs", "1", "--setup", "create", "--event", "swap_rows"]), [
            ("/rows/", rows + ["--event", "update_every_10th"],
             {"rows_update10_p50": "p50", "bytes_rows_update10": "answer_bytes"}),
            ("/rows/", rows + ["--event", "swap_rows"],
             {"rows_swap_p50": "p50", "bytes_rows_swap": "answer_bytes"}),
            ("/rows/", rows + ["--event", "select", "--params", '{"id":"7"}'],
             {"rows_select_p50": "p50", "bytes_rows_select": "answer_bytes"}),
        ]),
        ("http", None, [
            ("/counter/", ["--mode", "http", "--conns", "50", "--secs", s],
             {"get_counter_rps": "rate", "bytes_get_counter": "body_bytes"}),
            ("/", ["--mode", "http", "--conns", "50", "--secs", s,
                   "--header", "X-Djust-Main-Only: 1"], {"get_main_only_rps": "rate"}),
        ]),
        ("mem_counter", None, [
            ("/counter/", ["--mode", "hold", "--conns", str(size["mem_counter"]), "--secs", "1"],
             {"mem_counter_kib": "per_conn_kib"}),
        ]),
        ("mem_rows", None, [
            # Held past the first heartbeat (10 s), when idle views compact their kept trees:
            # the steady state of a mounted, idle view (right after its update it holds more).
            ("/rows/", ["--mode", "hold", "--setup", "create", "--conns", str(size["mem_rows"]),
                        "--secs", size["mem_rows_secs"]], {"mem_rows_kib": "per_conn_kib"}),
        ]),
    ]


def reliability(mode):
    """(id, what, page, ws-load args, pass check on the parsed line, criterion text)."""
    quick = mode != "full"
    smoke = mode == "smoke"
    churn = ["--cycles", "2" if smoke else ("6" if quick else "8"),
             "--conns", "50" if smoke else ("500" if quick else "2000"), "--events", "10"]
    soak_secs = "2" if smoke else ("60" if quick else "180")
    soak_conns = "20" if smoke else "1000"
    runs = [
        ("R1", "connection churn: open, mount, 10 events, close; repeated", "/counter/",
         ["--mode", "churn"] + churn,
         lambda r: r["growth_kib_per_cycle"] <= 1024 and r["fds_after"] <= r["fds_before"] + 2,
         "after 3 warm-up cycles RSS grows ≤ 1 MiB per cycle; open files return to the start"),
        ("R2", f"soak: {soak_conns} conns × 2 events/s for {soak_secs} s", "/counter/",
         ["--mode", "soak", "--conns", soak_conns, "--rate", "2", "--secs", soak_secs],
         lambda r: r["errors"] == 0 and r["rss_slope_kib_per_min"] < 1024 and r["p99_drift"] <= 1.5,
         "no errors; RSS slope < 1 MiB/min over the second half; p99 of the second half ≤ 1.5× the first"),
        ("R3", "slow consumer: events on the 1k-row view, answers never read", "/rows/",
         ["--mode", "slow", "--setup", "create", "--event", "update_every_10th",
          "--events", "100" if smoke else "4000", "--secs", "2" if smoke else "60"],
         lambda r: r["server_closed"] == 1 and r["close_code"] == 1008
         and r["rss_peak_kib"] - r["rss_before_kib"] < 128 * 1024
         and r["victim_p99_during_us"] >= 0,
         "closed by the server (1008) with bounded memory; a counter connection next to it is served"),
        ("R6", "malformed frames: bad JSON, unknown type, binary, 100 KiB frame, 500 fuzzed", "/counter/",
         ["--mode", "malformed"],
         lambda r: r["unanswered"] == 0 and r["cases"] > 0 and r["server_serves"] == 1,
         "error frame or clean close for each; the server keeps serving"),
        ("R7", "connection storm: every connect + mount started at once", "/counter/",
         ["--mode", "storm", "--conns", "200" if smoke else ("2000" if quick else "5000")],
         lambda r: r["failed"] == 0 and r["timed_out"] == 0 and r["server_serves"] == 1,
         "every connection mounts or is refused cleanly; the server keeps serving"),
        ("R8", "amplification: a 32-view mount_batch of a chat of 50 × 2,000 `&`; 250 request_html at once",
         "/chat/",
         ["--mode", "amplify", "--conns", "32", "--events", "250"],
         lambda r: r["batch_answer_bytes"] <= min(32 * r["single_mount_bytes"] * 1.1, 8 << 20)
         and (r["batch_close_code"] == 1008 or r["batch_answer_bytes"] > 0)
         and r["over_cap_answer_bytes"] < 1024 and r["html_answers"] <= 2
         and r["html_answer_bytes"] <= 2 * r["single_mount_bytes"] * 1.1,
         "a batch answers at most its 32 (capped) mounts' bytes and never more than the 8 MiB "
         "outbound budget (over it: closed 1008); one over the cap gets an error < 1 KiB; 250 "
         "recoveries at once get at most 2 answers of the view's size"),
        ("R9", "fairness: 4 conns queue swap_rows on 11k-row tables; a counter conn next to them",
         "/rows/",
         ["--mode", "fairness", "--conns", "4", "--event", "swap_rows",
          "--events", "20" if smoke else "500"],
         lambda r: r["answered"] == r["queued"] and r["attack_left_ms"] > 0
         and 0 <= r["victim_p99_during_us"] <= 50_000,
         "every queued event answered, the attack outlasting the victim's 3 s window; "
         "the victim's p99 during it ≤ 50 ms"),
    ]
    if not smoke:
        runs.insert(3, (
            "R4", "half-open: 200 mounted conns go silent (no reads, no pongs, no close)", "/counter/",
            ["--mode", "halfopen", "--conns", "200", "--secs", "75"],
            lambda r: 0 < r.get("reaped_after_s", 0) <= 45 and r["server_serves"] == 1,
            "all reaped by the heartbeat (10 s ping, 30 s timeout) within 45 s; the server keeps serving"))
    return runs
