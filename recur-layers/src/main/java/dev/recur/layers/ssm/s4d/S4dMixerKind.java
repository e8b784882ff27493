package dev.recur.layers.ssm.s4d;

import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.MixerKind;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.Params;
import java.util.List;

/** S4D's spec kind; the adapter {@link S4dBlockMixer} documents it. */
public enum S4dMixerKind implements MixerKind {
    /** S4D with the HiPPO-LegS diagonal initialisation: {@code state} (real state size N per channel, even). */
    S4D("s4d", "state");

    private final String id;
    private final List<String> options;

    S4dMixerKind(String id, String... options) {
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
        return new S4dBlockMixer(shape, params);
    }
}
