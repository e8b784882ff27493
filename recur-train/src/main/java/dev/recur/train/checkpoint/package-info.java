/**
 * Crash-safe training checkpoints: {@link dev.recur.train.checkpoint.CheckpointStore} writes a folder of
 * safetensors and plain JSON with a sha256 manifest, atomically, and finds the newest one that verifies.
 */
package dev.recur.train.checkpoint;
