#!/usr/bin/env bash
# The README's capture command against tcpdump, both started cold on the same veth before any traffic, both measured
# as whole processes from start to exit (/usr/bin/time -v: user+sys CPU of every thread, JIT and GC included, peak
# RSS): SECONDS of trafgen traffic at RATE frames/s (64-byte Ethernet/IPv4/UDP, one destination address per frame in
# turn), then SIGTERM to both. Prints one line per capturer that EndToEndHarness reads:
#   live <name> frames=<captured> dropped=<kernel+ring drops> cpu_ms=<user+sys> rss_kb=<peak> sent=<frames sent>
#   seconds=<traffic window>
#
# Usage (root: namespaces and packet sockets):
#   traffic-bench/scripts/live-cli-benchmark.sh [SECONDS=60] [RATE=400000] [CLI command...]
# CLI defaults to examples/bin/traffic-analyzer (the launcher); e.g. `... 60 400000 java -jar
# examples/target/traffic-analyzer.jar` measures the jar without options. Needs iproute2, trafgen (netsniff-ng),
# tcpdump and /usr/bin/time.
# Environment: PEERS=random sends to 65 536 remote addresses at random instead of 254 in turn (a store that grows
# by tens of thousands of rows a bucket, for long runs); RSS_LOG=FILE appends the library's RSS and peak RSS (kB)
# every RSS_INTERVAL (60) seconds, for a capture of hours:
#   PEERS=random RSS_LOG=/tmp/rss.log traffic-bench/scripts/live-cli-benchmark.sh 3600 20000
set -euo pipefail
cd "$(dirname "$0")/../.."

