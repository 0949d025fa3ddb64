#!/usr/bin/env bash
# Soak run (not part of CI): the whole analyzer on a live source of generated traffic at a steady rate, with remote
# addresses that keep changing (millions of distinct peers an hour), into a SQLite store, for an hour by default.
# Prints one row per sample interval: heap after GC, RSS, open files, threads, GC pauses, flush lag, traffic figures,
# then a summary of the steady state after the warm-up. See SoakRun's Javadoc for the settings.
#
#   traffic-bench/scripts/soak.sh                                   # an hour at 20000 frames/s
#   traffic-bench/scripts/soak.sh duration=PT5M sample=PT15S       # a short one
#   HEAP=512m traffic-bench/scripts/soak.sh rate=50000 db=/var/tmp/soak.db
#
# Builds target/benchmarks.jar if it is missing (mvn package, never install).
set -euo pipefail
cd "$(dirname "$0")/../.."

JAR=traffic-bench/target/benchmarks.jar
JAVA=${JAVA:-java}
HEAP=${HEAP:-256m}

if [ ! -f "$JAR" ]; then
    mvn -B -q -pl traffic-bench -am package -DskipTests
fi

# a fixed heap touched up front, so that RSS growth shows memory outside the heap, not pages of it touched late
exec "$JAVA" -Xms"$HEAP" -Xmx"$HEAP" -XX:+AlwaysPreTouch -XX:+UseG1GC \
    -cp "$JAR" io.trafficanalyzer.bench.SoakRun "$@"
