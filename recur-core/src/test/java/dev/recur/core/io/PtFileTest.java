package dev.recur.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link PtFile} makes of PyTorch's files beyond their values: views, names, refusals, the factory. */
class PtFileTest {
    @TempDir
    Path dir;

    @Test
    void viewsKeepTheirStridesAndShareTheirBaseStorage() throws IOException {
        try (PtFile f = PtFile.open(PtResources.copy("views.pt", dir))) {
            PtTensorInfo base = f.info("base");
            PtTensorInfo transposed = f.info("transposed");
            assertThat(transposed.storageKey()).isEqualTo(base.storageKey());
            assertThat(transposed.stride()).containsExactly(1, 4);
            assertThat(transposed.contiguous()).isFalse();
            assertThat(f.info("tail").storageOffset()).isEqualTo(5);
            assertThat(f.info("every_third").stride()).containsExactly(3);
            assertThat(f.info("broadcast").stride()).containsExactly(0, 1);
            assertThat(f.info("cube").shape()).containsExactly(4, 1, 2);
            // base = arange(12).reshape(3, 4) * 0.5 - 1; transposed[j][i] = base[i][j] = (4i + j) / 2 - 1.
            assertThat(f.readFloat("transposed").data()).containsExactly(
                    -1f, 1f, 3f, -0.5f, 1.5f, 3.5f, 0f, 2f, 4f, 0.5f, 2.5f, 4.5f);
            assertThat(f.readFloat("element").shape()).isEmpty();
            assertThat(f.readFloat("element").item()).isEqualTo(2f);
        }
    }

    @Test
    void namesAreSortedAndEveryDtypeIsReported() throws IOException {
        try (TensorFile f = TensorFiles.open(PtResources.copy("dtypes.pt", dir))) {
            assertThat(f.names()).isSorted().contains("bf16", "bool", "f16", "f32", "f64", "i64", "u8");
            assertThat(f.info("bf16").dtype()).isEqualTo(DType.BF16);
            assertThat(f.info("bool").dtype()).isEqualTo(DType.BOOL);
            assertThat(f.info("empty").shape()).containsExactly(0, 3);
            assertThat(f.readFloat("empty").size()).isZero();
            assertThat(f.readInt("steps").data()).containsExactly(12345);
            assertThatThrownBy(() -> f.readInt("f32")).isInstanceOf(RecurException.class)
                    .hasMessageContaining("tensor \"f32\" (F32): expected an integer dtype");
            assertThatThrownBy(() -> f.readFloat("i64")).isInstanceOf(RecurException.class)
                    .hasMessageContaining("expected a float dtype");
            assertThatThrownBy(() -> f.info("absent")).isInstanceOf(RecurException.class)
                    .hasMessageStartingWith(f.path() + ": no tensor named \"absent\" (the file has 14 tensors: ");
        }
    }

    @Test
    void lstmStateDictHasPyTorchsNames() throws IOException {
        try (TensorFile f = TensorFiles.open(PtResources.copy("lstm.pt", dir))) {
            assertThat(f.names()).hasSize(16).contains("weight_ih_l0", "weight_hh_l1_reverse", "bias_ih_l1");
            assertThat(f.info("weight_ih_l1").shape()).containsExactly(16, 8);
        }
    }

    @Test
    void nestedCheckpointsAndNonTensorsAreRefusedByName() throws IOException {
        Path nested = PtResources.copy("nested.pt", dir);
        assertThatThrownBy(() -> PtFile.open(nested)).isExactlyInstanceOf(RecurException.class)
                .hasMessageStartingWith(nested + ": tensor \"model\" is an OrderedDict of 2 entries, not a tensor: "
                        + "expected a flat state dict");
        Path notTensor = PtResources.copy("not_a_tensor.pt", dir);
        assertThatThrownBy(() -> PtFile.open(notTensor)).isExactlyInstanceOf(RecurException.class)
                .hasMessage(notTensor + ": tensor \"step\": expected a tensor, got the int 3 (Recur reads state "
                        + "dicts of tensors only)");
    }

    @Test
    void theLegacyFormatIsRefusedWithAWayOut() throws IOException {
        Path legacy = PtResources.copy("legacy.pt", dir);
        assertThatThrownBy(() -> TensorFiles.open(legacy)).isExactlyInstanceOf(RecurException.class)
                .hasMessageStartingWith(legacy + ": expected a torch.save zip archive, got a bare pickle: the legacy")
                .hasMessageContaining("save it again with torch.save");
    }

