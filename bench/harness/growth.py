"""How cost grows (ours): table update vs rows, memory vs idle counters (S9: held by several
client processes), events/s vs connections; a Markdown table and an SVG chart."""
import os
import subprocess
import time

from harness import servers

SIZES = {
    "full": dict(rows=[100, 1000, 10000], counters=[1000, 5000, 15000], conns=[1, 20, 200],
                 clients=3, secs=3),
    "quick": dict(rows=[100, 1000, 10000], counters=[1000, 5000, 15000], conns=[1, 20, 200],
                  clients=3, secs=2),
    "smoke": dict(rows=[100, 1000], counters=[50, 100], conns=[1, 5], clients=2, secs=1),
}


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def held(bin_dir, conns, clients, log):
    """A fresh server; `conns` idle counters mounted by `clients` ws-load processes at once."""
    server = servers.Server("ours", bin_dir)
    procs = []
    try:
        before = rss_kib(server.pid)
        share = [conns // clients + (1 if i < conns % clients else 0) for i in range(clients)]
        argv = [os.path.join(bin_dir, "ws-load"), "--page", servers.url("ours", "/counter/"),
                "--mode", "hold", "--secs", "600"]
        started = time.time()
        for n in share:
            procs.append(subprocess.Popen(servers.pin(1, argv + ["--conns", str(n)]),
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                          text=True))
        for proc in procs:
            line = proc.stdout.readline()
            if not line.startswith("holding"):
                raise RuntimeError(f"ws-load hold: {line.strip()} {proc.stderr.read().strip()}")
        mounted_s = time.time() - started
        time.sleep(1)
        after = rss_kib(server.pid)
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait()
        server.stop()
    per_conn = (after - before) / conns
    log(f"  held {conns} counters in {clients} processes: {per_conn:.1f} KiB each, "
        f"all mounted in {mounted_s:.1f} s")
    return {"conns": conns, "clients": clients, "rss_before_kib": before,
            "rss_after_kib": after, "per_conn_kib": round(per_conn, 2),
            "all_mounted_s": round(mounted_s, 2)}


def run(opts, log):
    size = SIZES[opts.mode]
    out = {"rows": [], "counters": [], "conns": []}
    lines = subprocess.run(servers.pin(0, [os.path.join(opts.bin, "growth")] +
                                       [str(n) for n in size["rows"]]),
                           capture_output=True, text=True, check=True).stdout.splitlines()
    for line in lines:
        parsed = servers.parse(line)
        out["rows"].append(parsed)
        log(f"  {parsed['rows']:g} rows: update every 10th {parsed['update10_us']:g} µs")
    for conns in size["counters"]:
        out["counters"].append(held(opts.bin, conns, size["clients"], log))
    server = servers.Server("ours", opts.bin)
    try:
        servers.ws_load(opts.bin, "ours", "/counter/", ["--secs", "1"])
        for conns in size["conns"]:
            parsed, _ = servers.ws_load(opts.bin, "ours", "/counter/",
                                        ["--secs", str(size["secs"]), "--conns", str(conns)])
            out["conns"].append({"conns": conns, "rate": parsed["rate"], "p50": parsed["p50"],
                                 "p99": parsed["p99"]})
            log(f"  {conns} conns: {parsed['rate']:g} events/s")
    finally:
        server.stop()
    return out


def markdown(growth):
    lines = ["", "How cost grows (ours):", "",
             "| table rows | update every 10th, in process | patch bytes |", "|---:|---:|---:|"]
    lines += [f"| {r['rows']:,.0f} | {r['update10_us']:,.1f} µs | {r['patch_bytes']:,.0f} |"
              for r in growth["rows"]]
    lines += ["", "| idle counters | client processes | memory per connection | all mounted in |",
              "|---:|---:|---:|---:|"]
    lines += [f"| {c['conns']:,} | {c['clients']} | {c['per_conn_kib']:.1f} KiB | "
              f"{c['all_mounted_s']:.1f} s |" for c in growth["counters"]]
    lines += ["", "| connections | counter events/s | p50 | p99 |", "|---:|---:|---:|---:|"]
    lines += [f"| {c['conns']} | {c['rate']:,.0f} | {c['p50']:,.0f} µs | {c['p99']:,.0f} µs |"
              for c in growth["conns"]]
    return "\n".join(lines) + "\n"


def _panel(x0, title, points, xlabel, ylabel):
    """One log-x line chart 260×200 at x0: points [(x, y)]."""
    import math
    w, h, left, top = 260, 200, 50, 30
    xs = [math.log10(max(x, 1)) for x, _ in points]
    ymax = max(y for _, y in points) * 1.15 or 1
    xlo, xhi = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    px = [x0 + left + (x - xlo) / (xhi - xlo) * (w - left - 10) for x in xs]
    py = [top + (h - top - 30) * (1 - y / ymax) for _, y in points]
    parts = [f'<text x="{x0 + w / 2}" y="16" text-anchor="middle" font-weight="bold">{title}</text>',
             f'<line x1="{x0 + left}" y1="{h - 30}" x2="{x0 + w - 10}" y2="{h - 30}" stroke="#444"/>',
             f'<line x1="{x0 + left}" y1="{top}" x2="{x0 + left}" y2="{h - 30}" stroke="#444"/>',
             f'<polyline fill="none" stroke="#1f6feb" stroke-width="2" points="'
             + " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(px, py)) + '"/>',
             f'<text x="{x0 + w / 2}" y="{h - 4}" text-anchor="middle">{xlabel}</text>',
             f'<text x="{x0 + 12}" y="{top + (h - top - 30) / 2}" text-anchor="middle" '
             f'transform="rotate(-90 {x0 + 12} {top + (h - top - 30) / 2})">{ylabel}</text>']
    for (x, y), a, b in zip(points, px, py):
        parts += [f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="#1f6feb"/>',
                  f'<text x="{a:.1f}" y="{b - 6:.1f}" text-anchor="middle">{y:,.0f}</text>',
                  f'<text x="{a:.1f}" y="{h - 18}" text-anchor="middle">{x:,}</text>']
    return parts


def svg(growth, caption):
    panels = [
        ("table update (µs)", [(int(r["rows"]), r["update10_us"]) for r in growth["rows"]],
         "rows", "µs per event"),
        ("memory per idle counter (KiB)",
         [(c["conns"], c["per_conn_kib"]) for c in growth["counters"]], "connections", "KiB"),
        ("counter events/s", [(c["conns"], c["rate"]) for c in growth["conns"]],
         "connections", "events/s"),
    ]
    body = []
    for i, (title, points, xlabel, ylabel) in enumerate(panels):
        body += _panel(i * 280, title, points, xlabel, ylabel)
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="840" height="225" '
            'font-family="sans-serif" font-size="11">'
            '<rect width="100%" height="100%" fill="white"/>' + "".join(body) +
            f'<text x="420" y="220" text-anchor="middle" fill="#666">{caption}</text></svg>\n')
