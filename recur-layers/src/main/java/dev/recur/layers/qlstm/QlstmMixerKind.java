package dev.recur.layers.qlstm;

import dev.recur.layers.block.MixerKind;

/** The quasi-LSTM's spec kind; the adapter {@link QlstmBlockMixer} documents it. */
public final class QlstmMixerKind {
    /** The quasi-LSTM (gates from the input only, a diagonal cell scan); no options. */
    public static final MixerKind QLSTM = MixerKind.recurrent("qlstm", QlstmBlockMixer::new);

    private QlstmMixerKind() {}
}