    @Test
    void theFactoryGoesByContentThenByName() throws IOException {
        Path zipNamedSafetensors = Files.copy(PtResources.copy("lstm.pt", dir), dir.resolve("weights.safetensors"));
        Path safetensorsNamedBin = Files.copy(PtResources.copy("lstm.safetensors", dir), dir.resolve("weights.bin"));
        try (TensorFile a = TensorFiles.open(zipNamedSafetensors)) {
            assertThat(a).isInstanceOf(PtFile.class);
        }
        assertThat(TensorFiles.isTorchSave(safetensorsNamedBin)).isTrue();
        assertThatThrownBy(() -> TensorFiles.open(safetensorsNamedBin)).isInstanceOf(RecurException.class)
                .hasMessageContaining("expected a torch.save zip archive starting with \"PK\\3\\4\"");
        try (TensorFile b = TensorFiles.open(dir.resolve("lstm.safetensors"))) {
            assertThat(b).isInstanceOf(SafetensorsFile.class);
        }
        assertThatThrownBy(() -> TensorFiles.open(dir)).isInstanceOf(RecurException.class)
                .hasMessageContaining("got a folder");
    }

    @Test
    void findPrefersSafetensorsThenTheTorchNames() throws IOException {
        assertThat(TensorFiles.find(dir, "model")).isEqualTo(dir.resolve("model.safetensors"));
        Files.write(dir.resolve("model.pth"), new byte[0]);
        assertThat(TensorFiles.find(dir, "model")).isEqualTo(dir.resolve("model.pth"));
        Files.write(dir.resolve("model.pt"), new byte[0]);
        assertThat(TensorFiles.find(dir, "model")).isEqualTo(dir.resolve("model.pt"));
        Files.write(dir.resolve("model.safetensors"), new byte[0]);
        assertThat(TensorFiles.find(dir, "model")).isEqualTo(dir.resolve("model.safetensors"));
    }

    @Test
    void aBigEndianArchiveIsReadInItsOrder() throws IOException {
        byte[] pickle = new PickleBytes().proto(2).emptyDict().str("w")
                .tensor("FloatStorage", "0", 2, 0, new long[] {2}, new long[] {1}).setItem().stop().bytes();
        byte[] data = java.nio.ByteBuffer.allocate(8).putFloat(1.5f).putFloat(-2f).array();
        Path file = dir.resolve("big.pt");
        Files.write(file, new ZipBytes().add("big/data.pkl", pickle).add("big/byteorder", "big".getBytes())
                .add("big/data/0", data).add("big/version", "3\n".getBytes()).build());
        try (PtFile f = PtFile.open(file)) {
            assertThat(f.readFloat("w").data()).containsExactly(1.5f, -2f);
        }
    }

    @Test
    void zip64RecordsAreFollowed() throws IOException {
        byte[] pickle = new PickleBytes().proto(2).emptyDict().str("ids")
                .tensor("IntStorage", "7", 3, 1, new long[] {2}, new long[] {1}).setItem().stop().bytes();
        byte[] data = java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(9).putInt(-8)
                .putInt(7).array();
        Path file = dir.resolve("wide.pt");
        Files.write(file, new ZipBytes().zip64().add("a/data.pkl", pickle).add("a/data/7", data).build());
        try (PtFile f = PtFile.open(file)) {
            assertThat(f.readInt("ids").data()).containsExactly(-8, 7);
        }
    }

    @Test
    void theTestWriterRoundTrips() throws IOException {
        Map<String, Object> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.of(new float[] {1f, -0f, 3.5f, 1e-30f, Float.NaN, 7f}, 2, 3));
        tensors.put("ids", IntTensor.of(new int[] {4, -5}, 2));
        tensors.put("s", Tensor.scalar(0.25f));
        Path file = dir.resolve("written.pt");
        PtWriter.write(file, tensors);
        try (TensorFile f = TensorFiles.open(file)) {
            assertThat(f.names()).containsExactly("ids", "s", "w");
            assertThat(f.readFloat("w").data()).containsExactly(1f, -0f, 3.5f, 1e-30f, Float.NaN, 7f);
            assertThat(f.readFloat("w").shape()).containsExactly(2, 3);
            assertThat(f.readInt("ids").data()).containsExactly(4, -5);
            assertThat(f.readFloat("s").shape()).isEmpty();
        }
    }

    @Test
    void aClosedFileRefusesReads() throws IOException {
        PtFile f = PtFile.open(PtResources.copy("lstm.pt", dir));
        f.close();
        assertThatThrownBy(() -> f.readFloat("bias_ih_l0")).isInstanceOf(RecurException.class)
                .hasMessageContaining("the file is closed");
    }
}
