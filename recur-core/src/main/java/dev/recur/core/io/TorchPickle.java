package dev.recur.core.io;

import dev.recur.core.io.pickle.PickleDict;
import dev.recur.core.io.pickle.PickleHooks;
import dev.recur.core.io.pickle.PickleRefusal;
import dev.recur.core.io.pickle.PickleTuple;
import dev.recur.core.io.pickle.PickleValues;
import java.util.Map;

/**
 * The globals, calls and persistent ids a {@code torch.save} state dict may use, and nothing else: the same
 * short list as {@code torch.load(weights_only=True)} needs for a dict of tensors (PyTorch's
 * {@code torch/_weights_only_unpickler.py}). {@code collections.OrderedDict()} makes the dict,
 * {@code torch._utils._rebuild_tensor_v2} a tensor view over a storage, {@code _rebuild_parameter} (and
 * {@code _rebuild_parameter_with_state}) wraps one as a parameter, and a persistent id
 * {@code ('storage', torch.FloatStorage, key, location, numel)} names the archive record {@code data/<key>} that
 * holds a storage's bytes. Every other global is refused by name, so a pickle cannot reach {@code os.system},
 * {@code builtins.eval} or any other callable.
 */
final class TorchPickle implements PickleHooks {
    /** A storage a persistent id names: its element type, its record key, and its length in elements. */
    record Storage(DType dtype, String key, long numel) {
        @Override
        public String toString() {
            return "a storage";
        }
    }

    /** A tensor view that {@code _rebuild_tensor_v2} describes. */
    record TensorView(Storage storage, long offset, long[] shape, long[] stride) {
        @Override
        public String toString() {
            return "a tensor";
        }
    }

    private enum Function {
        ORDERED_DICT("collections", "OrderedDict"),
        REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2"),
        REBUILD_PARAMETER("torch._utils", "_rebuild_parameter"),
        REBUILD_PARAMETER_WITH_STATE("torch._utils", "_rebuild_parameter_with_state");

        final String module;
        final String name;

        Function(String module, String name) {
            this.module = module;
            this.name = name;
        }

        @Override
        public String toString() {
            return "the function " + module + "." + name;
        }
    }

    /** A {@code torch.XxxStorage} class: the element type of the storages it names. */
    private record StorageType(String name, DType dtype) {
        @Override
        public String toString() {
            return "the class torch." + name;
        }
    }

    /** Most dimensions of a tensor. */
    private static final int MAX_RANK = 64;

    private static final Map<String, DType> STORAGE_TYPES = Map.of(
            "FloatStorage", DType.F32,
            "HalfStorage", DType.F16,
            "BFloat16Storage", DType.BF16,
            "DoubleStorage", DType.F64,
            "LongStorage", DType.I64,
            "IntStorage", DType.I32,
            "ShortStorage", DType.I16,
            "CharStorage", DType.I8,
            "ByteStorage", DType.U8,
            "BoolStorage", DType.BOOL);

    @Override
    public Object global(String module, String name) {
        for (Function f : Function.values()) {
            if (f.module.equals(module) && f.name.equals(name)) {
                return f;
            }
        }
        if (module.equals("torch") && STORAGE_TYPES.containsKey(name)) {
            return new StorageType(name, STORAGE_TYPES.get(name));
        }
        String global = "pickle global '" + module + "." + name + "'";
        if (module.equals("torch") && name.endsWith("Storage")) {
            throw new PickleRefusal(global + " is a storage type Recur does not read: expected one of "
                    + "Float, Half, BFloat16, Double, Long, Int, Short, Char, Byte or Bool storages");
        }
        throw new PickleRefusal(global + " is not allowed in a state dict (allowed: collections.OrderedDict, "
                + "torch._utils._rebuild_tensor_v2, _rebuild_parameter, _rebuild_parameter_with_state and the "
                + "torch storage types)");
    }

    @Override
    public Object call(Object callable, PickleTuple args) {
        if (!(callable instanceof Function f)) {
            throw new PickleRefusal("REDUCE: " + PickleValues.describe(callable) + " cannot be called in a state "
                    + "dict");
        }
        return switch (f) {
            case ORDERED_DICT -> {
                arity(f, args, 0, 0);
                yield new PickleDict(true);
            }
            case REBUILD_TENSOR_V2 -> rebuildTensor(args);
            case REBUILD_PARAMETER -> {
                arity(f, args, 3, 3);
                yield tensorArgument(f, args.get(0));
            }
            case REBUILD_PARAMETER_WITH_STATE -> {
                arity(f, args, 4, 4);
                yield tensorArgument(f, args.get(0));
            }
        };
    }

