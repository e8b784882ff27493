package dev.recur.tasks.series;

import dev.recur.core.RecurException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads forecasting series from CSV files, strictly: UTF-8 (a leading byte-order mark is skipped), comma-separated,
 * a header row naming the columns, then one row per time step in time order with exactly as many fields as the
 * header. Fields may be quoted ({@code "a,b"}, with {@code ""} for a quote) as RFC 4180 describes. Every value of a
 * chosen column must be a finite number. Empty lines are allowed only at the end. Any violation is a
 * {@link RecurException} naming the file, the line and the column.
 */
public final class CsvSeries {
    private CsvSeries() {
    }

    /**
     * The chosen columns as a series ({@code [rows, columns.size()]}), one sample every {@code dt}.
     *
     * @param columns header names, at least one, each present once in the header
     */
    public static TimeSeries read(Path file, List<String> columns, double dt) throws IOException {
        if (columns.isEmpty()) {
            throw new RecurException(file + ": expected at least one target column, got none");
        }
        List<Row> rows = parse(file);
        if (rows.isEmpty()) {
            throw new RecurException(file + ": expected a header row, got an empty file");
        }
        List<String> header = rows.get(0).fields();
        int[] index = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            String name = columns.get(c);
            int found = -1;
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i).trim().equals(name)) {
                    if (found >= 0) {
                        throw new RecurException(file + ":1: column '" + name
                                + "' appears more than once in the header");
                    }
                    found = i;
                }
            }
            if (found < 0) {
                throw new RecurException(file + ":1: no column '" + name + "'; the columns are " + header);
            }
            index[c] = found;
        }
        int n = rows.size() - 1;
        if (n < 2) {
            throw new RecurException(file + ": expected at least 2 data rows, got " + n);
        }
        double[] values = new double[n * index.length];
        for (int r = 0; r < n; r++) {
            Row row = rows.get(r + 1);
            if (row.fields().size() != header.size()) {
                throw new RecurException(file + ":" + row.line() + ": expected " + header.size()
                        + " fields as in the header, got " + row.fields().size());
            }
            for (int c = 0; c < index.length; c++) {
                String text = row.fields().get(index[c]).trim();
                double v;
                try {
                    v = Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    v = Double.NaN;
                }
                if (!Double.isFinite(v) || text.isEmpty()) {
                    throw new RecurException(file + ":" + row.line() + ": column '" + columns.get(c)
                            + "': expected a finite number, got '" + text + "'");
                }
                values[r * index.length + c] = v;
            }
        }
        return new TimeSeries(file.toString(), values, index.length, dt);
    }

    /** One record: its fields and the line it starts on (1-based). */
    record Row(int line, List<String> fields) {
    }

    static List<Row> parse(Path file) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new RecurException(file + ": expected UTF-8 text, got malformed bytes");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Row> rows = new ArrayList<>();
        int line = 1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            int start = line;
            if (text.charAt(i) == '\n' || text.charAt(i) == '\r') {
                int j = i;
                while (j < n && (text.charAt(j) == '\n' || text.charAt(j) == '\r')) {
                    j++;
                }
                if (j < n) {
                    throw new RecurException(file + ":" + line + ": empty line inside the data");
                }
                break;
            }
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean endOfRecord = false;
            while (!endOfRecord) {
                if (i < n && text.charAt(i) == '"') {
                    int quoteLine = line;
                    i++;
                    while (true) {
                        if (i >= n) {
                            throw new RecurException(file + ":" + quoteLine + ": field " + (fields.size() + 1)
                                    + ": a quote is never closed");
                        }
                        char c = text.charAt(i);
                        if (c == '"') {
                            if (i + 1 < n && text.charAt(i + 1) == '"') {
                                field.append('"');
                                i += 2;
                                continue;
                            }
                            i++;
                            break;
                        }
                        if (c == '\n') {
                            line++;
                        }
                        field.append(c);
                        i++;
                    }
                    if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                        throw new RecurException(file + ":" + line + ": field " + (fields.size() + 1)
                                + ": expected a comma or the end of the line after a closing quote, got '"
                                + text.charAt(i) + "'");
                    }
                } else {
                    while (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                        if (text.charAt(i) == '"') {
                            throw new RecurException(file + ":" + line + ": field " + (fields.size() + 1)
                                    + ": a quote inside an unquoted field");
                        }
                        field.append(text.charAt(i++));
                    }
                }
                fields.add(field.toString());
                field.setLength(0);
                if (i < n && text.charAt(i) == ',') {
                    i++;
                } else {
                    if (i < n && text.charAt(i) == '\r') {
                        i++;
                    }
                    if (i < n && text.charAt(i) == '\n') {
                        i++;
                    }
                    line++;
                    endOfRecord = true;
                }
            }
            rows.add(new Row(start, fields));
        }
        return rows;
    }
}