SECONDS_OF_TRAFFIC=${1:-60}
RATE=${2:-400000}
shift $(( $# > 2 ? 2 : $# ))
CLI=("$@")
[ ${#CLI[@]} -gt 0 ] || CLI=(examples/bin/traffic-analyzer)
FRAMES=$(( SECONDS_OF_TRAFFIC * RATE ))

for tool in ip trafgen tcpdump /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "needs root (namespaces, packet sockets)" >&2; exit 2; }

ID=tlc$$
NS_SEND=${ID}s
NS_CAP=${ID}c
IF_SEND=${ID}a
IF_CAP=${ID}b
WORK=$(mktemp -d)
PIDS=()

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    ip netns del "$NS_SEND" 2>/dev/null || true
    ip netns del "$NS_CAP" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

ip netns add "$NS_SEND"
ip netns add "$NS_CAP"
ip link add "$IF_SEND" address 02:00:00:00:00:0a netns "$NS_SEND" type veth \
    peer name "$IF_CAP" address 02:00:00:00:00:0b netns "$NS_CAP"
ip -n "$NS_SEND" link set "$IF_SEND" arp off addrgenmode none
ip netns exec "$NS_SEND" sh -c "echo 1 > /proc/sys/net/ipv6/conf/$IF_SEND/disable_ipv6"
ip -n "$NS_CAP" link set "$IF_CAP" arp off addrgenmode none
ip netns exec "$NS_CAP" sh -c "echo 1 > /proc/sys/net/ipv6/conf/$IF_CAP/disable_ipv6"
ip -n "$NS_CAP" addr add 10.203.0.2/24 dev "$IF_CAP"
ip -n "$NS_SEND" link set "$IF_SEND" up
ip -n "$NS_CAP" link set "$IF_CAP" up

cat > "$WORK/frame.cfg" <<'CFG'
{
  0x02, 0x00, 0x00, 0x00, 0x00, 0x77,
  0x02, 0x00, 0x00, 0x00, 0x00, 0x0a,
  c16(0x0800),
  0x45, 0x00, c16(50), c16(0), c16(0x4000), 64, 17, csumip(14, 33),
  10, 203, 0, 2,
  198, 51, @DESTINATION@,
  c16(40000), c16(53), c16(30), c16(0),
  fill(0x00, 22)
}
CFG
if [ "${PEERS:-}" = random ]; then
    sed -i 's/@DESTINATION@/drnd(), drnd()/' "$WORK/frame.cfg"
else
    sed -i 's/@DESTINATION@/100, dinc(1, 254)/' "$WORK/frame.cfg"
fi

# tcpdump as the README of tcpdump users would run it on a busy link: snap 128 like the tool's default, 8 MiB buffer
ip netns exec "$NS_CAP" /usr/bin/time -v -o "$WORK/tcpdump.time" \
    tcpdump -i "$IF_CAP" -n -s 128 -B 8192 -w /dev/null 2> "$WORK/tcpdump.err" &
PIDS+=($!)
ip netns exec "$NS_CAP" /usr/bin/time -v -o "$WORK/library.time" \
    "${CLI[@]}" capture --interface "$IF_CAP" --db "$WORK/live.db" --local-net 10.203.0.0/24 \
    > "$WORK/library.out" 2> "$WORK/library.err" &
PIDS+=($!)

for _ in $(seq 1200); do
    grep -q 'capturing on' "$WORK/library.err" 2>/dev/null && grep -q listening "$WORK/tcpdump.err" 2>/dev/null && break
    sleep 0.1
done
grep -q 'capturing on' "$WORK/library.err" || { cat "$WORK/library.err"; exit 1; }
sleep 1

if [ -n "${RSS_LOG:-}" ]; then
    java_pid=$(pgrep -P "${PIDS[1]}" | head -1)
    while kill -0 "$java_pid" 2>/dev/null; do
        echo "$(date -u +%FT%TZ) $(awk '/^Vm(RSS|HWM):/ { printf "%s %s ", $1, $2 }' "/proc/$java_pid/status")" \
            >> "$RSS_LOG" || true
        sleep "${RSS_INTERVAL:-60}"
    done &
    PIDS+=($!)
fi

start=$(date +%s.%N)
ip netns exec "$NS_SEND" trafgen --dev "$IF_SEND" --conf "$WORK/frame.cfg" --num "$FRAMES" --rate "${RATE}pps" \
    --cpus 1 --no-cpu-stats > "$WORK/trafgen.out" 2>&1
end=$(date +%s.%N)
sleep 1.5

# SIGTERM to the capturers themselves (ip netns exec became time; the capturers are its children), then wait for
# time to write its report: a background job of a script starts with SIGINT ignored, and a JVM started so never
# hears Ctrl-C; the tool stores everything on SIGTERM as on Ctrl-C, and tcpdump prints its counts on both
for pid in "${PIDS[0]}" "${PIDS[1]}"; do
    kill -TERM "$(pgrep -P "$pid" | head -1)"
done
for pid in "${PIDS[@]}"; do wait "$pid" || true; done
PIDS=()

time_field() { sed -n "s/^[[:space:]]*$2: //p" "$WORK/$1.time" | head -1; }
cpu_ms() { awk -v u="$(time_field "$1" 'User time (seconds)')" -v s="$(time_field "$1" 'System time (seconds)')" \
    'BEGIN { printf "%.0f", (u + s) * 1000 }'; }
summary() { sed -n "s/^  $1 *\([0-9]*\).*/\1/p" "$WORK/library.out" | head -1; }

tcpdump_frames=$(awk '/packets captured/ { print $1 }' "$WORK/tcpdump.err")
tcpdump_dropped=$(awk '/dropped by kernel/ { print $1 }' "$WORK/tcpdump.err")
library_frames=$(summary frames)
kernel_drops=$(summary 'kernel drops')
ring_drops=$(summary 'ring drops')
library_dropped=$(( ${kernel_drops:-0} + ${ring_drops:-0} ))
window=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
echo "live tcpdump frames=${tcpdump_frames} dropped=${tcpdump_dropped} cpu_ms=$(cpu_ms tcpdump)" \
    "rss_kb=$(time_field tcpdump 'Maximum resident set size (kbytes)') sent=${FRAMES} seconds=${window}"
echo "live library frames=${library_frames} dropped=${library_dropped} cpu_ms=$(cpu_ms library)" \
    "rss_kb=$(time_field library 'Maximum resident set size (kbytes)') sent=${FRAMES} seconds=${window}"
echo "library command: ${CLI[*]} capture --interface $IF_CAP --db live.db --local-net 10.203.0.0/24"
sed 's/^/  /' "$WORK/library.out"
