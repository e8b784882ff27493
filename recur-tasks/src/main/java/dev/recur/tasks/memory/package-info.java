/**
 * Memory tasks with a tunable timescale: N-parity and N-delayed-match-to-sample
 * ({@link dev.recur.tasks.memory.MemoryTask}) and their single- and multi-head curricula
 * ({@link dev.recur.tasks.memory.MemoryCurriculum}), after Khajehabdollahi et al. 2023.
 */
package dev.recur.tasks.memory;
