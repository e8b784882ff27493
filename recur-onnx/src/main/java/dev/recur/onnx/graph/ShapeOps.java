package dev.recur.onnx.graph;

import dev.recur.onnx.proto.NodeProto;
import dev.recur.onnx.proto.TensorProto;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * The operators that move values without arithmetic, as ONNX defines them (opset 1 to 23): {@code Identity},
 * {@code Transpose}, {@code Reshape}, {@code Squeeze}, {@code Unsqueeze}, {@code Slice}, {@code Concat},
 * {@code Gather}, {@code Constant} and {@code Cast}. Where an attribute became an input in a later opset
 * ({@code axes}, {@code starts}/{@code ends}), both forms are read.
 */
public final class ShapeOps {
    private ShapeOps() {}

    /** Adds these operators to {@code ops} under their ONNX names. */
    public static void register(Map<String, OpFactory> ops) {
        ops.put("Identity", (node, label, opset) -> {
            new Attributes(node, label).requireKnown(Set.of());
            return in -> new Value[] {Inputs.required(label, in, 0, "input")};
        });
        ops.put("Transpose", ShapeOps::transpose);
        ops.put("Reshape", ShapeOps::reshape);
        ops.put("Squeeze", ShapeOps::squeeze);
        ops.put("Unsqueeze", ShapeOps::unsqueeze);
        ops.put("Slice", ShapeOps::slice);
        ops.put("Concat", ShapeOps::concat);
        ops.put("Gather", ShapeOps::gather);
        ops.put("Constant", ShapeOps::constant);
        ops.put("Cast", ShapeOps::cast);
    }

    private static NodeKernel transpose(NodeProto node, NodeLabel label, int opset) {
        Attributes attrs = new Attributes(node, label);
        attrs.requireKnown(Set.of("perm"));
        long[] perm = attrs.ints("perm");
        return in -> {
            Value x = Inputs.required(label, in, 0, "data");
            int rank = x.rank();
            int[] p = new int[rank];
            if (perm == null) {
                for (int i = 0; i < rank; i++) {
                    p[i] = rank - 1 - i;
                }
            } else {
                if (perm.length != rank) {
                    throw label.error("attribute perm " + Arrays.toString(perm) + " does not fit input "
                            + x.describe());
                }
                boolean[] seen = new boolean[rank];
                for (int i = 0; i < rank; i++) {
                    p[i] = Inputs.axis(label, perm[i], rank);
                    if (seen[p[i]]) {
                        throw label.error("attribute perm " + Arrays.toString(perm) + " is not a permutation");
                    }
                    seen[p[i]] = true;
                }
            }
            return new Value[] {permute(label, x, p)};
        };
    }

