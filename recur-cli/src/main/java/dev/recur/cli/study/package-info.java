/** Studies: grids of small models trained on one task under one budget, written as a table and a plot. */
package dev.recur.cli.study;
