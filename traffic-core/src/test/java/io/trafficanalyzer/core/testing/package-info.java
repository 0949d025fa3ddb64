/**
 * Test utilities shared with the tests and benchmarks of the other modules: builders of frames and capture files.
 */
package io.trafficanalyzer.core.testing;
