package dev.recur.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The register count follows the JVM's own flags: 32 registers only where the JIT emits AVX-512 (EVEX) code or on
 * AArch64, 16 under {@code -XX:UseAVX=2} or lower. Runs at every width the build tests ({@code -XX:UseAVX=2},
 * {@code -XX:MaxVectorSize=16}, native).
 */
class VectorRegistersTest {
    @Test
    void registersFollowTheJvmFlags() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean avx2Flag = ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:UseAVX=2");
        boolean avx512 = cpuFlags().contains(" avx512f ");
        if (arch.equals("aarch64")) {
            assertThat(VectorRegisters.count()).isEqualTo(32);
        } else if (avx2Flag || !avx512) {
            assertThat(VectorRegisters.count()).isEqualTo(16);
        } else {
            assertThat(VectorRegisters.count()).isEqualTo(32);
        }
        assertThat(VectorRegisters.describe()).contains(VectorRegisters.floatLanes() + " floats")
                .contains(VectorRegisters.count() + " registers");
    }

    private static String cpuFlags() {
        try {
            return " " + String.join(" ", java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")))
                    .replace('\t', ' ') + " ";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
