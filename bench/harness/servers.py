"""Starting, pinning and stopping the two servers, and running ws-load against them."""
import os
import re
import secrets
import shutil
import subprocess
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEER_DIR = os.path.join(ROOT, "bench", "peers", "djust_app")
VENV = os.path.join(ROOT, ".bench", "djvenv")
# Smoke runs (CI) use other ports than measurement runs, so the two can share a machine.
_BASE = int(os.environ.get("BENCH_PORT_BASE", "18300"))
PORTS = {"ours": _BASE + 11, "djust": _BASE + 65, "floor": _BASE + 22, "dioxus": _BASE + 76}
DIOXUS_BIN = os.path.join(ROOT, "target", "dioxus", "release", "dioxus-peer")
# dioxus-liveview events are clicks on elements by id: the ids of the peer's buttons, in the
# order dioxus assigns them (checked by `ws-load --protocol dioxus`: a wrong id gets no answer).
# A click on an element with no listener is answered too (empty edits, 37 bytes).
DIOXUS_ELEMENTS = {"increment": "2", "create": "2", "update_every_10th": "3", "swap_rows": "4",
                   "select": "5"}
# The floor's arguments (`bench-floor`), set by `calibrate_floor` from ours' frames and page.
FLOOR_ARGS = []
PINNED = shutil.which("taskset") is not None and (os.cpu_count() or 1) >= 2


def pin(core, argv):
    """argv prefixed with `taskset -c core` when pinning is possible."""
    return (["taskset", "-c", str(core)] + argv) if PINNED else argv


def url(side, path):
    return f"http://127.0.0.1:{PORTS[side]}{path}"


class Server:
    """One fresh server process on core 0; stop() kills it by PID."""

    def __init__(self, side, bin_dir):
        self.side = side
        env = dict(os.environ)
        if side == "ours":
            # Closed loops send far more than djust's default 200 frames/s per connection.
            env.update(PORT=str(PORTS[side]), RUST_LOG="warn", DJUST_RATE_LIMIT="off")
            # A release build of the example refuses to start without a secret.
            env.setdefault("DJUST_SECRET", secrets.token_hex(32))
            argv, cwd = [os.path.join(bin_dir, "djust-example")], ROOT
        elif side == "dioxus":
            argv, cwd = [DIOXUS_BIN, str(PORTS[side])], ROOT
        elif side == "floor":
            argv = [os.path.join(bin_dir, "bench-floor"), "--port", str(PORTS[side])] + FLOOR_ARGS
            cwd = ROOT
        else:
            env["DJUST_PEER_DB"] = os.path.join(ROOT, ".bench", "peer.sqlite3")
            argv = [os.path.join(VENV, "bin", "uvicorn"), "peer.asgi:application",
                    "--host", "127.0.0.1", "--port", str(PORTS[side]), "--log-level", "warning"]
            cwd = PEER_DIR
        self.log = open(os.path.join(ROOT, ".bench", f"{side}.log"), "ab")
        self.proc = subprocess.Popen(pin(0, argv), cwd=cwd, env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.pid = self.proc.pid  # taskset execs the server: same PID
        self._wait_ready()

    def _wait_ready(self):
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.side} server exited ({self.proc.returncode}); see .bench/{self.side}.log")
            try:
                with urllib.request.urlopen(url(self.side, "/counter/"), timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.side} server did not answer within 60 s")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def parse(line):
    """`name value` pairs of a ws-load line (numbers only; units dropped)."""
    return {k: float(v) for k, v in re.findall(r"([a-z_0-9]+) (-?[0-9]+(?:\.[0-9]+)?)", line)}


def dioxus_args(args):
    """ws-load arguments for the dioxus peer: events become element ids; it takes no params."""
    out, i = [], 0
    while i < len(args):
        flag, value = args[i], args[i + 1] if i + 1 < len(args) else None
        if flag == "--params":
            i += 2
            continue
        if flag in ("--event", "--setup"):
            value = DIOXUS_ELEMENTS[value]
        out += [flag] if value is None else [flag, value]
        i += 2
    if "--event" not in out and "http" not in args:
        out += ["--event", DIOXUS_ELEMENTS["increment"]]
    return out


def ws_load(bin_dir, side, path, args, timeout=240):
    """Runs ws-load on core 1 against `side`; returns (parsed last line, full output)."""
    if side == "dioxus":
        args = dioxus_args(args)
    argv = [os.path.join(bin_dir, "ws-load"), "--page", url(side, path)] + args
    if side in ("djust", "dioxus") and "http" not in args:
        argv += ["--protocol", side]
    out = subprocess.run(pin(1, argv), capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"ws-load {' '.join(args)} against {side}: {out.stderr.strip()}")
    lines = out.stdout.strip().splitlines()
    return parse(lines[-1]), out.stdout


def click_to_dom(side, path, args, timeout=300):
    """Runs bench/browser/click_to_dom.mjs (Chromium, on core 1) against `side`."""
    script = os.path.join(ROOT, "bench", "browser", "click_to_dom.mjs")
    argv = ["node", script, "--side", side, "--page", url(side, path)] + args
    out = subprocess.run(pin(1, argv), capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"click_to_dom {' '.join(args)} against {side}: {out.stderr.strip()}")
    return parse(out.stdout.strip().splitlines()[-1])


def calibrate_floor(bin_dir):
    """Saves ours' counter page and the sizes of its `mount` and event answers for the floor."""
    page_file = os.path.join(ROOT, ".bench", "floor-counter.html")
    server = Server("ours", bin_dir)
    try:
        with urllib.request.urlopen(url("ours", "/counter/"), timeout=10) as r, \
                open(page_file, "wb") as f:
            f.write(r.read())
        parsed, _ = ws_load(bin_dir, "ours", "/counter/", ["--secs", "1"])
    finally:
        server.stop()
    FLOOR_ARGS[:] = ["--page-file", page_file, "--mount-bytes", str(int(parsed["mount_bytes"])),
                     "--answer-bytes", str(int(parsed["answer_bytes"]))]
    return FLOOR_ARGS
