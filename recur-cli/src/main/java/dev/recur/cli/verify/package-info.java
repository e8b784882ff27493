/**
 * Reference cases for {@code recur verify}: a folder in the reference case format (see
 * {@code docs/reference-cases.md}) becomes a {@link dev.recur.cli.verify.ReferenceCase} by its
 * {@code config.json}; running it yields one {@link dev.recur.cli.verify.TensorCheck} per compared tensor.
 */
package dev.recur.cli.verify;
