/**
 * RWKV-4's WKV recurrence (Peng et al. 2023, "RWKV: Reinventing RNNs for the Transformer Era"): the
 * numerically stable running weighted average over past values, forward and hand-written backward, with a
 * scalar reference twin ({@code WkvReference}) beside the Vector API kernel ({@code WkvVector}).
 */
package dev.recur.core.scan.wkv;
