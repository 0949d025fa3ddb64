/**
 * A fleet of agents into one store through Apache Kafka: {@link io.trafficanalyzer.kafka.KafkaSink} publishes each
 * batch of an analyzer as one transaction of versioned JSON records, and {@link io.trafficanalyzer.kafka.KafkaCollector}
 * reads them back, read-committed, and applies every contribution exactly once to any sink, the SQLite store in
 * practice. The record format is a documented contract, described in the module's README.
 */
package io.trafficanalyzer.kafka;
