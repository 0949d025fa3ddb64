#!/usr/bin/env bash
# Where a file -> SQLite run of the library spends its time: runs LibraryReplay (the end-to-end harness's library
# run, same JVM flags) on a capture with a flight recording of execution and native-method samples every 2 ms,
# reads each thread's CPU time from /proc every 0.2 s, then prints
#   1. CPU seconds per thread as last sampled (C2/C1 compiler threads summed, other JVM threads as "jvm"; a thread's
#      work after its last sample is missed), and when the capture thread was last busy: the store's tail after it
#      is what the end of the run waits for;
#   2. the store thread's samples by the first call site in io.trafficanalyzer (native ones are SQLite's own work
#      or waits inside it, such as fsync), most frequent first.
#
# Usage (from anywhere; runs in the project root):
#   traffic-bench/scripts/profile-replay.sh CAPTURE [sqlite:DATABASE[?options]]
# CAPTURE is e.g. the end-to-end harness's synthetic-64.pcap (run it with keep=true) or any pcap/pcapng file; the
# database defaults to a fresh one under ${TMPDIR:-/tmp}. Environment: JAVA_OPTIONS as for end-to-end.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ $# -lt 1 ]; then
    sed -n '2,16p' "$0"
    exit 2
fi
CAPTURE="$(realpath "$1")"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/profile-replay.XXXXXX")"
SINK="${2:-sqlite:$WORK/replay.db}"
JAVA_OPTIONS="${JAVA_OPTIONS:--Xms64m -Xmx64m -XX:MaxDirectMemorySize=64m -XX:+UseSerialGC}"
JAR=traffic-bench/target/benchmarks.jar
[ -f "$JAR" ] || mvn -B -q -pl traffic-bench -am package -DskipTests

cat > "$WORK/samples.jfc" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">2 ms</setting></event>
  <event name="jdk.NativeMethodSample"><setting name="enabled">true</setting><setting name="period">2 ms</setting></event>
</configuration>
EOF

# shellcheck disable=SC2086
java $JAVA_OPTIONS -XX:StartFlightRecording:filename="$WORK/replay.jfr",settings="$WORK/samples.jfc" \
    -cp "$JAR" io.trafficanalyzer.bench.LibraryReplay "$CAPTURE" "$SINK" "$WORK/replay.result" \
    >"$WORK/replay.out" 2>&1 &
pid=$!
ticks=$(getconf CLK_TCK)
start=$(date +%s%N)
: > "$WORK/threads"
while kill -0 "$pid" 2>/dev/null; do
    now=$(( ($(date +%s%N) - start) / 1000000 ))
    for task in /proc/"$pid"/task/*; do
        name=$(cat "$task/comm" 2>/dev/null) || continue
        stat=$(cut -d')' -f2 "$task/stat" 2>/dev/null) || continue
        echo "$now|${task##*/}|$name|$stat"
    done >> "$WORK/threads"
    sleep 0.2
done
wait "$pid" || { echo "LibraryReplay failed: see $WORK/replay.out" >&2; exit 1; }

echo "Per-thread CPU seconds (user + system) of LibraryReplay $CAPTURE $SINK:"
awk -F'|' -v ticks="$ticks" '
    { # after the command name, /proc/PID/task/TID/stat holds state, ..., utime and stime as its 12th and 13th fields
      split($4, stat, " "); seconds = (stat[12] + stat[13]) / ticks
      name = $3; if (name ~ /^C2 /) name = "C2"; else if (name ~ /^C1 /) name = "C1"
      else if (name !~ /^(traffic|main|java)/) name = "jvm"
      group[$2] = name; cpu[$2] = seconds; last = $1
      if ($3 ~ /^traffic-capture/) { if (seconds > captured) { busy = $1; captured = seconds } } }
    END {
        for (tid in cpu) total[group[tid]] += cpu[tid]
        for (g in total) printf "  %-22s %6.2f\n", g, total[g] | "sort"
        close("sort")
        printf "  (capture thread last busy at %.1f s of %.1f s)\n", busy / 1000, last / 1000
    }' "$WORK/threads"

echo
echo "The store thread's samples by first call site in io.trafficanalyzer (N: in native code, J: in Java):"
jfr print --stack-depth 40 --events jdk.ExecutionSample,jdk.NativeMethodSample "$WORK/replay.jfr" | awk '
    /^jdk\.(Execution|NativeMethod)Sample/ { native = ($0 ~ /Native/); thread = ""; site = ""; inStack = 0; next }
    /sampledThread = / { thread = $0 }
    /stackTrace = \[/ { inStack = 1; next }
    inStack && site == "" && /io\.trafficanalyzer\./ { site = $0; sub(/^ +/, "", site); sub(/ +line:/, ":", site) }
    /^}/ { if (thread ~ /"traffic-sink-/) { print (native ? "N " : "J ") site } }' > "$WORK/store-samples"
awk '{ count[$0]++; total++ } END { for (s in count) printf "%6d %5.1f%%  %s\n", count[s], 100 * count[s] / total, s }' \
    "$WORK/store-samples" | sort -rn | head -15
awk '/^N / { native++ } END { printf "  in native code (SQLite and the JNI calls into it): %d of %d samples, %.1f%%\n",
    native, NR, 100 * native / NR }' "$WORK/store-samples"
echo
echo "(recording and per-thread samples kept in $WORK)"
