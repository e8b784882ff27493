package dev.recur.tasks.registry;

import dev.recur.tasks.Task;
import dev.recur.tasks.TaskEntry;
import dev.recur.tasks.TokenTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskRegistryTest {
    @Test
    void everyTaskBuildsFromItsDefaultsAndRendersASample() throws IOException {
        Set<String> names = new HashSet<>();
        for (TaskEntry e : TaskRegistry.all()) {
            assertThat(names.add(e.name())).as("unique name %s", e.name()).isTrue();
            assertThat(e.paper()).isNotBlank();
            if (e.parameters().stream().anyMatch(p -> p.defaultValue().isEmpty())) {
                continue;
            }
            Task task = e.create(Map.of(), 1);
            assertThat(task.name()).isEqualTo(e.name());
            assertThat(task.renderSample()).isNotBlank();
        }
        assertThat(names).contains("mqar", "selective-copy", "parity", "dms", "listops", "lorenz96",
                "kuramoto-sivashinsky", "mackey-glass", "hmm", "csv");
    }

    @Test
    void parametersOverrideDefaultsAndBadOnesAreNamed() throws IOException {
        Task task = TaskRegistry.find("mqar").create(Map.of("seq_len", "128"), 1);
        assertThat(((TokenTask) task).seqLen()).isEqualTo(128);
        assertThatThrownBy(() -> TaskRegistry.find("mqar").create(Map.of("seqlen", "128"), 1))
                .isInstanceOf(RecurException.class).hasMessageContaining("unknown parameter 'seqlen'");
        assertThatThrownBy(() -> TaskRegistry.find("mqar").create(Map.of("seq_len", "long"), 1))
                .isInstanceOf(RecurException.class).hasMessageContaining("seq_len expected an integer, got 'long'");
        assertThatThrownBy(() -> TaskRegistry.find("parity").create(Map.of("heads", "two"), 1))
                .isInstanceOf(RecurException.class).hasMessageContaining("heads");
        assertThatThrownBy(() -> TaskRegistry.find("nope")).isInstanceOf(RecurException.class)
                .hasMessageContaining("mqar");
    }
}
