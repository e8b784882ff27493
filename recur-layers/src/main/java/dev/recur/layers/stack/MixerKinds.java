package dev.recur.layers.stack;

import dev.recur.core.RecurException;
import dev.recur.layers.attention.AttentionMixerKind;
import dev.recur.layers.block.MixerKind;
import dev.recur.layers.griffin.GriffinMixerKind;
import dev.recur.layers.leaky.LeakyMixerKind;
import dev.recur.layers.linear.LightNetMixerKind;
import dev.recur.layers.linear.LinearMixerKind;
import dev.recur.layers.qlstm.QlstmMixerKind;
import dev.recur.layers.rat.RatMixerKind;
import dev.recur.layers.rhn.RhnMixerKind;
import dev.recur.layers.rnn.RnnMixerKind;
import dev.recur.layers.rwkv.RwkvMixerKind;
import dev.recur.layers.ssm.mamba.MambaMixerKind;
import dev.recur.layers.ssm.mamba2.Mamba2MixerKind;
import dev.recur.layers.ssm.s4d.S4dMixerKind;
import java.util.List;

/**
 * The registry of layer-spec kinds: every token mixer a stack block can hold, each declared by its family. Adding
 * a family to the spec language means adding its kinds here and nowhere else.
 */
public final class MixerKinds {
    private static final List<MixerKind> ALL = List.of(
            AttentionMixerKind.ATTN,
            MambaMixerKind.MAMBA,
            Mamba2MixerKind.MAMBA2,
            LinearMixerKind.GDN,
            LinearMixerKind.DELTANET,
            LinearMixerKind.GLA,
            LinearMixerKind.HGRN2,
            LinearMixerKind.LINEAR,
            RatMixerKind.RAT,
            RnnMixerKind.LSTM,
            RnnMixerKind.GRU,
            RnnMixerKind.ELMAN,
            S4dMixerKind.S4D,
            RhnMixerKind.RHN,
            QlstmMixerKind.QLSTM,
            LeakyMixerKind.LEAKY,
            RwkvMixerKind.RWKV,
            LightNetMixerKind.LIGHTNET,
            GriffinMixerKind.GRIFFIN);

    private MixerKinds() {}

    /** Every kind, in registry order. */
    public static List<MixerKind> all() {
        return ALL;
    }

    /** Every spec name, in registry order. */
    public static List<String> ids() {
        return ALL.stream().map(MixerKind::id).toList();
    }

    /** The kind spelled {@code id}; an unknown name gives an error listing the known ones. */
    public static MixerKind of(String id) {
        for (MixerKind k : ALL) {
            if (k.id().equals(id)) {
                return k;
            }
        }
        throw new RecurException("layer spec: unknown block kind '" + id + "' (known: " + String.join(", ", ids())
                + ")");
    }
}
