/**
 * Training metrics as JSON lines: {@link dev.recur.train.metrics.MetricsLog} appends one row per line to
 * {@code metrics.jsonl} and reads them back for plots and resumed runs.
 */
package dev.recur.train.metrics;
