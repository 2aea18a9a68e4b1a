"""Runs the side-by-side comparison and the reliability runs; called by bench/run.sh.

usage: compare.py --mode full|quick|smoke --bin DIR [--rounds N] [--no-djust] [--no-dioxus] [--no-floor]
                  [--no-growth] [--no-reliability]
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import growth, servers  # noqa: E402
from harness.plan import METRICS, SIZES, browser_runs, groups, reliability  # noqa: E402
from harness.report import markdown, summarize  # noqa: E402


def log(message):
    print(f"[{datetime.datetime.now(datetime.timezone.utc):%H:%M:%S}] {message}", flush=True)


def measured_by(side, metrics):
    """The metrics of a run that `side` measures."""
    return {m: key for m, key in metrics.items() if side in METRICS[m].sides}


def run_group(warm, runs, side, bin_dir, raw):
    runs = [(path, args, measured_by(side, metrics)) for path, args, metrics in runs]
    runs = [run for run in runs if run[2]]
    if not runs:
        return
    server = servers.Server(side, bin_dir)
    try:
        pid = ["--pid", str(server.pid)]
        if warm:
            servers.ws_load(bin_dir, side, *warm)
        for path, args, metrics in runs:
            parsed, _ = servers.ws_load(bin_dir, side, path, args + pid)
            for metric, key in metrics.items():
                raw.setdefault(metric, {}).setdefault(side, []).append(parsed[key])
                log(f"  {side:5} {metric} = {parsed[key]:g}")
    finally:
        server.stop()


def run_browser(side, bin_dir, size, raw):
    """S10: clicks in Chromium against a fresh server of `side`."""
    runs = [(path, args, measured_by(side, metrics)) for path, args, metrics in browser_runs(size)]
    runs = [run for run in runs if run[2]]
    if not runs:
        return
    server = servers.Server(side, bin_dir)
    try:
        for path, args, metrics in runs:
            parsed = servers.click_to_dom(side, path, args)
            for metric, key in metrics.items():
                raw.setdefault(metric, {}).setdefault(side, []).append(parsed[key])
                log(f"  {side:5} {metric} = {parsed[key]:g}")
    finally:
        server.stop()


def run_inproc(side, bin_dir, tmp, raw, smoke):
    iters = "20" if smoke else "200"
    if side == "ours":
        argv = [os.path.join(bin_dir, "inproc"), iters, tmp]
    else:
        argv = [os.path.join(servers.VENV, "bin", "python"),
                os.path.join(servers.ROOT, "bench", "peers", "wheel_diff.py"), tmp, "3" if smoke else "20"]
    out = subprocess.run(servers.pin(0, argv), capture_output=True, text=True, check=True)
    value = servers.parse(out.stdout)["rows_update10_us"]
    raw.setdefault("inproc_update10_us", {}).setdefault(side, []).append(value)
    log(f"  {side:5} inproc_update10_us = {value:g}")


def comparison(opts, size, sides):
    raw = {}
    tmp = tempfile.mkdtemp(prefix="inproc-", dir=os.path.join(servers.ROOT, ".bench"))
    for r in range(opts.rounds):
        order = sides if r % 2 == 0 else sides[::-1]
        log(f"round {r + 1}/{opts.rounds} ({' then '.join(order)})")
        for name, warm, runs in groups(size):
            if name.startswith("mem") and r >= size["mem_rounds"]:
                continue
            for side in order:
                run_group(warm, runs, side, opts.bin, raw)
        for side in order:
            if side in METRICS["inproc_update10_us"].sides:
                run_inproc(side, opts.bin, tmp, raw, opts.mode == "smoke")
            run_browser(side, opts.bin, size, raw)
        # Keep what was measured so far, in case a later round fails.
        with open(os.path.join(servers.ROOT, ".bench", f"partial-{opts.mode}.json"), "w") as f:
            json.dump(raw, f)
    shutil.rmtree(tmp, ignore_errors=True)
    return raw


def reliability_runs(opts):
    results = []
    for rid, what, path, args, check, criterion in reliability(opts.mode):
        server = servers.Server("ours", opts.bin)
        try:
            log(f"{rid}: {what}")
            parsed, out = servers.ws_load(opts.bin, "ours", path, args + ["--pid", str(server.pid)])
        finally:
            server.stop()
        lines = out.strip().splitlines()
        try:
            ok = bool(check(parsed))
        except KeyError:
            ok = False
        results.append({"id": rid, "what": what, "criterion": criterion, "pass": ok,
                        "line": lines[-1], "output": lines, "values": parsed})
        verdict = "ran" if opts.mode == "smoke" else ("pass" if ok else "FAIL")
        log(f"  {verdict}: {lines[-1]}")
    return results


def environment(opts, rounds):
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    def cmd(argv):
        try:
            return subprocess.run(argv, capture_output=True, text=True, cwd=servers.ROOT).stdout.strip()
        except OSError:
            return "?"
    marker = os.path.join(servers.VENV, "pinned.txt")
    return {
        "mode": opts.mode, "rounds": rounds,
        "date": f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        "cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(),
        "rustc": cmd(["rustc", "--version"]), "commit": cmd(["git", "rev-parse", "--short", "HEAD"]),
        "dirty_tree": bool(cmd(["git", "status", "--porcelain", "--untracked-files=no"])),
        "djust": open(marker).read().strip() if os.path.exists(marker) else "",
        "pinned": "yes" if servers.PINNED else "no",
        "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=sorted(SIZES), default="full")
    parser.add_argument("--bin", required=True)
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--no-djust", action="store_true")
    parser.add_argument("--no-reliability", action="store_true")
    parser.add_argument("--no-floor", action="store_true")
    parser.add_argument("--no-dioxus", action="store_true")
    parser.add_argument("--no-growth", action="store_true")
    opts = parser.parse_args()
    size = SIZES[opts.mode]
    opts.rounds = opts.rounds or size["rounds"]
    sides = ["ours"] if opts.no_djust or opts.mode == "smoke" else ["ours", "djust"]
    if not opts.no_dioxus and opts.mode != "smoke":
        if not os.path.exists(servers.DIOXUS_BIN):
            raise RuntimeError(f"{servers.DIOXUS_BIN} is missing (bench/run.sh builds it)")
        sides.append("dioxus")
    if not opts.no_floor:
        sides.append("floor")
        log(f"floor: {' '.join(servers.calibrate_floor(opts.bin))}")
    env = environment(opts, opts.rounds)
    raw = comparison(opts, size, sides)
    grown = None
    if not opts.no_growth:
        log("how cost grows")
        grown = growth.run(opts, log)
    rel = [] if opts.no_reliability else reliability_runs(opts)
    env["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    summary = summarize(raw)
    table = markdown(summary, rel, env) + (growth.markdown(grown) if grown else "")
    print("\n" + table)
    if opts.mode == "smoke":
        return  # no results written, no assertions: CI only checks that everything ran
    results = os.path.join(servers.ROOT, "bench", "results")
    os.makedirs(results, exist_ok=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    data = {"environment": env, "summary": summary, "raw": raw, "reliability": rel,
            "growth": grown}
    if grown:
        with open(os.path.join(results, "growth.svg"), "w") as f:
            f.write(growth.svg(grown, f"ours, {env['mode']} run {env['date']}, commit "
                                      f"{env['commit']}, 2 shared cores"))
    for name in (f"{stamp}-{opts.mode}", "latest"):
        with open(os.path.join(results, f"{name}.json"), "w") as f:
            json.dump(data, f, indent=1, ensure_ascii=False)
        with open(os.path.join(results, f"{name}.md"), "w") as f:
            f.write(table)
    log(f"wrote bench/results/{stamp}-{opts.mode}.{{json,md}} and bench/results/latest.{{json,md}}")


if __name__ == "__main__":
    try:
        main()
    except (RuntimeError, subprocess.SubprocessError) as error:
        print(f"bench: {error}", file=sys.stderr)
        sys.exit(1)
