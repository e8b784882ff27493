package dev.recur.layers.rat;

import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.MixerKind;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.Params;
import java.util.List;

/** RAT's spec kind; the adapter {@link RatBlockMixer} documents its options. */
public enum RatMixerKind implements MixerKind {
    /** RAT (recurrence inside chunks, attention across them): {@code heads}, {@code chunk}. */
    RAT("rat", "heads", "chunk");

    private final String id;
    private final List<String> options;

    RatMixerKind(String id, String... options) {
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
        return new RatBlockMixer(shape, params);
    }
}
