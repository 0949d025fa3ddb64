/**
 * Flyweight decoders that turn a captured frame into the fields the aggregation needs, without allocation.
 */
package io.trafficanalyzer.core.codec;
