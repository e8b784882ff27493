/**
 * Emission sequences of hidden Markov models ({@link dev.recur.tasks.hmm.HmmTask}) with fully connected, cyclic
 * or linear-chain transitions, scored against the exact forward-algorithm loss of the generating model
 * ({@link dev.recur.tasks.hmm.HiddenMarkovModel}).
 */
package dev.recur.tasks.hmm;
