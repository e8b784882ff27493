/**
 * The compute thread pool that parallel kernels share: {@link dev.recur.core.parallel.ComputePool}, a fixed set
 * of spinning workers with a sub-microsecond hand-off, sized once per process.
 */
package dev.recur.core.parallel;
