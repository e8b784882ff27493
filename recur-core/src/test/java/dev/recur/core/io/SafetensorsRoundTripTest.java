package dev.recur.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes tensors of every dtype, reads them back, and checks the bytes against the format written by hand. */
class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void f32RoundTripIsExactIncludingSpecialValues() throws IOException {
        float[] values = {0f, -0f, 1.5f, -3.25e-40f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY,
            Float.NaN};
        Path file = dir.resolve("f32.safetensors");
        new SafetensorsWriter().add("w", Tensor.of(values.clone(), 2, 4)).write(file);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            Tensor t = f.readFloat("w");
            assertThat(t.shape()).containsExactly(2, 4);
            for (int i = 0; i < values.length; i++) {
                assertThat(Float.floatToRawIntBits(t.data()[i])).isEqualTo(Float.floatToRawIntBits(values[i]));
            }
            assertThat(f.info("w")).isEqualTo(new TensorInfo("w", DType.F32, new long[] {2, 4}, 0, 32));
        }
    }

    @Test
    void f64WidensExactlyAndNarrowsBack() throws IOException {
        float[] values = {1f / 3f, -7.125f, 1e-45f, 3.4e38f};
        Path file = dir.resolve("f64.safetensors");
        new SafetensorsWriter().add("x", Tensor.of(values.clone(), 4), DType.F64).write(file);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            ByteBuffer raw = f.raw("x");
            for (float v : values) {
                assertThat(raw.getDouble()).isEqualTo((double) v);
            }
            assertThat(f.readFloat("x").data()).containsExactly(values);
        }
    }

    @Test
    void halfTypesStoreTheRoundedValue() throws IOException {
        // 1 + 2^-11 is a tie in F16 and 1 + 2^-8 one in BF16 (both round to 1); 65504 is F16's max.
        float[] values = {1f + 0x1p-11f, 1f + 0x1p-8f, 65504f, -2f, 0x1p-24f};
        Path file = dir.resolve("half.safetensors");
        new SafetensorsWriter()
                .add("h", Tensor.of(values.clone(), 5), DType.F16)
                .add("b", Tensor.of(values.clone(), 5), DType.BF16)
                .write(file);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.readFloat("h").data()).containsExactly(1f, 1f + 0x1p-8f, 65504f, -2f, 0x1p-24f);
            assertThat(f.readFloat("b").data()).containsExactly(1f, 1f, 65536f, -2f, 0x1p-24f);
            ByteBuffer raw = f.raw("h");
            assertThat(raw.getShort(0) & 0xffff).isEqualTo(0x3c00);
            assertThat(raw.getShort(4) & 0xffff).isEqualTo(0x7bff);
        }
    }

    @Test
    void integerTypesRoundTripAtTheirLimits() throws IOException {
        Path file = dir.resolve("ints.safetensors");
        new SafetensorsWriter()
                .add("i64", IntTensor.of(new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, 4), DType.I64)
                .add("i32", IntTensor.of(new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE}, 2, 1), DType.I32)
                .add("i16", IntTensor.of(new int[] {-32768, 32767}, 2), DType.I16)
                .add("i8", IntTensor.of(new int[] {-128, 127}, 2), DType.I8)
                .add("u8", IntTensor.of(new int[] {0, 255}, 2), DType.U8)
                .add("bool", IntTensor.of(new int[] {1, 0, 1}, 3), DType.BOOL)
                .write(file);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.names()).containsExactly("bool", "i16", "i32", "i64", "i8", "u8");
            assertThat(f.readInt("i64").data()).containsExactly(Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE);
            assertThat(f.readInt("i32").shape()).containsExactly(2, 1);
            assertThat(f.readInt("i32").data()).containsExactly(Integer.MIN_VALUE, Integer.MAX_VALUE);
            assertThat(f.readInt("i16").data()).containsExactly(-32768, 32767);
            assertThat(f.readInt("i8").data()).containsExactly(-128, 127);
            assertThat(f.readInt("u8").data()).containsExactly(0, 255);
            assertThat(f.readInt("bool").data()).containsExactly(1, 0, 1);
            assertThat(f.raw("i64").getLong(0)).isEqualTo(Integer.MIN_VALUE);
            assertThat(f.info("u8").dtype()).isEqualTo(DType.U8);
        }
    }

    @Test
    void scalarsAndEmptyTensorsRoundTrip() throws IOException {
        Path file = dir.resolve("edge.safetensors");
        new SafetensorsWriter()
                .add("scalar", Tensor.scalar(2.5f))
                .add("empty", Tensor.zeros(0, 3))
                .add("ids", IntTensor.of(new int[0], 0), DType.I64)
                .write(file);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.readFloat("scalar").item()).isEqualTo(2.5f);
            assertThat(f.readFloat("scalar").shape()).isEmpty();
            assertThat(f.readFloat("empty").shape()).containsExactly(0, 3);
            assertThat(f.readInt("ids").size()).isZero();
        }
    }

    @Test
    void writesTheCanonicalLayoutByteForByte() throws IOException {
        Path file = dir.resolve("canon.safetensors");
        new SafetensorsWriter()
                .add("b", Tensor.of(new float[] {1f}, 1))
                .add("a", IntTensor.of(new int[] {7}, 1), DType.U8)
                .metadata("format", "pt")
                .write(file);
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[1,5]}}";
        int padded = (json.length() + 7) / 8 * 8;
        ByteBuffer expected = ByteBuffer.allocate(8 + padded + 5).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(padded).put(json.getBytes(StandardCharsets.US_ASCII));
        while (expected.position() < 8 + padded) {
            expected.put((byte) ' ');
        }
        expected.put((byte) 7).putFloat(1f);
        assertThat(Files.readAllBytes(file)).isEqualTo(expected.array());
    }

    @Test
    void twoWritesOfTheSameContentAreByteIdentical() throws IOException {
        Path first = dir.resolve("one.safetensors");
        Path second = dir.resolve("two.safetensors");
        write(first, false);
        write(second, true);
        assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
    }

    private static void write(Path file, boolean reversed) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        List<String> names = List.of("layer.0.weight", "layer.0.bias", "Ω", "embed", "a\"quote\\");
        for (int i = 0; i < names.size(); i++) {
            int k = reversed ? names.size() - 1 - i : i;
            float[] data = new float[k + 1];
            java.util.Arrays.fill(data, k * 0.5f);
            w.add(names.get(k), Tensor.of(data, k + 1), k % 2 == 0 ? DType.F32 : DType.BF16);
        }
        Map<String, String> meta = Map.of("step", "10", "format", "pt", "note", "tab\there");
        (reversed ? meta.entrySet().stream().sorted(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder()))
                : meta.entrySet().stream().sorted(Map.Entry.comparingByKey()))
                .forEach(e -> w.metadata(e.getKey(), e.getValue()));
        w.write(file);
    }

    @Test
    void metadataAndUnusualNamesSurviveTheRoundTrip() throws IOException {
        Path file = dir.resolve("meta.safetensors");
        write(file, false);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.metadata()).containsExactly(Map.entry("format", "pt"), Map.entry("note", "tab\there"),
                    Map.entry("step", "10"));
            assertThat(f.names()).containsExactly("a\"quote\\", "embed", "layer.0.bias", "layer.0.weight", "Ω");
            assertThat(f.contains("Ω")).isTrue();
            assertThat(f.readFloat("Ω").data()).containsExactly(1f, 1f, 1f);
            assertThat(Files.size(file) - 8 - f.headerLength()).isEqualTo(f.fileSize() - 8 - f.headerLength());
            assertThat((8 + f.headerLength()) % 8).isZero();
        }
    }

    @Test
    void writeReplacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Files.writeString(file, "old content");
        new SafetensorsWriter().add("x", Tensor.scalar(1f)).write(file);
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("model.safetensors");
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.readFloat("x").item()).isEqualTo(1f);
        }
    }

    @Test
    void writerRejectsBadInputNamingIt() {
        SafetensorsWriter w = new SafetensorsWriter().add("x", Tensor.scalar(1f));
        assertThatThrownBy(() -> w.add("x", Tensor.scalar(2f))).isInstanceOf(RecurException.class)
                .hasMessageContaining("\"x\" was already added");
        assertThatThrownBy(() -> w.add("__metadata__", Tensor.scalar(2f))).isInstanceOf(RecurException.class)
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> w.add("y", Tensor.scalar(2f), DType.I32)).isInstanceOf(RecurException.class)
                .hasMessageContaining("got I32");
        assertThatThrownBy(() -> w.add("z", IntTensor.of(new int[] {256}, 1), DType.U8))
                .isInstanceOf(RecurException.class).hasMessageContaining("expected a value in [0, 255], got 256");
        assertThatThrownBy(() -> w.add("b", IntTensor.of(new int[] {2}, 1), DType.BOOL))
                .isInstanceOf(RecurException.class).hasMessageContaining("[0, 1], got 2");
        assertThatThrownBy(() -> w.add("\ud800", Tensor.scalar(2f))).isInstanceOf(RecurException.class)
                .hasMessageContaining("unpaired surrogate");
        assertThatThrownBy(() -> w.metadata("k", "v").metadata("k", "w")).isInstanceOf(RecurException.class)
                .hasMessageContaining("already set");
    }

    @Test
    void readerRejectsWrongAccessorsAndOutOfRangeValues() throws IOException {
        Path file = dir.resolve("mixed.safetensors");
        new SafetensorsWriter().add("f", Tensor.scalar(1f))
                .add("i", IntTensor.of(new int[] {1}, 1), DType.I64).write(file);
        // Patch the I64 value to 2^31, which has no int32 form.
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(bytes.length - 8, 1L << 31);
        Files.write(file, bytes);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThatThrownBy(() -> f.readInt("f")).isInstanceOf(RecurException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("got F32; read it with readFloat");
            assertThatThrownBy(() -> f.readFloat("i")).isInstanceOf(RecurException.class)
                    .hasMessageContaining("got I64; read it with readInt");
            assertThatThrownBy(() -> f.readInt("i")).isInstanceOf(RecurException.class)
                    .hasMessageContaining("element 0: expected an I64 value in the int32 range, got 2147483648");
            assertThatThrownBy(() -> f.info("missing")).isInstanceOf(RecurException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("no tensor named \"missing\"");
        }
    }
}
