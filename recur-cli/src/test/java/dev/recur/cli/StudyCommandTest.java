package dev.recur.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.cli.study.AttentionRatio;
import dev.recur.core.RecurException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code recur study recall} on a tiny grid (2 steps each) writes its table, CSV and plot; bad options exit 2. */
class StudyCommandTest {

    @Test
    void tinyRecallSweepWritesTablesAndPlot(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        CliRun run = CliRun.of("study", "recall", "--out", out.toString(), "--families", "gla,mamba2",
                "--ratios", "1:0,1:1", "--depth", "2", "--width", "16", "--attn-heads", "1", "--steps", "2", "--batch", "4",
                "--seq-len", "16", "--pairs", "2", "--vocab", "16", "--eval-batches", "1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertThat(csv).hasSize(5);
        assertThat(csv.get(0)).isEqualTo("family,ratio,spec,parameters,accuracy,loss,steps,seconds");
        assertThat(csv.get(1)).startsWith("gla,1:0,\"gla,gla\",");
        assertThat(csv.get(2)).startsWith("gla,1:1,\"gla,attn(heads=1)\",");
        assertThat(csv.get(3)).startsWith("mamba2,1:0,\"mamba2,mamba2\",");
        assertThat(csv.get(4)).startsWith("mamba2,1:1,\"mamba2,attn(heads=1)\",");
        for (String row : csv.subList(1, 5)) {
            String[] fields = row.split(",");
            assertThat(fields[fields.length - 2]).as("steps of %s", row).isEqualTo("2");
        }
        String md = Files.readString(out.resolve("results.md"));
        assertThat(md).contains("length 16, 2 pairs, vocabulary 16").contains("| gla | 1:1 | `gla,attn(heads=1)` |");
        byte[] png = Files.readAllBytes(out.resolve("recall.png"));
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(run.out()).contains("wrote ");
    }

    @Test
    void badOptionsExitTwoWithAMessage(@TempDir Path dir) {
        CliRun kind = CliRun.of("study", "recall", "--out", dir.toString(), "--families", "gla,transformer");
        assertThat(kind.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(kind.err()).contains("unknown block kind 'transformer'");
        CliRun attn = CliRun.of("study", "recall", "--out", dir.toString(), "--families", "attn");
        assertThat(attn.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(attn.err()).contains("got 'attn'");
        CliRun ratio = CliRun.of("study", "recall", "--out", dir.toString(), "--ratios", "3-1");
        assertThat(ratio.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(ratio.err()).contains("expected LINEAR:ATTENTION such as 3:1, got '3-1'");
        CliRun depth = CliRun.of("study", "recall", "--out", dir.toString(), "--ratios", "6:1", "--depth", "4");
        assertThat(depth.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(depth.err()).contains("depth 4 is not a multiple of the ratio 6:1's group of 7 blocks");
    }

    @Test
    void ratiosBuildSpecs() {
        assertThat(AttentionRatio.parse("3:1").spec("gla", "attn", 8)).isEqualTo("(gla*3+attn)*2");
        assertThat(AttentionRatio.parse("1:0").spec("gdn", "attn", 4)).isEqualTo("gdn*4");
        assertThat(AttentionRatio.parse(" 1 : 1 ").spec("mamba2", "attn(heads=2)", 2))
                .isEqualTo("mamba2+attn(heads=2)");
        assertThat(AttentionRatio.parse("0:1").spec("gla", "attn", 3)).isEqualTo("attn*3");
        assertThat(AttentionRatio.parse("6:1").attentionShare()).isEqualTo(1 / 7.0);
        Assertions.assertThatThrownBy(() -> AttentionRatio.parse("0:0")).isInstanceOf(RecurException.class)
                .hasMessageContaining("not both zero");
    }
}
