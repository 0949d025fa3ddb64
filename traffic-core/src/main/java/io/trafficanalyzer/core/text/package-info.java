/**
 * Small text utilities shared by the modules: {@link io.trafficanalyzer.core.text.SafeText} escapes outside text for
 * log lines and messages.
 */
package io.trafficanalyzer.core.text;
