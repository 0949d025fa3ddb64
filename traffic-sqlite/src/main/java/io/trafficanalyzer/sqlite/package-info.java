/**
 * The SQLite store: {@link io.trafficanalyzer.sqlite.SqliteSink} writes each sealed bucket into one database file
 * (WAL mode, versioned schema, rollups and retention) and {@link io.trafficanalyzer.sqlite.TrafficStore} answers typed
 * queries over it. The tables and views are a documented contract, described in the module's README.
 */
package io.trafficanalyzer.sqlite;
