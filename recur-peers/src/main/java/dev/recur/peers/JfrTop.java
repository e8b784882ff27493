package dev.recur.peers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording's CPU samples ({@code jdk.ExecutionSample}): the methods that were on top of the
 * stack most often (self time), and for each sample the innermost Recur method ({@code dev.recur.*}), which
 * charges JDK helpers and intrinsics to the Recur code that called them.
 */
final class JfrTop {
    /** A method and its share of the samples. */
    record Entry(String method, long samples, double share) {}

    /** The two views of one recording. */
    record Summary(long samples, List<Entry> self, List<Entry> recur) {}

    private JfrTop() {}

    static Summary read(Path jfr, int top) throws IOException {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> recur = new HashMap<>();
        long total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            total++;
            List<RecordedFrame> frames = st.getFrames();
            self.merge(name(frames.get(0)), 1L, Long::sum);
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (n.startsWith("dev.recur.")) {
                    recur.merge(n, 1L, Long::sum);
                    break;
                }
            }
        }
        return new Summary(total, rank(self, total, top), rank(recur, total, top));
    }

    private static String name(RecordedFrame f) {
        if (f.getMethod() == null) {
            return "(unknown)";
        }
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static List<Entry> rank(Map<String, Long> counts, long total, int top) {
        List<Entry> list = new ArrayList<>();
        counts.forEach((k, v) -> list.add(new Entry(k, v, total == 0 ? 0 : (double) v / total)));
        list.sort((a, b) -> Long.compare(b.samples(), a.samples()));
        return list.subList(0, Math.min(top, list.size()));
    }
}
