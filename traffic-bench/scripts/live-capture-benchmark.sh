#!/usr/bin/env bash
# Live capture benchmark: the library (LiveCaptureBenchmark) against tcpdump -w /dev/null, and pmacctd when it is
# installed, all capturing the same trafgen traffic on one veth end in the same run. The sender and the capture end
# live in their own network namespaces, so the link carries nothing else. Reports frames captured, kernel drops and
# CPU time (user+system from /proc/PID/stat over the traffic window) per frame for each capturer. A warm-up burst
# (WARMUP frames, default 6000000: about fifteen seconds, time for the JIT to compile the whole pipeline even
# when pmacctd takes half a core) is sent
# before the window: a capture agent runs for days, its first seconds are not what it costs. The pipeline mode also
# prints each Java thread's CPU per frame (over warm-up and window). WITH_PMACCTD=no leaves pmacctd out even if
# installed. REPEAT=N runs it N times and prints the median ratio.
#
# Needs root, iproute2, trafgen (netsniff-ng), tcpdump, and the benchmarks jar:
#   mvn -B -o -pl traffic-bench -am package -DskipTests
#   sudo traffic-bench/scripts/live-capture-benchmark.sh [RATE_PPS=600000] [FRAMES=5000000] [capture|decode|pipeline] \
#       [RING|DISPATCH|NEXT_EX] [wait|sleep|backoff]
set -euo pipefail
[ -n "${TRACE:-}" ] && set -x
cd "$(dirname "$0")/../.."

RATE=${1:-600000}
FRAMES=${2:-5000000}
MODE=${3:-capture}
READ_MODE=${4:-RING}
IDLE=${5:-wait}
WARMUP=${WARMUP:-6000000}
JAR=traffic-bench/target/benchmarks.jar
JAVA=${JAVA:-java}

for tool in ip trafgen tcpdump "$JAVA"; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
[ -f "$JAR" ] || { echo "missing $JAR: mvn -B -pl traffic-bench -am package -DskipTests" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "needs root (namespaces, packet sockets)" >&2; exit 2; }

# REPEAT=N: N whole runs in a row (fresh namespaces, capturers and JVM each time), each printed in full, then every
# capturer's CPU per frame and the library/tcpdump ratio of each run with their medians: one run's ratio moves by
# ±10 % with where the two cores' scheduler put the capturers.
if [ "${REPEAT:-1}" -gt 1 ]; then
    RUNS=$(mktemp -d)
    for run in $(seq "$REPEAT"); do
        REPEAT=1 "$0" "$@" | tee "$RUNS/$run.out"
    done
    echo "== ${REPEAT} runs: CPU ns per frame of tcpdump, the library and pmacctd (- when not run), library/tcpdump"
    for run in $(seq "$REPEAT"); do
        awk '$1 == "tcpdump" { t = $5 } $1 == "library" && NF == 5 { l = $5 } $1 == "pmacctd" { p = $5 }
            END { printf "%s %s %s %.2f\n", t, l, (p == "" ? "-" : p), (t > 0 ? l / t : 999) }' "$RUNS/$run.out"
    done | sort -k4 -n | tee "$RUNS/ratios" | awk '{ print "run: tcpdump " $1 " library " $2 " pmacctd " $3 " ratio " $4 }'
    awk '{ r[NR] = $4 } END { m = (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2;
        printf "median library/tcpdump ratio over %d runs: %.2f (min %.2f, max %.2f)\n", NR, m, r[1], r[NR] }' \
        "$RUNS/ratios"
    rm -rf "$RUNS"
    exit 0
fi

ID=tlb$$
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

# 64-byte Ethernet/IPv4/UDP frames to a MAC nobody has (the capture host's stack drops them before IP), one
# destination address per frame in turn.
cat > "$WORK/frame.cfg" <<'CFG'
{
  0x02, 0x00, 0x00, 0x00, 0x00, 0x77,
  0x02, 0x00, 0x00, 0x00, 0x00, 0x0a,
  c16(0x0800),
  0x45, 0x00, c16(50), c16(0), c16(0x4000), 64, 17, csumip(14, 33),
  10, 203, 0, 2,
  198, 51, 100, dinc(1, 254),
  c16(40000), c16(53), c16(30), c16(0),
  fill(0x00, 22)
}
CFG

