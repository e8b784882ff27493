package dev.recur.train.run;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Run settings for tests: the command line's defaults, with a tiny size, and any keys replaced. */
final class Settings {
    private Settings() {}

    static RunSettings of(Path out, Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", null);
        m.put("out", out.toString());
        m.put("model", "lstm");
        m.put("width", 8);
        m.put("layers", 1);
        m.put("steps", 6L);
        m.put("seq_len", 8);
        m.put("batch", 2);
        m.put("lr", 0.01);
        m.put("schedule", "constant");
        m.put("clip", 1.0);
        m.put("weight_decay", 0.0);
        m.put("seed", 42L);
        m.put("eval_every", 3L);
        m.put("checkpoint_every", 3L);
        m.put("task", null);
        m.put("params", Map.of());
        m.put("heads", 2);
        m.put("csv", null);
        m.put("target", null);
        m.put("columns", List.of());
        m.put("mlp", 0);
        m.put("optimizer", "adamw");
        m.put("init", null);
        m.put("ids", null);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return new RunSettings(m, "test");
    }
}
