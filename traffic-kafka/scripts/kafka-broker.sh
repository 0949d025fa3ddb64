#!/usr/bin/env bash
# A single-node Kafka broker (KRaft: broker and controller in one process) on loopback, for a try-out.
#
#   kafka-broker.sh start     fetch the broker from Maven Central (once), format its storage (once), start it
#   kafka-broker.sh stop      stop it
#   kafka-broker.sh topic NAME [PARTITIONS]   create a topic (default 6 partitions)
#
# Environment: KAFKA_DIR (data, logs; default /tmp/traffic-kafka-broker), KAFKA_PORT (default 9092),
# KAFKA_CONTROLLER_PORT (default 9093). Needs java 17+ and mvn on the PATH.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
dir="${KAFKA_DIR:-/tmp/traffic-kafka-broker}"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/../../pom.xml" | head -1)"
mkdir -p "$dir"

classpath() {
    if [ ! -s "$dir/classpath-$version.txt" ]; then
        mvn -B -q -f "$here/broker-pom.xml" -Dkafka.version="$version" dependency:build-classpath \
            -Dmdep.outputFile="$dir/classpath-$version.txt" >&2
    fi
    cat "$dir/classpath-$version.txt"
}

configure() {
    cat > "$dir/server.properties" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=6
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPERTIES
}

case "${1:-}" in
    start)
        cp="$(classpath)"
        configure
        if [ ! -f "$dir/data/meta.properties" ]; then
            java -cp "$cp" kafka.tools.StorageTool format -t "$(java -cp "$cp" kafka.tools.StorageTool random-uuid)" \
                -c "$dir/server.properties" > "$dir/format.log" 2>&1
        fi
        nohup java -Xmx1g -cp "$cp" kafka.Kafka "$dir/server.properties" >> "$dir/broker.log" 2>&1 &
        echo $! > "$dir/broker.pid"
        for _ in $(seq 1 120); do
            if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
                echo "broker on 127.0.0.1:$port (pid $(cat "$dir/broker.pid"), log $dir/broker.log)"
                exit 0
            fi
            sleep 0.5
        done
        echo "the broker did not open 127.0.0.1:$port within 60 s; see $dir/broker.log" >&2
        exit 1
        ;;
    stop)
        if [ -f "$dir/broker.pid" ]; then
            pid="$(cat "$dir/broker.pid")"
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
            rm -f "$dir/broker.pid"
        fi
        ;;
    topic)
        cp="$(classpath)"
        java -cp "$cp" org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$port" --create \
            --if-not-exists --topic "${2:?topic name}" --partitions "${3:-6}" --replication-factor 1
        ;;
    *)
        sed -n '2,9p' "$0" >&2
        exit 2
        ;;
esac
