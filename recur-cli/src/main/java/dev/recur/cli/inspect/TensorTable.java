package dev.recur.cli.inspect;

import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.io.TensorEntry;
import dev.recur.core.io.TensorFile;
import dev.recur.core.io.TensorInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Prints a tensor file's metadata (safetensors) and a table of its tensors (name, dtype, shape, bytes), and sums
 * them. A torch.save file's bytes per tensor are its elements times the dtype's size (a view may share its
 * storage with others).
 */
public final class TensorTable {
    private long tensors;
    private long parameters;
    private long bytes;

    /** Prints one file's section, whichever kind it is, and adds its tensors to the totals. */
    public void print(TensorFile file, PrintWriter out) throws IOException {
        if (file instanceof SafetensorsFile safetensors) {
            print(safetensors, out);
            return;
        }
        out.println("file: " + Printable.of(file.path().toString()) + " (" + Files.size(file.path())
                + " bytes, a torch.save state dict)");
        List<String[]> rows = new ArrayList<>();
        for (String name : file.names()) {
            TensorEntry info = file.info(name);
            rows.add(row(name, info, info.numel() * info.dtype().byteSize()));
        }
        printRows(rows, out);
    }

    /** Prints one safetensors file's section and adds its tensors to the totals. */
    public void print(SafetensorsFile file, PrintWriter out) {
        out.println("file: " + Printable.of(file.path().toString()) + " (" + file.fileSize() + " bytes, header "
                + file.headerLength() + " bytes)");
        Map<String, String> metadata = file.metadata();
        if (!metadata.isEmpty()) {
            out.println("metadata:");
            metadata.forEach((k, v) -> out.println("  " + Printable.of(k) + " = " + Printable.of(v)));
        }
        List<String[]> rows = new ArrayList<>();
        for (String name : file.names()) {
            TensorInfo info = file.info(name);
            rows.add(row(name, info, info.byteLength()));
        }
        printRows(rows, out);
    }

    private String[] row(String name, TensorEntry info, long byteLength) {
        tensors++;
        parameters += info.numel();
        bytes += byteLength;
        return new String[] {Printable.of(name), info.dtype().safetensorsName(), Arrays.toString(info.shape()),
            Long.toString(byteLength)};
    }

    private static void printRows(List<String[]> body, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"name", "dtype", "shape", "bytes"});
        rows.addAll(body);
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
