package dev.recur.layers.ssm.mamba2;

import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.MixerKind;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.Params;
import java.util.List;

/** Mamba-2's spec kind; the adapter {@link Mamba2BlockMixer} documents its options. */
public enum Mamba2MixerKind implements MixerKind {
    /** Mamba-2's SSD: {@code state} (N), {@code heads}, {@code expand}, {@code conv}, {@code chunk}. */
    MAMBA2("mamba2", "state", "heads", "expand", "conv", "chunk");

    private final String id;
    private final List<String> options;

    Mamba2MixerKind(String id, String... options) {
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
        return new Mamba2BlockMixer(shape, params);
    }
}
