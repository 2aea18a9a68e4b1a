#!/usr/bin/env bash
# Two nodes on one Redis (docs/benchmarks.md, "More than one node"): cross-node broadcast
# latency, fan-out to subscribers spread over both nodes, and events/s of a view whose session
# is kept in Redis against the same node without Redis. Starts its own redis-server (free port,
# no persistence) and release example servers; stops them all.
#
#   bench/nodes.sh             measure (release build first)
#   bench/nodes.sh --smoke     each step once, briefly, on the debug binaries (no figures)
#   --no-build                 use the binaries already in target/
#   --example PATH             measure this djust-example binary (e.g. an earlier build)
#   --cart-only                only the events/s step (memory only against Redis)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

mode=full
build=yes
example=
steps=all
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) mode=smoke ;;
    --no-build) build=no ;;
    --example) example=$2; shift ;;
    --cart-only) steps=cart ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
profile=(--release)
bin="$root/target/release"
messages=200 fanout=1000 fanout_messages=20 secs=10 conns=${NODES_CONNS:-8}
if [ "$mode" = smoke ]; then
  profile=()
  bin="$root/target/debug"
  messages=3 fanout=20 fanout_messages=2 secs=1 conns=2
fi
if [ "$build" = yes ]; then
  cargo build -q ${profile[@]+"${profile[@]}"} -p djust-example -p ws-load
fi
example=${example:-$bin/djust-example}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_http() {
  for _ in $(seq 600); do
    python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
      "http://127.0.0.1:$1/" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "no server on port $1" >&2
  exit 1
}

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >/dev/null &
pids+=($!)
for _ in $(seq 200); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.05; done

export DJUST_SECRET=bench-nodes-secret-bench-nodes-secret-0123
# A closed loop is far above the per-connection event rate limit: lift it (as the harness does),
# or most answers are `rate_limited` errors that never reach view code nor Redis.
export DJUST_RATE_LIMIT=off
start_node() { # port [redis]
  if [ -n "${2:-}" ]; then
    DJUST_REDIS_URL="redis://127.0.0.1:$redis_port/" PORT=$1 RUST_LOG=warn "$example" \
      2>>"$root/target/bench-nodes.log" &
  else
    PORT=$1 RUST_LOG=warn "$example" 2>>"$root/target/bench-nodes.log" &
  fi
  pids+=($!)
  wait_http "$1"
}

: >"$root/target/bench-nodes.log"
a=$(free_port); start_node "$a" redis
b=$(free_port); start_node "$b" redis
single=$(free_port); start_node "$single"
for _ in $(seq 200); do
  [ "$(redis-cli -p "$redis_port" pubsub numsub djust:topic:chat | tail -1)" = 2 ] && break
  sleep 0.05
done

load="$bin/ws-load"
echo "| what | figure |"
echo "|---|---|"
if [ "$steps" = all ]; then
line=$("$load" --page "http://127.0.0.1:$b/chat/" --publish "http://127.0.0.1:$a/chat/" \
  --mode crossnode --conns 1 --events "$messages" --warm 5)
echo "| broadcast A → client of B, 1 subscriber, $messages messages | ${line#*remote } |"
line=$("$load" --page "http://127.0.0.1:$b/chat/" --publish "http://127.0.0.1:$a/chat/" \
  --mode crossnode --conns "$fanout" --spread --events "$fanout_messages" --warm 2)
echo "| fan-out to $fanout subscribers over A and B, $fanout_messages messages (remote deliveries \| last delivery) | ${line#*remote } |"
fi

# Events numbered as the browser client numbers them (`seq`): each is recorded in the ledger,
# so on A each answer waits for its write to Redis.
cart() { # port → "rate N/s p50 …us p99 …us" of the cart's set_coupon closed loop
  "$load" --page "http://127.0.0.1:$1/cart/" --event set_coupon --params '{"value":"SPRING"}' \
    --seq --conns "$conns" --secs "$secs" --warm 20 | sed -E 's/.* rate ([0-9]+)\/s p50 ([0-9]+us) p90 [0-9]+us p99 ([0-9]+us).*/\1 \2 \3/'
}
read -r local_rate local_p50 local_p99 <<<"$(cart "$single")"
read -r redis_rate redis_p50 redis_p99 <<<"$(cart "$a")"
echo "| cart events/s, $conns connections, one node, memory only | $local_rate/s (p50 $local_p50, p99 $local_p99) |"
echo "| cart events/s, $conns connections, view sessions in Redis | $redis_rate/s (p50 $redis_p50, p99 $redis_p99) |"
echo "| ratio Redis / memory | $(python3 -c "print(f'{$redis_rate / max($local_rate, 1):.2f}')") |"
