package dev.recur.core.kernel;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import dev.recur.core.RecurException;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import jdk.incubator.vector.FloatVector;

/**
 * What the JIT has to hold a kernel's vectors in: the preferred float vector's lanes and bits, and how many vector
 * registers the compiled code may use. Register-blocked kernels size their tiles from this, so that every
 * accumulator, the loaded operands and a broadcast fit without spills at every width: x86 with AVX-512 has 32
 * registers (also when vectors are capped at 128 or 256 bits by {@code -XX:MaxVectorSize}), AVX2 and older, or an
 * AVX-512 machine run with {@code -XX:UseAVX=2}, have 16; AArch64 (NEON, SVE) has 32.
 *
 * <p>{@code -Drecur.vector.registers=16|32} overrides the reading (to try a tile shape on another machine's budget).
 */
public final class VectorRegisters {
    /** The system property that overrides the register count. */
    public static final String PROPERTY = "recur.vector.registers";

    private static final int COUNT = detect();

    private VectorRegisters() {}

    /** Vector registers the JIT's code may use: 16 or 32. */
    public static int count() {
        return COUNT;
    }

    /** Lanes of the preferred float vector. */
    public static int floatLanes() {
        return FloatVector.SPECIES_PREFERRED.length();
    }

    /** One line for reports: {@code 512-bit vectors (16 floats), 32 registers}. */
    public static String describe() {
        return String.format(Locale.ROOT, "%d-bit vectors (%d floats), %d registers",
                FloatVector.SPECIES_PREFERRED.vectorBitSize(), floatLanes(), COUNT);
    }

    private static int detect() {
        String forced = System.getProperty(PROPERTY);
        if (forced != null) {
            if (!forced.trim().equals("16") && !forced.trim().equals("32")) {
                throw new RecurException("-D" + PROPERTY + ": expected 16 or 32, got '" + forced + "'");
            }
            return Integer.parseInt(forced.trim());
        }
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (arch.equals("aarch64") || arch.equals("arm64")) {
            return 32;
        }
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return 16;
        }
        // UseAVX is 3 only where the JIT emits EVEX code, which addresses 32 registers at every vector width.
        return useAvx() >= 3 ? 32 : 16;
    }

    private static int useAvx() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            VMOption option = hotspot == null ? null : hotspot.getVMOption("UseAVX");
            return option == null ? 0 : Integer.parseInt(option.getValue());
        } catch (RuntimeException e) {
            // Not HotSpot, or the flag is unknown: assume the smaller register file.
            return 0;
        }
    }
}
