package dev.recur.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recur.core.random.Rng;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.Generator;
import dev.recur.layers.registry.HfModels;
import dev.recur.layers.lm.LayerPlan;
import dev.recur.layers.lm.Sampling;
import dev.recur.layers.registry.ByteModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --layer-plan} on {@code recur eval} and {@code recur generate}: the identity plan changes nothing, a
 * skip/repeat plan gives what the library gives for the planned model (its bits per byte by a single forward,
 * its greedy continuation), and bad plans exit 2 with one line naming the plan.
 */
class LayerPlanCommandTest {
    @TempDir
    Path dir;

    private Path model() throws IOException {
        Path out = dir.resolve("mamba");
        ByteModel.mamba(16, 3, 4).create(out, new Rng(9));
        return out;
    }

    private Path text() throws IOException {
        return Files.writeString(dir.resolve("t.txt"), TrainCommandTest.TEXT.repeat(3), StandardCharsets.UTF_8);
    }

    @Test
    void evalUnderAPlanScoresThePlannedModel() throws IOException {
        Path model = model();
        Path text = text();
        CausalLm lm = HfModels.load(model);
        double plain = TrainCommandTest.oneForwardBits(lm, Files.readAllBytes(text));
        double skipped = TrainCommandTest.oneForwardBits(LayerPlan.parse("skip=1").applyTo(lm),
                Files.readAllBytes(text));
        assertThat(Math.abs(plain - skipped)).as("skipping a layer changes the model").isGreaterThan(1e-3);

        assertThat(bits(CliRun.of("eval", "--model", model.toString(), "--text", text.toString(), "--layer-plan",
                "0,1,2"))).isCloseTo(plain, within(1e-5));
        assertThat(bits(CliRun.of("eval", "--model", model.toString(), "--text", text.toString(), "--layer-plan",
                "skip=1"))).isCloseTo(skipped, within(1e-5));
    }

    @Test
    void generateUnderAPlanContinuesWithThePlannedModel() throws IOException {
        Path model = model();
        CausalLm planned = LayerPlan.parse("repeat=2x2").applyTo(HfModels.load(model));
        int[] expected = Generator.generate(planned, new int[] {84, 104, 101}, 12, new Sampling(0, 0, 1, 0));
        CliRun r = CliRun.of("generate", "--model", model.toString(), "--prompt-ids", "84 104 101",
                "--max-new-tokens", "12", "--layer-plan", "repeat=2x2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().trim()).isEqualTo(Arrays.stream(expected).mapToObj(Integer::toString)
                .collect(Collectors.joining(" ")));
    }

    @Test
    void badPlansExitTwoWithOneLine() throws IOException {
        Path model = model();
        Path text = text();
        for (List<String> plan : List.of(List.of("0,3", "layer 3 is out of range"), List.of("", "empty"),
                List.of("skip=0,1,2", "applies no layer"), List.of("repeat=1", "INDEXxCOUNT"))) {
            CliRun eval = CliRun.of("eval", "--model", model.toString(), "--text", text.toString(), "--layer-plan",
                    plan.get(0));
            CliRun generate = CliRun.of("generate", "--model", model.toString(), "--prompt-ids", "1 2",
                    "--max-new-tokens", "2", "--layer-plan", plan.get(0));
            for (CliRun r : List.of(eval, generate)) {
                assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
                assertThat(r.errLines()).as(r.err()).hasSize(1);
                assertThat(r.err()).startsWith("recur: ").contains("layer plan").contains(plan.get(1));
            }
        }
    }

    private static double bits(CliRun r) {
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertThat(last).startsWith("bits_per_byte ");
        return Double.parseDouble(last.substring("bits_per_byte ".length()));
    }
}