    /** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
    private static TensorView rebuildTensor(PickleTuple args) {
        Function f = Function.REBUILD_TENSOR_V2;
        arity(f, args, 6, 7);
        if (!(args.get(0) instanceof Storage storage)) {
            throw new PickleRefusal(f + ": argument storage: expected a storage (a persistent id), got "
                    + PickleValues.describe(args.get(0)));
        }
        long offset = nonNegative(f, "storage_offset", args.get(1));
        long[] shape = longs(f, "size", args.get(2));
        long[] stride = longs(f, "stride", args.get(3));
        if (shape.length != stride.length) {
            throw new PickleRefusal(f + ": expected as many strides as dimensions, got size of " + shape.length
                    + " and stride of " + stride.length);
        }
        if (!(args.get(4) instanceof Boolean)) {
            throw new PickleRefusal(f + ": argument requires_grad: expected a bool, got "
                    + PickleValues.describe(args.get(4)));
        }
        return new TensorView(storage, offset, shape, stride);
    }

    private static TensorView tensorArgument(Function f, Object data) {
        if (!(data instanceof TensorView t)) {
            throw new PickleRefusal(f + ": argument data: expected a tensor, got " + PickleValues.describe(data));
        }
        return t;
    }

    private static void arity(Function f, PickleTuple args, int min, int max) {
        if (args.size() < min || args.size() > max) {
            String expected = min == max ? String.valueOf(min) : min + " to " + max;
            throw new PickleRefusal(f + ": expected " + expected + " arguments, got " + args.size());
        }
    }

    private static long nonNegative(Function f, String what, Object v) {
        if (!(v instanceof Long n) || n < 0) {
            throw new PickleRefusal(f + ": " + what + ": expected a non-negative int, got "
                    + PickleValues.describe(v));
        }
        return n;
    }

    private static long[] longs(Function f, String what, Object v) {
        if (!(v instanceof PickleTuple t)) {
            throw new PickleRefusal(f + ": " + what + ": expected a tuple of ints, got " + PickleValues.describe(v));
        }
        if (t.size() > MAX_RANK) {
            throw new PickleRefusal(f + ": " + what + ": expected at most " + MAX_RANK + " dimensions, got "
                    + t.size());
        }
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = nonNegative(f, what + "[" + i + "]", t.get(i));
        }
        return out;
    }

    /** {@code ('storage', storage_type, key, location, numel)}. */
    @Override
    public Object persistentLoad(Object id) {
        if (!(id instanceof PickleTuple t) || t.size() != 5 || !"storage".equals(t.get(0))) {
            throw new PickleRefusal("persistent id: expected ('storage', type, key, location, numel), got "
                    + PickleValues.describe(id));
        }
        if (!(t.get(1) instanceof StorageType type)) {
            throw new PickleRefusal("persistent id: expected a torch storage type, got "
                    + PickleValues.describe(t.get(1)));
        }
        if (!(t.get(2) instanceof String key) || key.isEmpty() || key.contains("/") || key.contains("\\")) {
            throw new PickleRefusal("persistent id: expected a storage key that is a plain record name, got "
                    + PickleValues.describe(t.get(2)));
        }
        if (!(t.get(3) instanceof String)) {
            throw new PickleRefusal("persistent id: expected a location string (\"cpu\", \"cuda:0\"), got "
                    + PickleValues.describe(t.get(3)));
        }
        if (!(t.get(4) instanceof Long numel) || numel < 0) {
            throw new PickleRefusal("persistent id: expected a non-negative element count, got "
                    + PickleValues.describe(t.get(4)));
        }
        return new Storage(type.dtype(), key, numel);
    }

    /** PyTorch sets a state dict's {@code _metadata} (module versions) with {@code BUILD}; it is kept, not used. */
    @Override
    public void build(Object target, Object state) {
        if (!(target instanceof PickleDict dict)) {
            throw new PickleRefusal("BUILD: expected to set the state of a dict, got " + PickleValues.describe(target));
        }
        dict.setState(state);
    }
}
