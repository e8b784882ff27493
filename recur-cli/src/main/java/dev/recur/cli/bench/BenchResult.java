package dev.recur.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured figure: {@code name} (e.g. {@code gemm.1024}), what was run ({@code shape}, {@code kernel},
 * {@code threads}), the median {@code value} in {@code unit} (field {@code recur} in JSON, beside which peers
 * may later be reported), and the median time per call.
 */
public record BenchResult(String name, String shape, String kernel, int threads, String unit, double value,
                          double millisPerCall, int repeats) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line of JSON with stable field names. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("unit", unit);
        m.put("recur", Math.round(value * 100) / 100.0);
        m.put("kernel", kernel);
        m.put("threads", threads);
        m.put("shape", shape);
        m.put("ms_per_call", Math.round(millisPerCall * 1000) / 1000.0);
        m.put("repeats", repeats);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bench: cannot write JSON for " + name, e);
        }
    }
}
