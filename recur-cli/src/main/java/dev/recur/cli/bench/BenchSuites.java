package dev.recur.cli.bench;

import dev.recur.layers.rnn.CellType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The suites {@code recur bench} knows, by name, in the order {@code all} runs them. */
public final class BenchSuites {
    /** The name that selects every suite. */
    public static final String ALL = "all";

    private BenchSuites() {}

    /** Every suite, fastest first. */
    public static List<BenchSuite> all() {
        return List.of(new GemmSuite(), new ScanSuite(), new RnnSuite(CellType.LSTM), new RnnSuite(CellType.GRU),
                new QlstmSuite(), new MambaSuite(), new DecodeSuite(), new LatencySuite());
    }

    /** The names on the command line. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (BenchSuite s : all()) {
            names.add(s.name());
        }
        names.add(ALL);
        return names;
    }

    /**
     * The suites that {@code names} select, each once, in the order given ({@code all} expands in place);
     * an unknown name is an {@link IllegalArgumentException} listing the known ones.
     */
    public static List<BenchSuite> select(List<String> names) {
        Map<String, BenchSuite> known = new LinkedHashMap<>();
        for (BenchSuite s : all()) {
            known.put(s.name(), s);
        }
        Map<String, BenchSuite> chosen = new LinkedHashMap<>();
        for (String name : names) {
            if (ALL.equals(name)) {
                known.forEach(chosen::putIfAbsent);
            } else if (known.containsKey(name)) {
                chosen.putIfAbsent(name, known.get(name));
            } else {
                throw new IllegalArgumentException("bench: expected a suite among " + names() + ", got '" + name
                        + "'");
            }
        }
        return new ArrayList<>(chosen.values());
    }
}
