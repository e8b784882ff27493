package dev.recur.layers.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.io.json.JsonParser;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A reference case's config.json becomes the config PyTorch's constructor would build, with its defaults (and
 * batch-first when {@code batch_first} is absent, as the format always read it); cells parse to cell configs.
 */
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
        assertThatThrownBy(() -> parse("{\"module\": \"LSTM\", \"input_size\": 5, \"hidden_size\": 0}"))
                .hasMessageContaining("case/config.json").hasMessageContaining("hiddenSize");
        assertThatThrownBy(() -> parse("{\"module\": \"lstm\", \"input_size\": 5, \"hidden_size\": 2}"))
                .hasMessageContaining("'module'").hasMessageContaining("\"lstm\"");
    }

    @Test
    void projectionAndLayoutAreRead() {
        RnnConfig c = parse("{\"module\": \"LSTM\", \"input_size\": 5, \"hidden_size\": 7, \"proj_size\": 3,"
                + " \"batch_first\": false}");
        assertThat(c.projSize()).isEqualTo(3);
        assertThat(c.batchFirst()).isFalse();
        assertThat(parse("{\"module\": \"GRU\", \"input_size\": 5, \"hidden_size\": 7, \"proj_size\": 0}")
                .projSize()).isZero();
        assertThat(parse("{\"module\": \"GRU\", \"input_size\": 5, \"hidden_size\": 7}").batchFirst()).isTrue();
    }

    @Test
    void badProjectionsNameTheFileAndField() {
        assertThatThrownBy(() -> parse("{\"module\": \"LSTM\", \"input_size\": 5, \"hidden_size\": 4,"
                + " \"proj_size\": 4}")).isInstanceOf(RecurException.class).hasMessageContaining("case/config.json")
                .hasMessageContaining("'proj_size'").hasMessageContaining("smaller than hidden_size 4");
        assertThatThrownBy(() -> parse("{\"module\": \"GRU\", \"input_size\": 5, \"hidden_size\": 4,"
                + " \"proj_size\": 2}")).hasMessageContaining("'proj_size'").hasMessageContaining("only supported for"
                + " LSTM").hasMessageContaining("GRU");
        assertThatThrownBy(() -> parse("{\"module\": \"LSTM\", \"input_size\": 5, \"hidden_size\": 4,"
                + " \"proj_size\": -1}")).hasMessageContaining("projSize").hasMessageContaining("-1");
    }

    @Test
    @SuppressWarnings("unchecked")
    void cellsParseToCellConfigs() {
        Map<String, Object> json = (Map<String, Object>) JsonParser.parse("{\"module\": \"RNNCell\", \"input_size\":"
                + " 3, \"hidden_size\": 4, \"bias\": false, \"nonlinearity\": \"relu\"}");
        assertThat(TorchRnnConfig.isCell(json, "c")).isTrue();
        assertThat(TorchRnnConfig.parseCell(json, "c")).isEqualTo(new RnnCellConfig(CellType.RNN_RELU, 3, 4, false));
        assertThatThrownBy(() -> TorchRnnConfig.parse(json, "case/config.json")).isInstanceOf(RecurException.class)
                .hasMessageContaining("is a cell");
        Map<String, Object> layered = (Map<String, Object>) JsonParser.parse("{\"module\": \"LSTMCell\","
                + " \"input_size\": 3, \"hidden_size\": 4, \"num_layers\": 2}");
        assertThatThrownBy(() -> TorchRnnConfig.parseCell(layered, "case/config.json"))
                .hasMessageContaining("case/config.json").hasMessageContaining("'num_layers'")
                .hasMessageContaining("LSTMCell");
        Map<String, Object> unknown = (Map<String, Object>) JsonParser.parse("{\"module\": \"LSTMcell\"}");
        assertThatThrownBy(() -> TorchRnnConfig.isCell(unknown, "case/config.json"))
                .hasMessageContaining("\"LSTMCell\"").hasMessageContaining("got \"LSTMcell\"");
    }
}
