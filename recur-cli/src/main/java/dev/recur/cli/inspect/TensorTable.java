package dev.recur.cli.inspect;

import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.io.TensorInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Prints a safetensors file's metadata and a table of its tensors (name, dtype, shape, bytes), and sums them. */
public final class TensorTable {
    private long tensors;
    private long parameters;
    private long bytes;

    /** Prints one file's section and adds its tensors to the totals. */
    public void print(SafetensorsFile file, PrintWriter out) {
        out.println("file: " + Printable.of(file.path().toString()) + " (" + file.fileSize() + " bytes, header "
                + file.headerLength() + " bytes)");
        Map<String, String> metadata = file.metadata();
        if (!metadata.isEmpty()) {
            out.println("metadata:");
            metadata.forEach((k, v) -> out.println("  " + Printable.of(k) + " = " + Printable.of(v)));
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"name", "dtype", "shape", "bytes"});
        for (String name : file.names()) {
            TensorInfo info = file.info(name);
            rows.add(new String[] {Printable.of(name), info.dtype().safetensorsName(),
                Arrays.toString(info.shape()), Long.toString(info.byteLength())});
            tensors++;
            parameters += info.numel();
            bytes += info.byteLength();
        }
        int[] widths = new int[4];
        for (String[] row : rows) {
            for (int i = 0; i < 4; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            out.println(String.format("  %-" + widths[0] + "s  %-" + widths[1] + "s  %-" + widths[2] + "s  %"
                    + widths[3] + "s", (Object[]) row).stripTrailing());
        }
    }

    /** Prints {@code total: N tensors, P parameters, B bytes}. */
    public void printTotals(PrintWriter out) {
        out.println("total: " + tensors + " tensors, " + parameters + " parameters, " + bytes + " bytes");
    }

    public long tensors() {
        return tensors;
    }

    public long parameters() {
        return parameters;
    }

    public long bytes() {
        return bytes;
    }
}
