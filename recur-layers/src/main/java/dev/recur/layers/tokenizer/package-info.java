/**
 * Byte-level BPE tokenizers read from a Hugging Face {@code tokenizer.json} (GPT-2 and GPT-NeoX style), without
 * dependencies: {@link dev.recur.layers.tokenizer.Tokenizer} is the entry point.
 */
package dev.recur.layers.tokenizer;
