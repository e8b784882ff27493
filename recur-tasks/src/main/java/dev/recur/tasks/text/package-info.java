/**
 * Byte-level text: {@link dev.recur.tasks.text.Corpus} (a UTF-8 text with a held-out tail for validation; the
 * default corpus is fetched once, pinned by sha256 and cached), and {@link dev.recur.tasks.text.ByteBatcher}
 * (language-model windows from persistent streams, for truncated backpropagation through time).
 */
package dev.recur.tasks.text;
