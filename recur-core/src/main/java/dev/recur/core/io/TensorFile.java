package dev.recur.core.io;

import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A file of named tensors opened for reading: a safetensors file ({@link SafetensorsFile}) or a
 * {@code torch.save} state dict ({@link PtFile}). {@link TensorFiles#open} opens either. Every malformed file
 * fails to open with a one-line {@link dev.recur.core.RecurException} naming the file; reads convert each element
 * type to Recur's float32 {@link Tensor} or int32 {@link IntTensor}.
 */
public interface TensorFile extends AutoCloseable {
    Path path();

    /** Tensor names, sorted. */
    List<String> names();

    boolean contains(String name);

    /** A tensor's name, dtype and shape; a {@link dev.recur.core.RecurException} naming the file if absent. */
    TensorEntry info(String name);

    /** Reads an F32, F16, BF16 or F64 tensor as float32 (F64 rounds to nearest). */
    Tensor readFloat(String name);

    /** Reads an I64, I32, I16, I8, U8 or BOOL tensor as int32; an I64 value outside int32 is an error. */
    IntTensor readInt(String name);

    @Override
    void close() throws IOException;
}
