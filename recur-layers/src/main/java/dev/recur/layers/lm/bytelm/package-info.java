/**
 * Byte-level language models that Recur trains itself: {@link dev.recur.layers.lm.bytelm.ByteLstmLm} (model
 * type {@code recur_lstm}) and initial weights for a byte-level Mamba ({@link
 * dev.recur.layers.lm.bytelm.MambaInit}). A model is created as a folder ({@code config.json} with
 * {@code "tokenizer": "bytes"} and {@code model.safetensors}) and loaded with {@link
 * dev.recur.layers.lm.HfModels#load}, so a trained run folder loads exactly as any other checkpoint.
 */
package dev.recur.layers.lm.bytelm;
