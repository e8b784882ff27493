/**
 * The linear-attention family: recurrences whose state is a matrix per head, read by a query and written by a key
 * and a value (plain linear attention, GLA, HGRN-2, DeltaNet and Gated DeltaNet), each as a token mixer
 * ({@link dev.recur.layers.linear.LinearAttentionMixer}) and a spec kind
 * ({@link dev.recur.layers.linear.LinearMixerKind}). The scans themselves live in {@code dev.recur.core.scan}.
 */
package dev.recur.layers.linear;
