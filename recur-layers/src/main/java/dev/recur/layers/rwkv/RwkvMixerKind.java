package dev.recur.layers.rwkv;

import dev.recur.layers.block.MixerKind;

/** RWKV-4's spec kind; the adapter {@link RwkvBlockMixer} documents it. */
public final class RwkvMixerKind {
    /** RWKV-4 time mixing (token shift and WKV); no options. */
    public static final MixerKind RWKV = MixerKind.recurrent("rwkv", RwkvBlockMixer::new);

    private RwkvMixerKind() {}
}
