/** Support for {@code recur train}: the run's saved options and where run folders go. */
package dev.recur.cli.train;
