/**
 * Direction and service port classification relative to the local networks.
 */
package io.trafficanalyzer.core.classify;
