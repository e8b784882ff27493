package dev.recur.onnx.graph;

import java.util.Arrays;

/**
 * A graph input as the file declares it: its name, the kind of its values, its dimensions ({@code -1} where
 * the file names a symbolic size such as {@code batch} or gives none) and whether an initializer supplies a
 * default, which makes feeding it optional.
 */
public record GraphInput(String name, Value.Kind kind, int[] dims, boolean hasDefault) {
    public GraphInput {
        dims = dims == null ? null : dims.clone();
    }

    /** "input: float [batch, seq, 5]"-style text, {@code ?} for a size the file leaves open. */
    public String describe() {
        StringBuilder s = new StringBuilder(name).append(": ").append(kind == Value.Kind.FLOAT ? "float" : "int64");
        if (dims != null) {
            s.append(' ').append(Arrays.toString(Arrays.stream(dims).mapToObj(d -> d < 0 ? "?" : String.valueOf(d))
                    .toArray()));
        }
        return s.toString();
    }

    @Override
    public int[] dims() {
        return dims == null ? null : dims.clone();
    }
}
