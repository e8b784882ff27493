package dev.recur.layers.linear;

import dev.recur.layers.block.MixerKind;

/** LightNet's spec kind; the adapter {@link LightNetMixer} documents it. */
public final class LightNetMixerKind {
    /** LightNet (additive recurrence with a softmax-normalised key): {@code heads}, {@code conv} (0: none). */
    public static final MixerKind LIGHTNET = MixerKind.recurrent("lightnet", LightNetMixer::new, "heads", "conv");

    private LightNetMixerKind() {}
}
