#!/usr/bin/env bash
# Read the same pcap files from the page cache with the pure-Java CaptureFileSource (JMH, CaptureFileReadBenchmark)
# and with a bare libpcap pcap_open_offline + pcap_next_ex loop (src/main/c/pcap_read_loop.c), and print both
# rates side by side.
#
#   traffic-bench/scripts/compare-file-read.sh            # 300000 frames of 64 bytes and of IMIX
#   FRAMES=1000000 traffic-bench/scripts/compare-file-read.sh
#
# Builds target/benchmarks.jar if it is missing (mvn package, never install) and installs libpcap-dev if needed.
set -euo pipefail
cd "$(dirname "$0")/../.."

FRAMES="${FRAMES:-300000}"
PASSES="${PASSES:-10}"
JAR=traffic-bench/target/benchmarks.jar

if ! dpkg -s libpcap-dev >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq libpcap-dev >/dev/null
fi
if [ ! -f "$JAR" ]; then
    mvn -B -q -pl traffic-bench -am package -DskipTests
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/pcap_read_loop" traffic-bench/src/main/c/pcap_read_loop.c -lpcap

printf '%-6s %10s %12s %22s %22s %8s\n' mix frames bytes 'CaptureFileSource/s' 'pcap_next_ex/s' ratio
for mix in 64 imix; do
    file="$work/$mix.pcap"
    java -cp "$JAR" io.trafficanalyzer.bench.CaptureFileGenerator "$file" "$mix" "$FRAMES" >/dev/null
    cat "$file" >/dev/null

    "$work/pcap_read_loop" "$file" "$PASSES" >"$work/$mix.c.log"
    c_rate="$(awk '/^median frames\/s/ { print $3 }' "$work/$mix.c.log")"

    # JMH runs one benchmark at a time per machine: wait for another run to release its lock
    for attempt in $(seq 1 120); do
        if java -jar "$JAR" CaptureFileReadBenchmark -p mix="$mix" -p file="$file" \
            -f 1 -wi 3 -w 1 -i 5 -r 1 >"$work/$mix.jmh.log" 2>&1; then
            break
        fi
        grep -q "Unable to acquire the JMH lock" "$work/$mix.jmh.log" || { cat "$work/$mix.jmh.log" >&2; exit 1; }
        sleep 10
    done
    java_rate="$(awk '/readFile:frames/ { for (i = 1; i <= NF; i++) if ($i == "±") { print $(i - 1); exit } }' \
        "$work/$mix.jmh.log")"

    ratio="$(awk -v j="$java_rate" -v c="$c_rate" 'BEGIN { printf "%.2f", j / c }')"
    printf '%-6s %10s %12s %22.0f %22.0f %8s\n' "$mix" "$FRAMES" "$(stat -c %s "$file")" "$java_rate" "$c_rate" "$ratio"
done
echo "(Java: JMH mean of 5 x 1 s after 3 x 1 s warm-up; libpcap: median of $PASSES passes; both from page cache)"
