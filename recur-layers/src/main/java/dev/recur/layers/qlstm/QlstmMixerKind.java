package dev.recur.layers.qlstm;

import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.MixerKind;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.Params;
import java.util.List;

/** The quasi-LSTM's spec kind; the adapter {@link QlstmBlockMixer} documents it. */
public enum QlstmMixerKind implements MixerKind {
    /** The quasi-LSTM (gates from the input only, a diagonal cell scan); no options. */
    QLSTM("qlstm");

    private final String id;
    private final List<String> options;

    QlstmMixerKind(String id, String... options) {
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
        return new QlstmBlockMixer(shape, params);
    }
}
