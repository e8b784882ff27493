/**
 * Benchmarks of Recur against peer libraries on the same machine and in the same process: DJL with the PyTorch
 * engine for recurrent layers, OpenBLAS for matrix products. Never a dependency of the library or the CLI.
 */
package dev.recur.peers;
