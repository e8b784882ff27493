package dev.recur.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every tensor of each file that PyTorch 1.13's {@code torch.save} wrote ({@code src/test/python/make_pt_cases.py})
 * reads bit for bit as the contiguous copy of it that the script wrote beside it as safetensors: an
 * {@code nn.LSTM} state dict, every dtype (with infinities, NaN, signed zeros, subnormals), views that share a
 * storage (transposed, sliced, offset, strided, broadcast), parameters ({@code keep_vars=True}), and a file saved
 * with pickle protocol 4.
 */
class PtGoldenTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lstm", "dtypes", "views", "parameters", "protocol4"})
    void everyTensorEqualsItsSafetensorsTwinBitForBit(String name) throws IOException {
        Path pt = PtResources.copy(name + ".pt", dir);
        Path twin = PtResources.copy(name + ".safetensors", dir);
        try (TensorFile got = TensorFiles.open(pt); TensorFile want = TensorFiles.open(twin)) {
            assertThat(got).isInstanceOf(PtFile.class);
            assertThat(want).isInstanceOf(SafetensorsFile.class);
            assertThat(got.names()).isNotEmpty().isEqualTo(want.names());
            for (String tensor : want.names()) {
                TensorEntry expected = want.info(tensor);
                TensorEntry actual = got.info(tensor);
                assertThat(actual.dtype()).as(tensor).isEqualTo(expected.dtype());
                assertThat(actual.shape()).as(tensor).isEqualTo(expected.shape());
                if (expected.dtype().isFloating()) {
                    Tensor a = got.readFloat(tensor);
                    Tensor b = want.readFloat(tensor);
                    assertThat(a.shape()).as(tensor).isEqualTo(b.shape());
                    assertThat(bits(a.data())).as(tensor).containsExactly(bits(b.data()));
                } else {
                    IntTensor a = got.readInt(tensor);
                    IntTensor b = want.readInt(tensor);
                    assertThat(a.shape()).as(tensor).isEqualTo(b.shape());
                    assertThat(a.data()).as(tensor).containsExactly(b.data());
                }
            }
        }
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }
}
