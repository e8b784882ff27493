package dev.recur.layers.ssm.mamba;

import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.MixerKind;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.Params;
import java.util.List;

/** Mamba's spec kind; the adapter {@link MambaBlockMixer} documents its options. */
public enum MambaMixerKind implements MixerKind {
    /** Mamba's selective SSM: {@code state} (N), {@code expand}, {@code conv} (kernel width). */
    MAMBA("mamba", "state", "expand", "conv");

    private final String id;
    private final List<String> options;

    MambaMixerKind(String id, String... options) {
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
        return new MambaBlockMixer(shape, params);
    }
}
