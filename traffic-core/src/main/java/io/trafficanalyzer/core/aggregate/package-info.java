/**
 * The aggregation pipeline and its SPI.
 * <p>
 * The SPI: an {@link io.trafficanalyzer.core.aggregate.Aggregator} keeps one view of the traffic (the built-in
 * {@code hosts}, {@code ports} and {@code peers}, or a user's own), one instance per shard, created by an
 * {@link io.trafficanalyzer.core.aggregate.AggregatorProvider}; it reads each packet through a
 * {@link io.trafficanalyzer.core.aggregate.PacketRecordDecoder}, usually keeps its keys in a
 * {@link io.trafficanalyzer.core.aggregate.ViewTable} and writes its rows through a
 * {@link io.trafficanalyzer.core.aggregate.RowWriter} when a bucket is sealed.
 * <p>
 * The machinery, package-private: a capture agent decodes, classifies and assigns each frame to a time bucket,
 * then writes fixed-size records into one bounded off-heap ring buffer per aggregator shard; aggregator agents
 * keep the views of their shard's hosts; a flush agent merges the shards' rows of each sealed bucket and hands
 * one immutable bucket to the listeners and sink workers. {@link io.trafficanalyzer.core.aggregate.Pipeline}
 * assembles them; {@link io.trafficanalyzer.core.aggregate.LiveView} reads the recent traffic at any time.
 */
package io.trafficanalyzer.core.aggregate;
