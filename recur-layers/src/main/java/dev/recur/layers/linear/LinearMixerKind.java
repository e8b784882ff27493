package dev.recur.layers.linear;

import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.MixerKind;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.Params;
import java.util.List;

/**
 * The matrix-state (linear attention) spec kinds; {@link GatedDeltaNet} documents {@code gdn}, the adapter
 * {@link LinearAttentionMixer} the others.
 */
public enum LinearMixerKind implements MixerKind {
    /** Gated DeltaNet: {@code heads}, {@code conv} (0: no short convolution). */
    GDN("gdn", "heads", "conv"),
    /** DeltaNet (the delta rule without decay): {@code heads}, {@code conv}. */
    DELTANET("deltanet", "heads", "conv"),
    /** Gated linear attention: {@code heads}, {@code conv}. */
    GLA("gla", "heads", "conv"),
    /** HGRN-2: {@code heads}, {@code conv}. */
    HGRN2("hgrn2", "heads", "conv"),
    /** Plain causal linear attention with the {@code elu + 1} feature map: {@code heads}, {@code conv}. */
    LINEAR("linear", "heads", "conv");

    private final String id;
    private final List<String> options;

    LinearMixerKind(String id, String... options) {
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
        return this == GDN ? GatedDeltaNet.spec(shape, params) : new LinearAttentionMixer(shape, params, this);
    }
}
