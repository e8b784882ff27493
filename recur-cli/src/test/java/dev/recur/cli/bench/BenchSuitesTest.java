package dev.recur.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which suites a command line selects, and the comparison fields of a row (nothing is timed here). */
class BenchSuitesTest {
    private static List<String> names(List<BenchSuite> suites) {
        return suites.stream().map(BenchSuite::name).toList();
    }

    @Test
    void allExpandsInPlaceAndEachSuiteRunsOnce() {
        assertThat(names(BenchSuites.select(List.of("lstm", "all", "gemm"))))
                .containsExactly("lstm", "gemm", "scan", "gru", "qlstm", "mamba", "decode", "latency");
    }

    @Test
    void suitesRunInTheOrderGiven() {
        assertThat(names(BenchSuites.select(List.of("decode", "scan")))).containsExactly("decode", "scan");
    }

    @Test
    void unknownSuiteNamesTheKnownOnes() {
        assertThatThrownBy(() -> BenchSuites.select(List.of("lsmt")))
                .hasMessageContaining("'lsmt'").hasMessageContaining("lstm").hasMessageContaining("all");
    }

    @Test
    void comparisonIsOursOverTheirsAndAppearsInJson() {
        BenchResult r = new BenchResult("lstm.train", "16x256x128->256", "fused", 2, "tokens/s", 45_000, 91.0, 10)
                .versus("djl-pytorch", 18_000);
        assertThat(r.ratio()).isEqualTo(2.5);
        assertThat(r.key()).isEqualTo("lstm.train|fused|2");
        assertThat(r.toJson()).startsWith("{\"name\":\"lstm.train\",\"unit\":\"tokens/s\",\"recur\":45000.0,"
                + "\"vs\":\"djl-pytorch\",\"other\":18000.0,\"ratio\":2.5,");
    }

    @Test
    void rowWithoutComparisonHasNoComparisonFields() {
        String json = new BenchResult("gemm.512", "512x512x512", "vector", 1, "GFLOP/s", 150, 1.8, 10)
                .withDetail("x").toJson();
        assertThat(json).doesNotContain("\"vs\"").doesNotContain("\"ratio\"").endsWith("\"detail\":\"x\"}");
    }
}
