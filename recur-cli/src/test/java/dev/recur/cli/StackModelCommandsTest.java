package dev.recur.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.io.DType;
import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.io.SafetensorsWriter;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.NextTokenLoss;
import dev.recur.layers.stack.StackConfig;
import dev.recur.layers.stack.StackLm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A saved {@code recur_stack} folder works with {@code recur score}, {@code generate} and {@code eval}: the
 * scores are the model's own logits and loss, the greedy generation is the argmax loop over the model in process,
 * and eval's bits per byte is the next-token loss over the text in bits.
 */
class StackModelCommandsTest {
    @TempDir
    Path dir;
    private StackLm model;
    private Path folder;

    @BeforeEach
    void saveModel() throws Exception {
        model = StackLm.create(StackConfig.of("gla,attn(heads=2),mamba", 256, 16, 24), new Rng(8));
        folder = dir.resolve("model");
        model.save(folder, Map.of("tokenizer", "bytes"));
    }

    @Test
    void scoreWritesTheModelsLogitsAndLoss() throws Exception {
        IntTensor ids = IntTensor.of(new int[] {72, 101, 108, 108, 111, 33, 10, 32, 1, 200}, 2, 5);
        Path in = dir.resolve("in.safetensors");
        new SafetensorsWriter().add("input_ids", ids, DType.I64).write(in);
        Path out = dir.resolve("out.safetensors");
        CliRun r = CliRun.of("score", "--model", folder.toString(), "--input", in.toString(), "--output",
                out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        Tensor logits = model.forward(ids, null).logits();
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            assertThat(f.readFloat("logits").data()).containsExactly(logits.data());
            assertThat(f.readFloat("loss").item()).isEqualTo(NextTokenLoss.of(logits, ids).item());
        }
    }

    @Test
    void greedyGenerationIsTheArgmaxLoop() {
        int[] prompt = {3, 17, 5};
        CliRun r = CliRun.of("generate", "--model", folder.toString(), "--prompt-ids", "3 17 5",
                "--max-new-tokens", "6", "--temperature", "0");
        assertThat(r.exitCode()).as(r.err()).isZero();
        int[] seq = prompt.clone();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            Tensor logits = model.forward(IntTensor.of(seq, 1, seq.length), null).logits();
            int v = 256;
            int best = 0;
            for (int j = 1; j < v; j++) {
                if (logits.data()[(seq.length - 1) * v + j] > logits.data()[(seq.length - 1) * v + best]) {
                    best = j;
                }
            }
            seq = java.util.Arrays.copyOf(seq, seq.length + 1);
            seq[seq.length - 1] = best;
            expected.append(i == 0 ? "" : " ").append(best);
        }
        assertThat(r.out().strip()).isEqualTo(expected.toString());
    }

    @Test
    void evalGivesBitsPerByteOfTheNextTokenLoss() throws Exception {
        String text = "the stack reads bytes\n";
        Path file = dir.resolve("text.txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        CliRun r = CliRun.of("eval", "--model", folder.toString(), "--text", file.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().strip().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertThat(last).startsWith("bits_per_byte ");
        double bits = Double.parseDouble(last.substring("bits_per_byte ".length()));
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xff;
        }
        IntTensor all = IntTensor.of(ids, 1, ids.length);
        double expected = NextTokenLoss.of(model.forward(all, null).logits(), all).item() / Math.log(2);
        assertThat(bits).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-3));
    }
}
