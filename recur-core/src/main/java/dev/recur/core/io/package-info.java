/**
 * Safetensors reading and writing: {@link dev.recur.core.io.SafetensorsFile} validates and memory-maps a file,
 * {@link dev.recur.core.io.SafetensorsWriter} writes canonical, byte-identical files atomically, and
 * {@link dev.recur.core.io.HalfFloats} converts F16/BF16.
 */
package dev.recur.core.io;
