package dev.recur.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parameters written as safetensors load back bit for bit; a file of other names or shapes changes nothing. */
class ParameterFilesTest {
    @TempDir
    Path dir;

    private static Parameters params(long seed, int cols) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", Tensor.randn(new Rng(seed), 1f, 3, cols).requiresGrad(true));
        m.put("b", Tensor.randn(new Rng(seed + 1), 1f, cols).requiresGrad(true));
        return Parameters.of(m);
    }

    @Test
    void roundTripsEveryBit() throws IOException {
        Parameters a = params(1, 4);
        Path f = dir.resolve("p.safetensors");
        ParameterFiles.write(a, f);
        Parameters b = params(2, 4);
        ParameterFiles.load(b, f);
        for (NamedParameter p : a) {
            assertArrayEquals(p.value().data(), b.get(p.name()).value().data(), p.name());
        }
    }

    @Test
    void refusesOtherShapesAndNamesWithoutChangingAnything() throws IOException {
        Path f = dir.resolve("p.safetensors");
        ParameterFiles.write(params(1, 5), f);
        Parameters b = params(2, 4);
        float[] before = b.get("w").value().data().clone();
        RecurException e = assertThrows(RecurException.class, () -> ParameterFiles.load(b, f));
        assertTrue(e.getMessage().contains("tensor 'w'"), e.getMessage());
        assertArrayEquals(before, b.get("w").value().data());
        Map<String, Tensor> one = new LinkedHashMap<>();
        one.put("w", Tensor.zeros(3, 4).requiresGrad(true));
        ParameterFiles.write(Parameters.of(one), f);
        assertTrue(assertThrows(RecurException.class, () -> ParameterFiles.load(b, f)).getMessage()
                .contains("expected a tensor 'b', got none"));
    }
}
