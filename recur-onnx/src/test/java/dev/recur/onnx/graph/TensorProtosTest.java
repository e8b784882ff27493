package dev.recur.onnx.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.recur.core.RecurException;
import dev.recur.onnx.proto.TensorProto;
import dev.recur.onnx.proto.TensorProto.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** TensorProto values from every field the specification assigns, against values written out by hand. */
class TensorProtosTest {
    private static TensorProto.Builder tensor(DataType type, long... dims) {
        TensorProto.Builder b = TensorProto.newBuilder().setName("t").setDataType(type.getNumber());
        for (long d : dims) {
            b.addDims(d);
        }
        return b;
    }

    private static ByteString bytes(int capacity, java.util.function.Consumer<ByteBuffer> fill) {
        ByteBuffer buf = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(buf);
        return ByteString.copyFrom(buf.array());
    }

    @Test
    void floatsFromTypedFieldAndFromRawBytes() {
        Value typed = TensorProtos.read(tensor(DataType.FLOAT, 2, 2).addFloatData(1f).addFloatData(-2.5f)
                .addFloatData(0f).addFloatData(3e-8f).build(), "t");
        assertThat(typed.shape()).containsExactly(2, 2);
        assertThat(typed.floatData("t")).containsExactly(1f, -2.5f, 0f, 3e-8f);
        Value raw = TensorProtos.read(tensor(DataType.FLOAT, 3).setRawData(bytes(12, b -> b.putFloat(1f)
                .putFloat(-2f).putFloat(7.25f))).build(), "t");
        assertThat(raw.floatData("t")).containsExactly(1f, -2f, 7.25f);
    }

    @Test
    void narrowAndWideFloatsBecomeFloat32() {
        // float16 0x3c00 = 1, 0xc100 = -2.5, 0x0001 = 2^-24 (smallest subnormal), 0x7c00 = +inf.
        Value half = TensorProtos.read(tensor(DataType.FLOAT16, 4).addInt32Data(0x3c00).addInt32Data(0xc100)
                .addInt32Data(0x0001).addInt32Data(0x7c00).build(), "t");
        assertThat(half.floatData("t")).containsExactly(1f, -2.5f, 0x1p-24f, Float.POSITIVE_INFINITY);
        // bfloat16 is the top half of a float32: 0x3fc0 = 1.5.
        Value brain = TensorProtos.read(tensor(DataType.BFLOAT16, 1).setRawData(bytes(2, b -> b.putShort(
                (short) 0x3fc0))).build(), "t");
        assertThat(brain.floatData("t")).containsExactly(1.5f);
        Value dbl = TensorProtos.read(tensor(DataType.DOUBLE, 2).addDoubleData(0.1).addDoubleData(-4).build(), "t");
        assertThat(dbl.floatData("t")).containsExactly(0.1f, -4f);
    }

    @Test
    void integersOfEveryWidthBecomeInt64() {
        assertThat(TensorProtos.read(tensor(DataType.INT32, 2).addInt32Data(-7).addInt32Data(9).build(), "t")
                .longData("t")).containsExactly(-7L, 9L);
        assertThat(TensorProtos.read(tensor(DataType.INT64).setRawData(bytes(8, b -> b.putLong(1L << 40))).build(),
                "t").longData("t")).containsExactly(1L << 40);
        assertThat(TensorProtos.read(tensor(DataType.UINT8, 2).setRawData(ByteString.copyFrom(new byte[] {(byte) 200,
                3})).build(), "t").longData("t")).containsExactly(200L, 3L);
        assertThat(TensorProtos.read(tensor(DataType.INT8, 1).setRawData(ByteString.copyFrom(new byte[] {(byte) 200}))
                .build(), "t").longData("t")).containsExactly(-56L);
    }

    @Test
    void writeThenReadGivesTheSameValues() {
        Value f = Value.floats(new float[] {1f, -0f, Float.MIN_VALUE, 65504f, -3.5f, 2f}, 3, 2);
        Value back = TensorProtos.read(TensorProtos.write("w", f), "w");
        assertThat(back.shape()).containsExactly(3, 2);
        assertThat(back.floatData("w")).containsExactly(f.floatData("w"));
        Value l = Value.longs(new long[] {Long.MIN_VALUE, 0, 5}, 3);
        assertThat(TensorProtos.read(TensorProtos.write("i", l), "i").longData("i")).containsExactly(Long.MIN_VALUE,
                0L, 5L);
    }

    @Test
    void refusesCountsThatDoNotFitTheShapeAndUnsupportedTypes() {
        assertThatThrownBy(() -> TensorProtos.read(tensor(DataType.FLOAT, 2, 2).addFloatData(1f).build(), "x.pb"))
                .isInstanceOf(RecurException.class).hasMessage("x.pb: holds 1 values, its shape [2, 2] needs 4");
        assertThatThrownBy(() -> TensorProtos.read(tensor(DataType.FLOAT, 2).setRawData(ByteString.copyFrom(
                new byte[7])).build(), "x.pb")).isInstanceOf(RecurException.class)
                .hasMessage("x.pb: raw_data holds 7 bytes, expected 2 values of 4 bytes");
        assertThatThrownBy(() -> TensorProtos.read(tensor(DataType.STRING, 1).build(), "x.pb"))
                .isInstanceOf(RecurException.class).hasMessageStartingWith("x.pb: data_type STRING is not supported");
    }
}
