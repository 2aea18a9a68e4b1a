#!/usr/bin/env bash
# Side-by-side benchmark of our example server against djust, plus reliability runs.
#
#   bench/run.sh            full run (5 rounds, about 15 min), results in bench/results/
#   bench/run.sh --quick    3 rounds, short windows (a few minutes)
#   bench/run.sh --smoke    ours only, each scenario once for about a second; no djust, no
#                           results written, no timing assertions (what CI runs)
#   --no-build              measure the binaries already in target/ (skip cargo build)
# Extra arguments go to bench/compare.py (--rounds N, --no-djust, --no-dioxus, --no-floor,
# --no-growth, --no-reliability).
# See docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

mode=full
build=yes
args=()
for arg in "$@"; do
  case "$arg" in
    --quick) mode=quick ;;
    --smoke) mode=smoke ;;
    --full) mode=full ;;
    --no-build) build=no ;;  # measure the binaries already in target/
    *) args+=("$arg") ;;
  esac
done

step() { printf '\n==> %s\n' "$*"; }
mkdir -p .bench

# Our binaries: release for measurements, debug for the smoke run (CI has built it already).
profile=(--release)
bin="$root/target/release"
if [ "$mode" = smoke ]; then
  profile=()
  bin="$root/target/debug"
  export BENCH_PORT_BASE=${BENCH_PORT_BASE:-18400}
fi
if [ "$build" = yes ]; then
  step "cargo build ${profile[*]:-(debug)}: djust-example, ws-load, bench-floor, inproc, growth"
  cargo build -q ${profile[@]+"${profile[@]}"} -p djust-example -p ws-load -p bench-floor -p djust-bench --bins
fi

# The dioxus-liveview peer: its own workspace and target dir (its dependency tree is large).
if [ "$build" = yes ] && [ "$mode" != smoke ] && [[ " ${args[*]-} " != *" --no-dioxus "* ]]; then
  step "cargo build --release: the dioxus-liveview peer (bench/peers/dioxus_app)"
  cargo build -q --release --manifest-path bench/peers/dioxus_app/Cargo.toml \
    --target-dir "$root/target/dioxus"
fi

# The djust peer: a venv with pinned versions, cached in .bench/ (gitignored).
pins=(djust==1.2.6 'uvicorn[standard]==0.54.0' websockets==17.4)
venv="$root/.bench/djvenv"
if [ "$mode" != smoke ] && [[ " ${args[*]-} " != *" --no-djust "* ]]; then
  if [ "$(cat "$venv/pinned.txt" 2>/dev/null)" != "${pins[*]}" ]; then
    step "installing ${pins[*]} into .bench/djvenv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "${pins[@]}"
    echo "${pins[*]}" > "$venv/pinned.txt"
  fi
  step "djust peer app: check and migrate"
  export DJUST_PEER_DB="$root/.bench/peer.sqlite3"
  (cd bench/peers/djust_app && "$venv/bin/python" manage.py check -v0 && "$venv/bin/python" manage.py migrate -v0)
fi

step "running the $mode benchmark"
exec python3 bench/compare.py --mode "$mode" --bin "$bin" ${args[@]+"${args[@]}"}
