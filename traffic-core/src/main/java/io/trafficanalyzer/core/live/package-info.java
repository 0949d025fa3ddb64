/**
 * The live view: {@link io.trafficanalyzer.core.live.LiveView} reads the traffic of the last moments at any time from
 * any thread; {@link io.trafficanalyzer.core.live.LiveRates} and {@link io.trafficanalyzer.core.live.OpenBucketLeaders}
 * are the sides the capture agent and the shards write.
 */
package io.trafficanalyzer.core.live;
