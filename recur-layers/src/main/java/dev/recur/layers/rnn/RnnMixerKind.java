package dev.recur.layers.rnn;

import dev.recur.layers.block.MixerKind;

/** The classic recurrent cells as spec kinds; the adapter {@link RnnBlockMixer} documents them. */
public final class RnnMixerKind {
    /** One LSTM layer of width d_model (no options). */
    public static final MixerKind LSTM = cell("lstm", CellType.LSTM);

    /** One GRU layer of width d_model (no options). */
    public static final MixerKind GRU = cell("gru", CellType.GRU);

    /** One Elman tanh RNN layer of width d_model (no options). */
    public static final MixerKind ELMAN = cell("elman", CellType.RNN_TANH);

    private static MixerKind cell(String id, CellType cell) {
        return MixerKind.recurrent(id, (shape, p) -> new RnnBlockMixer(shape, p, cell));
    }

    private RnnMixerKind() {}
}