# user+system ticks of a process and its children (pmacctd forks its plugins)
cpu_ticks() {
    local total=0 pid
    for pid in "$1" $(pgrep -P "$1" || true); do
        total=$(( total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat") ))
    done
    echo "$total"
}
ticks_per_second=$(getconf CLK_TCK)

ip netns exec "$NS_CAP" tcpdump -i "$IF_CAP" -n -s 128 -B 8192 -w /dev/null 2> "$WORK/tcpdump.err" &
TCPDUMP=$!
PIDS+=("$TCPDUMP")

PMACCTD=
if [ "${WITH_PMACCTD:-yes}" != no ] && command -v pmacctd >/dev/null; then
    ip netns exec "$NS_CAP" pmacctd -i "$IF_CAP" -c src_host,dst_host,proto,src_port,dst_port -P print \
        -O csv -o /dev/null -r 60 > "$WORK/pmacctd.out" 2>&1 &
    PMACCTD=$!
    PIDS+=("$PMACCTD")
fi

ip netns exec "$NS_CAP" "$JAVA" ${JAVA_OPTS:-} -cp "$JAR" io.trafficanalyzer.bench.LiveCaptureBenchmark \
    "$IF_CAP" "$(( FRAMES + WARMUP ))" 3 "$MODE" "$READ_MODE" "$IDLE" > "$WORK/java.out" 2>&1 &
LIBRARY=$!
PIDS+=("$LIBRARY")

for _ in $(seq 300); do
    grep -q READY "$WORK/java.out" 2>/dev/null && grep -q listening "$WORK/tcpdump.err" 2>/dev/null && break
    sleep 0.1
done
grep -q READY "$WORK/java.out" || { cat "$WORK/java.out"; exit 1; }
if [ "$WARMUP" -gt 0 ]; then
    ip netns exec "$NS_SEND" trafgen --dev "$IF_SEND" --conf "$WORK/frame.cfg" --num "$WARMUP" \
        --rate "${RATE}pps" --cpus 1 --no-cpu-stats > /dev/null 2>&1
fi
sleep 1

declare -A BEFORE
for name in tcpdump library ${PMACCTD:+pmacctd}; do
    case $name in tcpdump) pid=$TCPDUMP;; library) pid=$LIBRARY;; pmacctd) pid=$PMACCTD;; esac
    BEFORE[$name]=$(cpu_ticks "$pid")
done

start=$(date +%s.%N)
ip netns exec "$NS_SEND" trafgen --dev "$IF_SEND" --conf "$WORK/frame.cfg" --num "$FRAMES" --rate "${RATE}pps" \
    --cpus 1 --no-cpu-stats > "$WORK/trafgen.out" 2>&1
end=$(date +%s.%N)
sleep 1.5

declare -A AFTER
for name in tcpdump ${PMACCTD:+pmacctd}; do
    case $name in tcpdump) pid=$TCPDUMP;; pmacctd) pid=$PMACCTD;; esac
    AFTER[$name]=$(cpu_ticks "$pid")
done
AFTER[library]=$(cpu_ticks "$LIBRARY")
wait "$LIBRARY" || true
kill -INT "$TCPDUMP"; wait "$TCPDUMP" || true
[ -n "$PMACCTD" ] && { kill -INT "$PMACCTD" 2>/dev/null; wait "$PMACCTD" || true; }

sent_pps=$(awk -v n="$FRAMES" -v s="$start" -v e="$end" 'BEGIN { printf "%.0f", n / (e - s) }')
tcpdump_captured=$(awk '/packets captured/ { print $1 }' "$WORK/tcpdump.err")
tcpdump_dropped=$(awk '/dropped by kernel/ { print $1 }' "$WORK/tcpdump.err")
library_line=$(grep '^frames=' "$WORK/java.out" || true)
library_captured=$(sed -n 's/^frames=\([0-9]*\).*/\1/p' <<< "$library_line")
library_dropped=$(sed -n 's/.* dropped=\([0-9]*\).*/\1/p' <<< "$library_line")

per_frame() { awk -v t="$1" -v n="$2" -v hz="$ticks_per_second" 'BEGIN { if (n > 0) printf "%.1f", t * 1e9 / hz / n; else print "n/a" }'; }

echo "rate asked ${RATE} pps, sent ${WARMUP} + ${FRAMES} frames of 64 bytes, the ${FRAMES} at ${sent_pps} pps;" \
    "${READ_MODE}, ${MODE}, ${IDLE}; captured and dropped include the warm-up, CPU is for the ${FRAMES}"
printf '%-10s %12s %12s %12s %14s\n' capturer captured dropped cpu_ms cpu_ns/frame
for name in tcpdump library ${PMACCTD:+pmacctd}; do
    ticks=$(( ${AFTER[$name]} - ${BEFORE[$name]} ))
    case $name in
        tcpdump) captured=$tcpdump_captured; dropped=$tcpdump_dropped;;
        library) captured=$library_captured; dropped=$library_dropped;;
        pmacctd) captured="n/a"; dropped="n/a";;
    esac
    printf '%-10s %12s %12s %12s %14s\n' "$name" "$captured" "$dropped" \
        "$(awk -v t="$ticks" -v hz="$ticks_per_second" 'BEGIN { printf "%.0f", t * 1000 / hz }')" \
        "$(per_frame "$ticks" "$FRAMES")"
done
echo "library: $library_line"
grep "^threadNsPerFrame" "$WORK/java.out" || true