    /** {@code x} with its axes reordered: output axis {@code i} is input axis {@code p[i]}. */
    public static Value permute(NodeLabel label, Value x, int[] p) {
        int[] shape = x.shape();
        int[] inStrides = Inputs.strides(shape);
        int[] outShape = new int[p.length];
        int[] strides = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            outShape[i] = shape[p[i]];
            strides[i] = inStrides[p[i]];
        }
        return x.select(outShape, walk(label, outShape, strides, 0));
    }

    /**
     * Source offsets of a strided walk: for each index of {@code shape} in row-major order, {@code base} plus the
     * sum of index times stride.
     */
    static int[] walk(NodeLabel label, int[] shape, int[] strides, int base) {
        int[] source = new int[Inputs.count(label, shape)];
        int[] idx = new int[shape.length];
        int offset = base;
        for (int i = 0; i < source.length; i++) {
            source[i] = offset;
            for (int a = shape.length - 1; a >= 0; a--) {
                if (++idx[a] < shape[a]) {
                    offset += strides[a];
                    break;
                }
                offset -= strides[a] * (shape[a] - 1);
                idx[a] = 0;
            }
        }
        return source;
    }

    private static NodeKernel reshape(NodeProto node, NodeLabel label, int opset) {
        Attributes attrs = new Attributes(node, label);
        attrs.requireKnown(Set.of("allowzero"));
        boolean allowZero = attrs.integer("allowzero", 0) != 0;
        return in -> {
            Value x = Inputs.required(label, in, 0, "data");
            long[] spec = Inputs.integers(label, Inputs.required(label, in, 1, "shape"), "shape");
            int[] shape = new int[spec.length];
            int infer = -1;
            long known = 1;
            for (int i = 0; i < spec.length; i++) {
                long d = spec[i];
                if (d == 0 && !allowZero) {
                    if (i >= x.rank()) {
                        throw label.error("shape " + Arrays.toString(spec) + " copies dimension " + i + " of input "
                                + x.describe() + ", which has none");
                    }
                    d = x.dim(i);
                }
                if (d == -1) {
                    if (infer >= 0) {
                        throw label.error("shape " + Arrays.toString(spec) + " has more than one -1");
                    }
                    infer = i;
                    continue;
                }
                if (d < 0 || d > Integer.MAX_VALUE) {
                    throw label.error("shape " + Arrays.toString(spec) + " has an invalid dimension " + d);
                }
                shape[i] = (int) d;
                known *= d;
            }
            if (infer >= 0) {
                if (known == 0 || x.size() % known != 0) {
                    throw label.error("cannot reshape input " + x.describe() + " to " + Arrays.toString(spec));
                }
                shape[infer] = (int) (x.size() / known);
                known *= shape[infer];
            }
            if (known != x.size()) {
                throw label.error("cannot reshape input " + x.describe() + " (" + x.size() + " values) to "
                        + Arrays.toString(spec));
            }
            return new Value[] {x.reshaped(shape)};
        };
    }

    /** Axes from the attribute (older opsets) or else from input 1 (opset 13 on); null when neither is given. */
    private static long[] axes(NodeLabel label, long[] attribute, Value[] in) {
        if (attribute != null) {
            return attribute;
        }
        Value v = Inputs.optional(in, 1);
        return v == null ? null : Inputs.integers(label, v, "axes");
    }

    private static NodeKernel squeeze(NodeProto node, NodeLabel label, int opset) {
        Attributes attrs = new Attributes(node, label);
        attrs.requireKnown(Set.of("axes"));
        long[] attribute = attrs.ints("axes");
        return in -> {
            Value x = Inputs.required(label, in, 0, "data");
            long[] axes = axes(label, attribute, in);
            boolean[] drop = new boolean[x.rank()];
            if (axes == null) {
                for (int a = 0; a < x.rank(); a++) {
                    drop[a] = x.dim(a) == 1;
                }
            } else {
                for (long axis : axes) {
                    int a = Inputs.axis(label, axis, x.rank());
                    if (x.dim(a) != 1) {
                        throw label.error("cannot squeeze axis " + axis + " of input " + x.describe()
                                + ": its size is not 1");
                    }
                    drop[a] = true;
                }
            }
            int[] shape = Arrays.stream(range(x.rank())).filter(a -> !drop[a]).map(x::dim).toArray();
            return new Value[] {x.reshaped(shape)};
        };
    }

    private static NodeKernel unsqueeze(NodeProto node, NodeLabel label, int opset) {
        Attributes attrs = new Attributes(node, label);
        attrs.requireKnown(Set.of("axes"));
        long[] attribute = attrs.ints("axes");
        return in -> {
            Value x = Inputs.required(label, in, 0, "data");
            long[] axes = axes(label, attribute, in);
            if (axes == null) {
                throw label.error("axes are required");
            }
            int rank = x.rank() + axes.length;
            boolean[] added = new boolean[rank];
            for (long axis : axes) {
                int a = Inputs.axis(label, axis, rank);
                if (added[a]) {
                    throw label.error("axes " + Arrays.toString(axes) + " repeat axis " + axis);
                }
                added[a] = true;
            }
            int[] shape = new int[rank];
            int next = 0;
            for (int a = 0; a < rank; a++) {
                shape[a] = added[a] ? 1 : x.dim(next++);
            }
            return new Value[] {x.reshaped(shape)};
        };
    }

    private static NodeKernel slice(NodeProto node, NodeLabel label, int opset) {
        Attributes attrs = new Attributes(node, label);
        attrs.requireKnown(Set.of("starts", "ends", "axes"));
        long[] startsAttr = attrs.ints("starts");
        long[] endsAttr = attrs.ints("ends");
        long[] axesAttr = attrs.ints("axes");
        boolean fromAttributes = startsAttr != null;
        return in -> {
            Value x = Inputs.required(label, in, 0, "data");
            long[] starts = fromAttributes ? startsAttr
                    : Inputs.integers(label, Inputs.required(label, in, 1, "starts"), "starts");
            long[] ends = fromAttributes ? endsAttr
                    : Inputs.integers(label, Inputs.required(label, in, 2, "ends"), "ends");
            Value axesIn = fromAttributes ? null : Inputs.optional(in, 3);
            Value stepsIn = fromAttributes ? null : Inputs.optional(in, 4);
            long[] axes = fromAttributes ? axesAttr : axesIn == null ? null : Inputs.integers(label, axesIn, "axes");
            long[] steps = stepsIn == null ? null : Inputs.integers(label, stepsIn, "steps");
            if (ends == null || ends.length != starts.length || (axes != null && axes.length != starts.length)
                    || (steps != null && steps.length != starts.length)) {
                throw label.error("starts, ends, axes and steps must have the same length");
            }
            int rank = x.rank();
            int[] begin = new int[rank];
            int[] step = new int[rank];
            int[] shape = x.shape();
            Arrays.fill(step, 1);
            for (int i = 0; i < starts.length; i++) {
                int a = Inputs.axis(label, axes == null ? i : axes[i], rank);
                long s = steps == null ? 1 : steps[i];
                if (s == 0 || Math.abs(s) > Integer.MAX_VALUE) {
                    throw label.error("step " + s + " on axis " + a + " is not supported");
                }
                long d = x.dim(a);
                long lo = starts[i] < 0 ? starts[i] + d : starts[i];
                long hi = ends[i] < 0 ? ends[i] + d : ends[i];
                if (s > 0) {
                    lo = Math.max(0, Math.min(d, lo));
                    hi = Math.max(0, Math.min(d, hi));
                } else {
                    lo = Math.max(0, Math.min(d - 1, lo));
                    hi = Math.max(-1, Math.min(d - 1, hi));
                }
                long n = s > 0 ? (hi - lo + s - 1) / s : (lo - hi - s - 1) / -s;
                begin[a] = (int) lo;
                step[a] = (int) s;
                shape[a] = (int) Math.max(0, n);
            }
            int[] inStrides = Inputs.strides(x.shape());
            int[] strides = new int[rank];
            int base = 0;
            for (int a = 0; a < rank; a++) {
                strides[a] = inStrides[a] * step[a];
                base += inStrides[a] * begin[a];
            }
            return new Value[] {x.select(shape, walk(label, shape, strides, base))};
        };
    }

    private static NodeKernel concat(NodeProto node, NodeLabel label, int opset) {
        Attributes attrs = new Attributes(node, label);
        attrs.requireKnown(Set.of("axis"));
        if (!attrs.has("axis")) {
            throw label.error("attribute axis is required");
        }
        long axisAttr = attrs.integer("axis", 0);
        return in -> {
            Value first = Inputs.required(label, in, 0, "inputs");
            int axis = Inputs.axis(label, axisAttr, first.rank());
            int[] shape = first.shape();
            shape[axis] = 0;
            for (int i = 0; i < in.length; i++) {
                Value v = Inputs.required(label, in, i, "inputs");
                boolean fits = v.rank() == first.rank() && v.kind() == first.kind();
                for (int a = 0; fits && a < v.rank(); a++) {
                    fits = a == axis || v.dim(a) == first.dim(a);
                }
                if (!fits) {
                    throw label.error("input " + i + " " + v.describe() + " does not fit input 0 "
                            + first.describe() + " along axis " + axis);
                }
                shape[axis] += v.dim(axis);
            }
            int outer = 1;
            for (int a = 0; a < axis; a++) {
                outer *= shape[a];
            }
            int total = Inputs.count(label, shape);
            int inner = total / Math.max(1, outer * shape[axis]);
            float[] floats = first.isFloat() ? new float[total] : null;
            long[] longs = first.isFloat() ? null : new long[total];
            int offset = 0;
            for (Value v : in) {
                int block = v.dim(axis) * inner;
                for (int o = 0; o < outer; o++) {
                    int to = o * shape[axis] * inner + offset;
                    if (floats != null) {
                        System.arraycopy(v.floatData("concat"), o * block, floats, to, block);
                    } else {
                        System.arraycopy(v.longData("concat"), o * block, longs, to, block);
                    }
                }
                offset += block;
            }
            return new Value[] {floats != null ? Value.floats(floats, shape) : Value.longs(longs, shape)};
        };
    }

    private static NodeKernel gather(NodeProto node, NodeLabel label, int opset) {
        Attributes attrs = new Attributes(node, label);
        attrs.requireKnown(Set.of("axis"));
        long axisAttr = attrs.integer("axis", 0);
        return in -> {
            Value data = Inputs.required(label, in, 0, "data");
            Value indices = Inputs.required(label, in, 1, "indices");
            long[] idx = indices.longData(label + ": input indices");
            int axis = Inputs.axis(label, axisAttr, data.rank());
            int dim = data.dim(axis);
            int outer = 1;
            for (int a = 0; a < axis; a++) {
                outer *= data.dim(a);
            }
            int inner = data.size() / Math.max(1, outer * dim);
            int[] shape = new int[data.rank() - 1 + indices.rank()];
            int k = 0;
            for (int a = 0; a < axis; a++) {
                shape[k++] = data.dim(a);
            }
            for (int a = 0; a < indices.rank(); a++) {
                shape[k++] = indices.dim(a);
            }
            for (int a = axis + 1; a < data.rank(); a++) {
                shape[k++] = data.dim(a);
            }
            int[] source = new int[Inputs.count(label, shape)];
            int n = 0;
            for (int o = 0; o < outer; o++) {
                for (long raw : idx) {
                    long j = raw < 0 ? raw + dim : raw;
                    if (j < 0 || j >= dim) {
                        throw label.error("index " + raw + " is out of range [" + -dim + ", " + dim + ") on axis "
                                + axis + " of input " + data.describe());
                    }
                    for (int i = 0; i < inner; i++) {
                        source[n++] = (o * dim + (int) j) * inner + i;
                    }
                }
            }
            return new Value[] {data.select(shape, source)};
        };
    }

    private static NodeKernel constant(NodeProto node, NodeLabel label, int opset) {
        Attributes attrs = new Attributes(node, label);
        attrs.requireKnown(Set.of("value", "value_float", "value_floats", "value_int", "value_ints"));
        if (attrs.names().size() != 1) {
            throw label.error("expected exactly one of value, value_float, value_floats, value_int, value_ints; got "
                    + attrs.names());
        }
        Value v;
        TensorProto t = attrs.tensor("value");
        if (t != null) {
            v = TensorProtos.read(t, label + ": attribute value");
        } else if (attrs.has("value_float")) {
            v = Value.floats(new float[] {attrs.real("value_float", 0f)});
        } else if (attrs.has("value_floats")) {
            float[] f = attrs.floats("value_floats");
            v = Value.floats(f, f.length);
        } else if (attrs.has("value_int")) {
            v = Value.longs(new long[] {attrs.integer("value_int", 0)});
        } else {
            long[] l = attrs.ints("value_ints");
            v = Value.longs(l, l.length);
        }
        Value result = v;
        return in -> new Value[] {result};
    }

    private static NodeKernel cast(NodeProto node, NodeLabel label, int opset) {
        Attributes attrs = new Attributes(node, label);
        attrs.requireKnown(Set.of("to", "saturate", "round_mode"));
        int to = (int) attrs.integer("to", -1);
        TensorProto.DataType type = TensorProto.DataType.forNumber(to);
        boolean toFloat;
        if (type == TensorProto.DataType.FLOAT || type == TensorProto.DataType.DOUBLE
                || type == TensorProto.DataType.FLOAT16 || type == TensorProto.DataType.BFLOAT16) {
            toFloat = true;
        } else if (type == TensorProto.DataType.INT64 || type == TensorProto.DataType.INT32) {
            toFloat = false;
        } else {
            throw label.error("attribute to " + (type == null ? to : type) + " is not supported; Recur casts to "
                    + "float and integer types");
        }
        return in -> {
            Value x = Inputs.required(label, in, 0, "input");
            if (toFloat) {
                return new Value[] {x.isFloat() ? x : Value.floats(x.asFloats(), x.shape())};
            }
            if (!x.isFloat()) {
                return new Value[] {x};
            }
            float[] f = x.floatData("cast");
            long[] l = new long[f.length];
            for (int i = 0; i < f.length; i++) {
                l[i] = (long) f[i];
            }
            return new Value[] {Value.longs(l, x.shape())};
        };
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
