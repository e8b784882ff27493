/**
 * Tensor files: {@link dev.recur.core.io.SafetensorsFile} validates and memory-maps a safetensors file,
 * {@link dev.recur.core.io.PtFile} reads a {@code torch.save} state dict through a restricted unpickler, and
 * {@link dev.recur.core.io.TensorFiles} opens either behind {@link dev.recur.core.io.TensorFile}.
 * {@link dev.recur.core.io.SafetensorsWriter} writes canonical, byte-identical safetensors files atomically, and
 * {@link dev.recur.core.io.HalfFloats} converts F16/BF16.
 */
package dev.recur.core.io;
