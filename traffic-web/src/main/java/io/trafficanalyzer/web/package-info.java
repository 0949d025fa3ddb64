/**
 * The read-only web dashboard ({@link io.trafficanalyzer.web.TrafficDashboard}): pages, the JSON API and the
 * Prometheus metrics of a store and a running analyzer, on the JDK's HTTP server.
 */
package io.trafficanalyzer.web;
