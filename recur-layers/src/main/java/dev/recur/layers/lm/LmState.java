package dev.recur.layers.lm;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A language model's recurrent state: named tensors (per layer, e.g. {@code layers.3.conv} and
 * {@code layers.3.ssm}) and the number of tokens consumed. Immutable: a forward returns a new state.
 *
 * <p>{@link #toBytes()} writes a small self-describing format: the magic {@code RECURST1}, the position,
 * the tensor count, then for each tensor its name (modified UTF-8), rank, dimensions and float32 values,
 * all big-endian as {@link DataOutputStream} writes them.
 */
public final class LmState {
    private static final long MAGIC = 0x5245435552535431L;
    private final Map<String, Tensor> tensors;
    private final long position;

    public LmState(Map<String, Tensor> tensors, long position) {
        if (position < 0) {
            throw new RecurException("LmState: position must be >= 0, got " + position);
        }
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.position = position;
    }

    /** The tensor stored under {@code name}; a clear error when absent. */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new RecurException("LmState: no tensor named '" + name + "' (has " + tensors.keySet() + ")");
        }
        return t;
    }

    /**
     * The tensor stored under {@code name}, required to have {@code shape}; errors name the state of
     * {@code model} (its {@code model_type}, e.g. {@code "jamba"}).
     */
    public Tensor tensor(String model, String name, int[] shape) {
        Tensor t = tensor(name);
        Shapes.require(model + " state", "'" + name + "'", shape, t.shape());
        return t;
    }

    /** The state at position 0 holding zeros of each shape in {@code layout} (name to shape, in order). */
    public static LmState zeros(Map<String, int[]> layout) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        layout.forEach((name, shape) -> m.put(name, Tensor.zeros(shape)));
        return new LmState(m, 0);
    }

    /**
     * The tensors named in {@code layout}, in its order, each required to have the shape given there; errors
     * name the state of {@code model}.
     */
    public Map<String, Tensor> checked(String model, Map<String, int[]> layout) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        layout.forEach((name, shape) -> m.put(name, tensor(model, name, shape)));
        return m;
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** Tokens consumed so far (the position of the next token). */
    public long position() {
        return position;
    }

    /** The same values cut from the autograd graph (truncated back-propagation through time). */
    public LmState detach() {
        Map<String, Tensor> d = new LinkedHashMap<>();
        tensors.forEach((k, v) -> d.put(k, v.detach()));
        return new LmState(d, position);
    }

    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeLong(MAGIC);
            out.writeLong(position);
            out.writeInt(tensors.size());
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                out.writeUTF(e.getKey());
                int[] shape = e.getValue().shape();
                out.writeInt(shape.length);
                for (int d : shape) {
                    out.writeInt(d);
                }
                for (float f : e.getValue().data()) {
                    out.writeFloat(f);
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads what {@link #toBytes()} wrote; malformed bytes give a clear error. */
    public static LmState fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readLong() != MAGIC) {
                throw new RecurException("LmState: bytes do not start with the state magic RECURST1");
            }
            long position = in.readLong();
            int count = in.readInt();
            if (count < 0 || count > 1_000_000) {
                throw new RecurException("LmState: implausible tensor count " + count);
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int rank = in.readInt();
                if (rank < 0 || rank > 16) {
                    throw new RecurException("LmState: tensor '" + name + "' has implausible rank " + rank);
                }
                int[] shape = new int[rank];
                long n = 1;
                for (int d = 0; d < rank; d++) {
                    shape[d] = in.readInt();
                    n *= Math.max(shape[d], 0);
                }
                if (n * 4 > in.available()) {
                    throw new RecurException("LmState: tensor '" + name + "' needs " + n * 4
                            + " bytes, only " + in.available() + " remain");
                }
                float[] values = new float[(int) n];
                for (int j = 0; j < values.length; j++) {
                    values[j] = in.readFloat();
                }
                tensors.put(name, Tensor.of(values, shape));
            }
            return new LmState(tensors, position);
        } catch (IOException e) {
            throw new RecurException("LmState: truncated state bytes (" + data.length + " bytes)", e);
        }
    }
}
