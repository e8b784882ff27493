/**
 * The suites of {@code recur bench}: each times one family of kernels with {@link dev.recur.cli.bench.Timing}
 * and prints {@link dev.recur.cli.bench.BenchResult} rows as a table or as JSON lines.
 */
package dev.recur.cli.bench;
