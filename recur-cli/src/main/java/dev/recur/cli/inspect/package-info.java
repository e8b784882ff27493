/** Helpers of {@code recur inspect}: the tensor table and strict reading of a model folder's JSON files. */
package dev.recur.cli.inspect;
