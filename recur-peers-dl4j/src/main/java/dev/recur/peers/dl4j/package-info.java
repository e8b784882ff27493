/**
 * Recur's LSTM layer timed beside Deeplearning4j's in one process. Its own module, since nd4j-native's OpenBLAS
 * and JavaCPP versions cannot share a class path with those of {@code dev.recur.peers}. Never a dependency of the
 * library or the CLI.
 */
package dev.recur.peers.dl4j;
