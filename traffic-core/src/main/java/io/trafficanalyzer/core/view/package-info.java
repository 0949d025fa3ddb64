/**
 * The view SPI: an {@link io.trafficanalyzer.core.view.Aggregator} keeps one view of the traffic (the built-in
 * {@code hosts}, {@code ports} and {@code peers}, or a user's own), one instance per shard, created by an
 * {@link io.trafficanalyzer.core.view.AggregatorProvider}; it reads each packet through a
 * {@link io.trafficanalyzer.core.view.PacketRecordDecoder}, usually keeps its keys in a
 * {@link io.trafficanalyzer.core.view.ViewTable} and writes its rows through a
 * {@link io.trafficanalyzer.core.sink.RowWriter} when a bucket is sealed. The built-in views are package-private
 * behind their public providers.
 */
package io.trafficanalyzer.core.view;
