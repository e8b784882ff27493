package dev.recur.layers.rwkv;

import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.MixerKind;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.Params;
import java.util.List;

/** RWKV-4's spec kind; the adapter {@link RwkvBlockMixer} documents it. */
public enum RwkvMixerKind implements MixerKind {
    /** RWKV-4 time mixing (token shift and WKV); no options. */
    RWKV("rwkv");

    private final String id;
    private final List<String> options;

    RwkvMixerKind(String id, String... options) {
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
        return new RwkvBlockMixer(shape, params);
    }
}
