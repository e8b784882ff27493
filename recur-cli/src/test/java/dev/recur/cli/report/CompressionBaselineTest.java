package dev.recur.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class CompressionBaselineTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static void assumeInstalled(String command) {
        try {
            Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor();
        } catch (IOException e) {
            Assumptions.abort(command + " is not installed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Assumptions.abort("interrupted");
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SplittableRandom(1).nextBytes(b);
        return b;
    }

    @Test
    void randomBytesDoNotCompressAndRepetitionCompressesWell() {
        assumeInstalled("xz");
        assumeInstalled("bzip2");
        List<CompressionBaseline.Result> random = CompressionBaseline.measure(randomBytes(65_536));
        assertThat(random).extracting(CompressionBaseline.Result::compressor).containsExactly("xz -9e", "bzip2 -9");
        for (CompressionBaseline.Result r : random) {
            // Incompressible input: at least 8 bits a byte plus a little framing, at most a few percent more.
            assertThat(r.bitsPerByte()).as(r.compressor()).isPresent();
            assertThat(r.bitsPerByte().getAsDouble()).as(r.compressor()).isBetween(8.0, 8.4);
        }
        byte[] repeated = "the whale ".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
        for (CompressionBaseline.Result r : CompressionBaseline.measure(repeated)) {
            assertThat(r.bitsPerByte().getAsDouble()).as(r.compressor()).isLessThan(0.05);
            assertThat(r.describe()).matches(r.compressor() + ": 0\\.0\\d\\d bits/byte");
        }
    }

    @Test
    void theCountedBytesAreTheWholeCompressedStream() throws IOException {
        assumeInstalled("xz");
        byte[] text = ("Call me Ishmael. Some years ago, never mind how long precisely. ").repeat(500)
                .getBytes(StandardCharsets.US_ASCII);
        byte[] compressed = CompressionBaseline.compress(List.of("xz", "-9e", "-c"), text, MINUTE);
        byte[] back = CompressionBaseline.compress(List.of("xz", "-d", "-c"), compressed, MINUTE);
        assertThat(back).isEqualTo(text);
        CompressionBaseline.Result r = CompressionBaseline.measure(List.of("xz", "-9e", "-c"), text, MINUTE);
        assertThat(r.compressedBytes()).isEqualTo(compressed.length);
        assertThat(r.bitsPerByte().getAsDouble()).isEqualTo(8.0 * compressed.length / text.length);
    }

    @Test
    void aMissingCompressorIsNotAvailableRatherThanAnError() {
        CompressionBaseline.Result r = CompressionBaseline.measure(List.of("no-such-compressor-7f3a", "-9", "-c"),
                new byte[100], MINUTE);
        assertThat(r.bitsPerByte()).isEmpty();
        assertThat(r.describe()).isEqualTo("no-such-compressor-7f3a -9: not available");
    }

    @Test
    void aFailingCompressorIsReportedWithItsExitCode() {
        assumeInstalled("sh");
        CompressionBaseline.Result r = CompressionBaseline.measure(List.of("sh", "-c", "exit 3", "-c"),
                new byte[100], MINUTE);
        assertThat(r.bitsPerByte()).isEmpty();
        assertThat(r.note()).isEqualTo("failed: exit code 3");
    }
}
