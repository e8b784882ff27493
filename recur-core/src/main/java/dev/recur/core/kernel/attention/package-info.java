/**
 * Attention kernels that read a key/value cache in place: {@link dev.recur.core.kernel.attention.CachedAttention}
 * (one query token per stream against every cached token) with its scalar reference twin.
 */
package dev.recur.core.kernel.attention;
