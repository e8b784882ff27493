package dev.recur.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured figure: {@code name} (e.g. {@code gemm.1024}), what was run ({@code shape}, {@code kernel},
 * {@code threads}), the median {@code value} in {@code unit} (field {@code recur} in JSON), the median time per
 * call, and optionally a {@code detail} (a second unit, how a figure was counted) and a comparison: what it is
 * compared with ({@code vs}: a peer library or a bound measured in the same run), that one's figure
 * ({@code other}) and {@code ratio}, ours over theirs, or for a bound ours as a fraction of it. A timed figure
 * also carries the bytes the JVM allocated per call at steady state, over all threads ({@code bytesPerCall}; NaN
 * when not measured): a kernel whose hot loop allocates shows here before it shows in its time.
 */
public record BenchResult(String name, String shape, String kernel, int threads, String unit, double value,
                          double millisPerCall, int repeats, String detail, String vs, double other,
                          double ratio, double bytesPerCall) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A figure without a comparison. */
    public BenchResult(String name, String shape, String kernel, int threads, String unit, double value,
                       double millisPerCall, int repeats) {
        this(name, shape, kernel, threads, unit, value, millisPerCall, repeats, null, null, Double.NaN, Double.NaN,
                Double.NaN);
    }

    /** A figure from a timing: its time per call, runs and allocation. */
    public BenchResult(String name, String shape, String kernel, int threads, String unit, double value,
                       Timing.Result timing) {
        this(name, shape, kernel, threads, unit, value, timing.nanosPerCall() / 1e6, timing.repeats(), null, null,
                Double.NaN, Double.NaN, timing.bytesPerCall());
    }

    /** The same figure with a note on what it means (e.g. {@code "0.31 ns/elem"}). */
    public BenchResult withDetail(String text) {
        return new BenchResult(name, shape, kernel, threads, unit, value, millisPerCall, repeats, text, vs, other,
                ratio, bytesPerCall);
    }

    /** The same figure compared with a peer's figure in the same unit: ratio = ours / theirs. */
    public BenchResult versus(String peer, double theirs) {
        return new BenchResult(name, shape, kernel, threads, unit, value, millisPerCall, repeats, detail, peer,
                theirs, value / theirs, bytesPerCall);
    }

    /** The same figure read against a bound in the same unit: ratio = ours as a fraction of the bound. */
    public BenchResult againstBound(String bound, double boundValue) {
        return versus(bound, boundValue);
    }

    /** Whether a comparison is attached. */
    public boolean compared() {
        return vs != null;
    }

    /** A key that identifies the row across runs and processes: name, kernel and threads. */
    public String key() {
        return name + "|" + kernel + "|" + threads;
    }

    /** One line of JSON with stable field names; the comparison fields only when there is one. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("unit", unit);
        m.put("recur", round(value, 2));
        if (vs != null) {
            m.put("vs", vs);
            m.put("other", round(other, 2));
            m.put("ratio", round(ratio, 3));
        }
        m.put("kernel", kernel);
        m.put("threads", threads);
        m.put("shape", shape);
        m.put("ms_per_call", round(millisPerCall, 3));
        m.put("repeats", repeats);
        if (!Double.isNaN(bytesPerCall)) {
            m.put("alloc_bytes_per_call", Math.round(bytesPerCall));
        }
        if (detail != null) {
            m.put("detail", detail);
        }
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bench: cannot write JSON for " + name, e);
        }
    }

    private static double round(double x, int digits) {
        if (!Double.isFinite(x)) {
            return x;
        }
        double scale = Math.pow(10, digits);
        return Math.round(x * scale) / scale;
    }
}
