package dev.recur.layers.rnn;

import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.MixerKind;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.Params;
import java.util.List;

/** The classic recurrent cells as spec kinds; the adapter {@link RnnBlockMixer} documents them. */
public enum RnnMixerKind implements MixerKind {
    /** One LSTM layer of width d_model (no options). */
    LSTM("lstm"),
    /** One GRU layer of width d_model (no options). */
    GRU("gru"),
    /** One Elman tanh RNN layer of width d_model (no options). */
    ELMAN("elman");

    private final String id;
    private final List<String> options;

    RnnMixerKind(String id, String... options) {
        this.id = id;
        this.options = List.of(options);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<String> options() {
        return options;
    }

    @Override
    public Mixer create(MixerShape shape, Params params) {
        CellType cell = switch (this) {
            case LSTM -> CellType.LSTM;
            case GRU -> CellType.GRU;
            case ELMAN -> CellType.RNN_TANH;
        };
        return new RnnBlockMixer(shape, params, cell);
    }
}
