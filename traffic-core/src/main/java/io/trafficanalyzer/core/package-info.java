/**
 * The public entry point of the traffic analyzer and its configuration.
 */
package io.trafficanalyzer.core;
