/**
 * The query documents of a store ({@code top}, {@code report}, data quality, the percentile of 5-minute rates) and
 * their formats, shared by the command line and the web API so that both give the same document for the same store
 * and range.
 */
package io.trafficanalyzer.web.query;
