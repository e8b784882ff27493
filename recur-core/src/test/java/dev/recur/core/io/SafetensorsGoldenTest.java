package dev.recur.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads every safetensors file of the PyTorch reference cases and checks it against what PyTorch wrote: the
 * case manifest (loss, parameter and gradient counts, output shapes), a plain little-endian decode of the file's
 * bytes, and, for files whose tensors are all F32, a byte-identical rewrite by {@link SafetensorsWriter}.
 */
class SafetensorsGoldenTest {
    private static final Pattern MANIFEST_LINE = Pattern.compile("public/(\\S+): ok (.*)");

    @TempDir
    Path dir;

    static Path goldenDir() {
        String shared = System.getProperty("recur.shared.dir");
        Path golden = shared == null ? null : Path.of(shared, "golden");
        Assumptions.assumeTrue(golden != null && Files.isDirectory(golden),
                "golden reference cases absent (system property recur.shared.dir=" + shared + "): skipped");
        return golden;
    }

    static Stream<Path> files() throws IOException {
        Path golden = goldenDir();
        List<Path> out = new ArrayList<>();
        try (Stream<Path> cases = Files.list(golden)) {
            for (Path c : cases.filter(Files::isDirectory).sorted().toList()) {
                for (String name : List.of("model.safetensors", "io.safetensors", "grads.safetensors")) {
                    if (Files.exists(c.resolve(name))) {
                        out.add(c.resolve(name));
                    }
                }
            }
        }
        Assumptions.assumeFalse(out.isEmpty(), "no safetensors files under " + golden + ": skipped");
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void readsEveryTensorAsAPlainDecodeOfTheBytes(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer whole = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long dataStart = 8 + whole.getLong(0);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.names()).isNotEmpty().isSorted();
            for (String name : f.names()) {
                TensorInfo info = f.info(name);
                int at = (int) (dataStart + info.begin());
                if (info.dtype() == DType.F32) {
                    Tensor t = f.readFloat(name);
                    assertThat(java.util.Arrays.stream(t.shape()).asLongStream().toArray()).isEqualTo(info.shape());
                    for (int i = 0; i < t.size(); i++) {
                        assertThat(t.data()[i]).isEqualTo(whole.getFloat(at + 4 * i));
                    }
                } else if (info.dtype() == DType.I64) {
                    IntTensor t = f.readInt(name);
                    for (int i = 0; i < t.size(); i++) {
                        assertThat((long) t.data()[i]).isEqualTo(whole.getLong(at + 8 * i));
                    }
                } else {
                    throw new AssertionError("unexpected dtype in the reference cases: " + info);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void rewritingAnAllF32FileReproducesPyTorchsBytes(Path file) throws IOException {
        Path copy = dir.resolve("copy.safetensors");
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            boolean allF32 = f.names().stream().allMatch(n -> f.info(n).dtype() == DType.F32);
            // PyTorch's writer orders tensors by alignment before name, so only single-dtype files can match.
            Assumptions.assumeTrue(allF32, "mixed dtypes: PyTorch's tensor order differs from Recur's");
            SafetensorsWriter w = new SafetensorsWriter();
            f.metadata().forEach(w::metadata);
            for (String name : f.names()) {
                w.add(name, f.readFloat(name));
            }
            w.write(copy);
        }
        assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(file));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifestCases")
    void matchesTheCaseManifest(String caseName, Map<String, String> facts) throws IOException {
        Path c = goldenDir().resolve(caseName);
        try (SafetensorsFile io = SafetensorsFile.open(c.resolve("io.safetensors"))) {
            if (facts.containsKey("out")) {
                assertThat(shapeText(io.info("output").shape())).isEqualTo(facts.get("out"));
            }
            if (facts.containsKey("logits")) {
                assertThat(shapeText(io.info("logits").shape())).isEqualTo(facts.get("logits"));
                assertThat(io.readInt("input_ids").shape()).containsExactly(3, 11);
            }
            if (facts.containsKey("loss")) {
                assertThat(io.readFloat("loss").data()[0]).isCloseTo(Float.parseFloat(facts.get("loss")), within(6e-6f));
            }
        }
        if (facts.containsKey("params")) {
            try (SafetensorsFile model = SafetensorsFile.open(c.resolve("model.safetensors"))) {
                long params = model.names().stream().mapToLong(n -> model.info(n).numel()).sum();
                assertThat(params).isEqualTo(Long.parseLong(facts.get("params")));
            }
            try (SafetensorsFile grads = SafetensorsFile.open(c.resolve("grads.safetensors"))) {
                assertThat(grads.names()).hasSize(Integer.parseInt(facts.get("grads")));
            }
        }
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> manifestCases() throws IOException {
        Path manifest = goldenDir().resolve("MANIFEST.txt");
        Assumptions.assumeTrue(Files.exists(manifest), "no MANIFEST.txt in the golden folder: skipped");
        List<org.junit.jupiter.params.provider.Arguments> out = new ArrayList<>();
        for (String line : Files.readAllLines(manifest)) {
            Matcher m = MANIFEST_LINE.matcher(line.trim());
            if (m.matches() && Files.isDirectory(goldenDir().resolve(m.group(1)))) {
                out.add(org.junit.jupiter.params.provider.Arguments.of(m.group(1), facts(m.group(2))));
            }
        }
        return out.stream();
    }

    /** Parses {@code out=(3, 11, 7) loss=4.39 params=18816} into a map; shapes keep their text. */
    private static Map<String, String> facts(String text) {
        Map<String, String> facts = new HashMap<>();
        Matcher m = Pattern.compile("(\\w+)=(\\([^)]*\\)|\\S+)").matcher(text);
        while (m.find()) {
            facts.put(m.group(1), m.group(2));
        }
        return facts;
    }

    private static String shapeText(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(")").toString();
    }
}
