package dev.recur.peers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The goals table of docs/BENCHMARKS.md, computed from rows whose ratios are known (no timing here). */
class BenchmarksDocTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode row(String name, int threads, double recur, Double ratio) throws Exception {
        String extra = ratio == null ? "" : ",\"vs\":\"x\",\"other\":1,\"ratio\":" + ratio;
        return JSON.readTree("{\"name\":\"" + name + "\",\"unit\":\"u\",\"recur\":" + recur + extra
                + ",\"kernel\":\"k\",\"threads\":" + threads + ",\"shape\":\"s\"}");
    }

    private static String line(String table, String startsWith) {
        for (String l : table.split("\n")) {
            if (l.startsWith(startsWith)) {
                return l;
            }
        }
        throw new AssertionError("no line starting with " + startsWith + " in\n" + table);
    }

    @Test
    void goalsReadTheRatioAtTheMostThreadsAndTheSpeedUpFromOneToMost() throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        rows.add(row("lstm.train", 1, 20_000, 1.0));
        rows.add(row("lstm.train", 2, 36_000, 3.0));
        rows.add(row("lstm.forward", 2, 100_000, 0.6));
        rows.add(row("scan.4096x1024", 2, 40, 0.9));
        StringBuilder md = new StringBuilder();
        BenchmarksDoc.appendGoals(md, "", rows);
        String table = md.toString();
        assertThat(line(table, "| LSTM training")).contains("| 3.000 | yes |");
        // 1.2 / 0.6 = 2x short of the goal
        assertThat(line(table, "| LSTM inference")).contains("| 0.600 | **no** | 2.00x |");
        assertThat(line(table, "| scan vs triad")).contains("scan.4096x1024").contains("| 0.900 | yes |");
        // 36000 / 20000 = 1.8 >= 1.6
        assertThat(line(table, "| training speed-up, 1 -> 2 threads | lstm.train")).contains("| 1.800 | yes |");
        assertThat(line(table, "| GRU training")).contains("not measured");
        assertThat(line(table, "| training speed-up, 1 -> 2 threads | gru.train")).contains("not measured");
    }

    @Test
    void theCeilingGoalReadsTheGemmAgainstOneThreadsCeilingTimesTheThreads() throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        rows.add(row("fma.ceiling", 1, 100, null));
        rows.add(row("gemm.1024", 2, 140, 0.95));
        StringBuilder md = new StringBuilder();
        BenchmarksDoc.appendGoals(md, "Width avx2: ", rows);
        String table = md.toString();
        assertThat(table).startsWith("## Width avx2: goals");
        // 140 / (2 x 100) = 0.7, short of 0.75 by 0.75 / 0.7
        assertThat(line(table, "| GEMM vs this width's FMA ceiling")).contains("| 0.700 | **no** | 1.07x |");
        assertThat(line(table, "| GEMM vs OpenBLAS at the same width | gemm.1024")).contains("| 0.950 | yes |");
    }

    @Test
    void oneJvmRowsSitBesideTheirSuiteAloneAndCountTheOnesWithinTenPercent() throws Exception {
        List<JsonNode> alone = List.of(row("gemm.512", 1, 200, null), row("lstm.train", 2, 50_000, 1.5));
        List<JsonNode> together = List.of(row("gemm.512", 1, 190, null), row("lstm.train", 2, 20_000, null),
                row("only.here", 1, 5, null));
        StringBuilder md = new StringBuilder();
        BenchmarksDoc.appendOneJvm(md, "", alone, together);
        String table = md.toString();
        assertThat(line(table, "| gemm.512")).contains("| 0.950 |");
        assertThat(line(table, "| lstm.train")).contains("| **0.400** |");
        assertThat(table).doesNotContain("only.here").contains("1 of 2 rows within 10% of their suite run alone.");
    }
}
