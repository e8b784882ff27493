package dev.recur.layers.attention;

import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.MixerKind;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.Params;
import java.util.List;

/** The attention family's spec kind; the adapter {@link AttentionMixer} documents its options. */
public enum AttentionMixerKind implements MixerKind {
    /** Causal softmax attention with rotary positions: {@code heads}, {@code window} (0: unbounded). */
    ATTN("attn", "heads", "window");

    private final String id;
    private final List<String> options;

    AttentionMixerKind(String id, String... options) {
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

    /** Attention keeps every token it may still see, so its state grows unless windowed. */
    @Override
    public boolean isRecurrent() {
        return false;
    }

    @Override
    public Mixer create(MixerShape shape, Params params) {
        return new AttentionMixer(shape, params);
    }
}
