package dev.recur.layers.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.io.json.JsonParser;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A reference case's config.json becomes the config PyTorch's constructor would build, with its defaults. */
class TorchRnnConfigTest {
    @SuppressWarnings("unchecked")
    private static RnnConfig parse(String json) {
        return TorchRnnConfig.parse((Map<String, Object>) JsonParser.parse(json), "case/config.json");
    }

    @Test
    void absentFieldsTakePyTorchDefaults() {
        RnnConfig c = parse("{\"module\": \"RNN\", \"input_size\": 5, \"hidden_size\": 7}");
        assertThat(c).isEqualTo(new RnnConfig(CellType.RNN_TANH, 5, 7, 1, false, true, 0f));
    }

    @Test
    void everyFieldIsRead() {
        RnnConfig c = parse("{\"module\": \"RNN\", \"input_size\": 5, \"hidden_size\": 7, \"num_layers\": 3,"
                + " \"bidirectional\": true, \"bias\": false, \"nonlinearity\": \"relu\", \"dropout\": 0.25,"
                + " \"batch_first\": true, \"note\": \"ignored\"}");
        assertThat(c).isEqualTo(new RnnConfig(CellType.RNN_RELU, 5, 7, 3, true, false, 0.25f));
        assertThat(parse("{\"module\": \"GRU\", \"input_size\": 1, \"hidden_size\": 2}").cell())
                .isEqualTo(CellType.GRU);
    }

    @Test
    void badFieldsNameTheFileAndField() {
        assertThatThrownBy(() -> parse("{\"module\": \"LSTM\", \"input_size\": 5}"))
                .isInstanceOf(RecurException.class).hasMessageContaining("case/config.json")
                .hasMessageContaining("hidden_size");
        assertThatThrownBy(() -> parse("{\"module\": \"LSTM\", \"input_size\": 5.5, \"hidden_size\": 2}"))
                .hasMessageContaining("input_size").hasMessageContaining("integer");
        assertThatThrownBy(() -> parse("{\"module\": \"LSTM\", \"input_size\": 5, \"hidden_size\": 2,"
                + " \"batch_first\": false}")).hasMessageContaining("batch_first");
        assertThatThrownBy(() -> parse("{\"module\": \"LSTM\", \"input_size\": 5, \"hidden_size\": 0}"))
                .hasMessageContaining("case/config.json").hasMessageContaining("hiddenSize");
        assertThatThrownBy(() -> parse("{\"module\": \"lstm\", \"input_size\": 5, \"hidden_size\": 2}"))
                .hasMessageContaining("'module'").hasMessageContaining("\"lstm\"");
    }
}
