package dev.recur.onnx.graph;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.recur.core.RecurException;
import dev.recur.onnx.proto.TensorProto;
import dev.recur.onnx.proto.TensorProto.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Converts between ONNX's {@code TensorProto} and {@link Value}. Reading takes the values from
 * {@code raw_data} (little-endian, row-major) or from the typed field the specification assigns to the data
 * type ({@code float_data}, {@code int32_data} for the narrow integers, booleans and 16-bit floats,
 * {@code int64_data}, {@code double_data}, {@code uint64_data}); floats of any width become float32 and
 * integers int64. Writing uses {@code raw_data}. Strings, complex numbers and external data are refused.
 */
public final class TensorProtos {
    private TensorProtos() {}

    /** Reads a serialized TensorProto file (as ONNX's backend tests store inputs and outputs). */
    public static TensorProto readFile(Path file) throws IOException {
        try {
            return TensorProto.parseFrom(Files.readAllBytes(file));
        } catch (InvalidProtocolBufferException e) {
            throw new RecurException(file + ": not a serialized ONNX TensorProto (" + e.getMessage() + ")", e);
        }
    }

    /** The tensor's values; {@code what} names it in errors (a file, an initializer). */
    public static Value read(TensorProto t, String what) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
            throw new RecurException(what + ": tensor data stored in an external file is not supported");
        }
        int[] shape = dims(t.getDimsList(), what);
        int n = count(shape, what);
        DataType type = DataType.forNumber(t.getDataType());
        if (type == null) {
            throw new RecurException(what + ": unknown data_type " + t.getDataType());
        }
        int width = rawWidth(type, what);
        ByteBuffer raw = null;
        if (t.hasRawData()) {
            // slice(): a substring's buffer starts at its offset, and the reads below are absolute.
            raw = t.getRawData().asReadOnlyByteBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
            if (raw.remaining() != (long) n * width) {
                throw new RecurException(what + ": raw_data holds " + raw.remaining() + " bytes, expected " + n
                        + " values of " + width + " bytes");
            }
        } else {
            int count = typedCount(t, type);
            if (count != n) {
                throw new RecurException(what + ": holds " + count + " values, its shape " + Arrays.toString(shape)
                        + " needs " + n);
            }
        }
        switch (type) {
            case FLOAT: {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = raw != null ? raw.getFloat(4 * i) : t.getFloatData(i);
                }
                return Value.floats(f, shape);
            }
            case DOUBLE: {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) (raw != null ? raw.getDouble(8 * i) : t.getDoubleData(i));
                }
                return Value.floats(f, shape);
            }
            case FLOAT16:
            case BFLOAT16: {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    int bits = (raw != null ? raw.getShort(2 * i) : t.getInt32Data(i)) & 0xffff;
                    f[i] = type == DataType.BFLOAT16 ? Float.intBitsToFloat(bits << 16) : HalfFloats.toFloat(bits);
                }
                return Value.floats(f, shape);
            }
            default: {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = raw != null ? rawInteger(raw, type, i) : typedInteger(t, type, i);
                }
                return Value.longs(l, shape);
            }
        }
    }

    private static int rawWidth(DataType type, String what) {
        switch (type) {
            case DOUBLE:
            case INT64:
            case UINT64:
                return 8;
            case FLOAT:
            case INT32:
            case UINT32:
                return 4;
            case FLOAT16:
            case BFLOAT16:
            case INT16:
            case UINT16:
                return 2;
            case INT8:
            case UINT8:
            case BOOL:
                return 1;
            default:
                throw new RecurException(what + ": data_type " + type + " is not supported; Recur reads float, "
                        + "double, float16, bfloat16, integer and bool tensors");
        }
    }

    /** How many values the typed field that the specification assigns to {@code type} holds. */
    private static int typedCount(TensorProto t, DataType type) {
        switch (type) {
            case FLOAT:
                return t.getFloatDataCount();
            case DOUBLE:
                return t.getDoubleDataCount();
            case INT64:
                return t.getInt64DataCount();
            case UINT64:
            case UINT32:
                return t.getUint64DataCount();
            default:
                return t.getInt32DataCount();
        }
    }

    private static long rawInteger(ByteBuffer raw, DataType type, int i) {
        switch (type) {
            case INT64:
            case UINT64:
                return raw.getLong(8 * i);
            case INT32:
                return raw.getInt(4 * i);
            case UINT32:
                return raw.getInt(4 * i) & 0xffffffffL;
            case INT16:
                return raw.getShort(2 * i);
            case UINT16:
                return raw.getShort(2 * i) & 0xffff;
            case INT8:
                return raw.get(i);
            default:
                return raw.get(i) & 0xff;
        }
    }

    private static long typedInteger(TensorProto t, DataType type, int i) {
        switch (type) {
            case INT64:
                return t.getInt64Data(i);
            case UINT64:
            case UINT32:
                return t.getUint64Data(i);
            default:
                return t.getInt32Data(i);
        }
    }

    /** A float32 or int64 TensorProto named {@code name} holding {@code v} in {@code raw_data}. */
    public static TensorProto write(String name, Value v) {
        int[] shape = v.shape();
        TensorProto.Builder b = TensorProto.newBuilder().setName(name);
        for (int d : shape) {
            b.addDims(d);
        }
        ByteBuffer buf;
        if (v.isFloat()) {
            float[] f = v.floatData(name);
            buf = ByteBuffer.allocate(4 * f.length).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(f);
            b.setDataType(DataType.FLOAT_VALUE);
        } else {
            long[] l = v.longData(name);
            buf = ByteBuffer.allocate(8 * l.length).order(ByteOrder.LITTLE_ENDIAN);
            buf.asLongBuffer().put(l);
            b.setDataType(DataType.INT64_VALUE);
        }
        return b.setRawData(ByteString.copyFrom(buf.array())).build();
    }

    private static int[] dims(List<Long> dims, String what) {
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            long d = dims.get(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new RecurException(what + ": dimension " + i + " is " + d + ", expected 0 to 2^31-1");
            }
            shape[i] = (int) d;
        }
        return shape;
    }

    private static int count(int[] shape, String what) {
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new RecurException(what + ": shape " + Arrays.toString(shape)
                        + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }
}
