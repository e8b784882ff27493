/**
 * The linear-attention family: recurrences whose state is a matrix per head, read by a query and written by a key
 * and a value (plain linear attention, GLA, HGRN-2, DeltaNet and Gated DeltaNet), each as a token mixer
 * ({@link dev.recur.layers.linear.LinearAttentionMixer}) and a spec kind
 * ({@link dev.recur.layers.linear.LinearMixerKind}). LightNet (Qin et al. 2024), whose state is a
 * softmax-normalised sum with a log normaliser beside it, is its own mixer
 * ({@link dev.recur.layers.linear.LightNetMixer}) and spec kind ({@code lightnet},
 * {@link dev.recur.layers.linear.LightNetMixerKind}). The scans themselves live in {@code dev.recur.core.scan}.
 */
package dev.recur.layers.linear;
