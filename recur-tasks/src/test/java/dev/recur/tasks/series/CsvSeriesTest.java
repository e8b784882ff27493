package dev.recur.tasks.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.tasks.Task;
import dev.recur.tasks.registry.TaskRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSeriesTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void readsTheChosenColumnsInRowOrderWithQuotesAndCrlf() throws IOException {
        Path f = write("load.csv", "\uFEFFtime,\"site, north\",load\r\n2024-01-01,\"1,5\",10.5\r\n"
                + "2024-01-02,\"say \"\"hi\"\"\",-2e1\r\n2024-01-03,x,3\r\n\r\n");
        TimeSeries s = CsvSeries.read(f, List.of("load"), 1);
        assertThat(s.length()).isEqualTo(3);
        assertThat(s.values()).containsExactly(10.5, -20.0, 3.0);
        assertThat(CsvSeries.parse(f).get(2).fields()).containsExactly("2024-01-02", "say \"hi\"", "-2e1");
    }

    @Test
    void errorsNameTheFileLineAndColumn() throws IOException {
        Path bad = write("bad.csv", "a,b\n1,2\n3,oops\n");
        assertThatThrownBy(() -> CsvSeries.read(bad, List.of("b"), 1)).isInstanceOf(RecurException.class)
                .hasMessageContaining("bad.csv:3: column 'b': expected a finite number, got 'oops'");
        assertThatThrownBy(() -> CsvSeries.read(bad, List.of("c"), 1)).isInstanceOf(RecurException.class)
                .hasMessageContaining("bad.csv:1: no column 'c'; the columns are [a, b]");
        Path ragged = write("ragged.csv", "a,b\n1,2\n3\n");
        assertThatThrownBy(() -> CsvSeries.read(ragged, List.of("a"), 1)).isInstanceOf(RecurException.class)
                .hasMessageContaining("ragged.csv:3: expected 2 fields as in the header, got 1");
        Path nan = write("nan.csv", "a\n1\nNaN\n");
        assertThatThrownBy(() -> CsvSeries.read(nan, List.of("a"), 1)).isInstanceOf(RecurException.class)
                .hasMessageContaining("nan.csv:3");
        Path open = write("open.csv", "a,b\n1,\"2\n3,4\n");
        assertThatThrownBy(() -> CsvSeries.read(open, List.of("a"), 1)).isInstanceOf(RecurException.class)
                .hasMessageContaining("open.csv:2: field 2: a quote is never closed");
        Path gap = write("gap.csv", "a\n1\n\n2\n");
        assertThatThrownBy(() -> CsvSeries.read(gap, List.of("a"), 1)).isInstanceOf(RecurException.class)
                .hasMessageContaining("gap.csv:3: empty line");
        assertThatThrownBy(() -> CsvSeries.read(dir.resolve("missing.csv"), List.of("a"), 1))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void theCsvTaskSplitsByTime() throws IOException {
        StringBuilder text = new StringBuilder("step,value\n");
        for (int t = 0; t < 200; t++) {
            text.append(t).append(',').append(Math.sin(t * 0.1)).append('\n');
        }
        Path f = write("sine.csv", text.toString());
        Task task = TaskRegistry.find("csv").create(Map.of("file", f.toString(), "target", "value,step",
                "history", "10", "horizon", "5"), 1);
        ForecastWindows w = ((ForecastTask) task).windows();
        assertThat(w.cut()).isEqualTo(160);
        assertThat(w.series().dims()).isEqualTo(2);
        WindowBatch v = w.validationBatch(4, 0);
        // column 1 is the step number: the first validation window starts at row 160
        assertThat(v.history().data()[1]).isEqualTo(160f);
        assertThat(task.renderSample()).contains("persistence baseline");
        assertThatThrownBy(() -> TaskRegistry.find("csv").create(Map.of(), 1)).isInstanceOf(RecurException.class)
                .hasMessageContaining("--csv FILE --target COLUMN");
    }
}
