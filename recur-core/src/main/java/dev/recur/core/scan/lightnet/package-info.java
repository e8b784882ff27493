/**
 * LightNet's additive linear recurrence (Qin et al. 2024, "You Only Scan Once"): a running softmax-normalised
 * sum of {@code exp(k_t) v_t^T}, whose final state does not depend on the scan order, so one scan serves
 * multi-dimensional inputs. {@link dev.recur.core.scan.lightnet.LightNet} is the op and the one-token step; it
 * computes the normaliser and runs on the kernels of {@code dev.recur.core.scan.gla}. Shapes are batch-first.
 */
package dev.recur.core.scan.lightnet;
