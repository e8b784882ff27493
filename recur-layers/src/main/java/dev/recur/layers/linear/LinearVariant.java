package dev.recur.layers.linear;

/** Which recurrence a {@link LinearAttentionMixer} runs (its class comment gives each one's equations). */
enum LinearVariant {
    /** Katharopoulos et al. 2020: the {@code elu + 1} feature map, no decay. */
    LINEAR,
    /** Yang et al. 2024: a per-key decay and an output gate. */
    GLA,
    /** Schlag et al. 2021: the delta rule without decay. */
    DELTANET,
    /** Qin et al. 2024: q as output gate, k as forget gate. */
    HGRN2
}
