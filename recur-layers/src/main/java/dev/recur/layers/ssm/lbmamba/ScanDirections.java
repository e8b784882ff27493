package dev.recur.layers.ssm.lbmamba;

import dev.recur.core.RecurException;

/**
 * Which context a Mamba encoder's scans see.
 *
 * <ul>
 *   <li>{@link #UNIDIRECTIONAL}: the plain forward selective scan (causal; Gu and Dao 2023).</li>
 *   <li>{@link #LOCAL}: LBMamba (Zhang et al. 2025): the forward scan plus a local backward scan over windows of
 *   W tokens, with the stack's direction reversed for every second pair of layers (LBVim), so that the whole
 *   sequence is reached without a global backward pass.</li>
 *   <li>{@link #GLOBAL}: the usual bi-directional form (Vision Mamba, Zhu et al. 2024): a forward and a
 *   backward scan over the whole sequence, each with its own convolution and SSM parameters, summed.</li>
 * </ul>
 */
public enum ScanDirections {
    UNIDIRECTIONAL("mamba"),
    LOCAL("lbmamba"),
    GLOBAL("bimamba");

    private final String specName;

    ScanDirections(String specName) {
        this.specName = specName;
    }

    /** The short name used in specs and tables: {@code mamba}, {@code lbmamba} or {@code bimamba}. */
    public String specName() {
        return specName;
    }

    /** The kind called {@code name} (a spec name); anything else is a {@link RecurException} listing them. */
    public static ScanDirections fromSpec(String name) {
        for (ScanDirections d : values()) {
            if (d.specName.equals(name)) {
                return d;
            }
        }
        throw new RecurException("mamba encoder: expected a scan kind among mamba, lbmamba, bimamba, got '" + name
                + "'");
    }
}
