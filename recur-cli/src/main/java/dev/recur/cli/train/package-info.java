/**
 * Support for {@code recur train}: merging its settings (defaults < --config < command line < --set) and its report
 * files; the run itself is recur-train's ({@code dev.recur.train.run}).
 */
package dev.recur.cli.train;
