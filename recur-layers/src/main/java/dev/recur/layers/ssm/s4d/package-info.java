/**
 * S4D: diagonal structured state spaces with HiPPO initialisations (Gu et al. 2022). {@link
 * dev.recur.layers.ssm.s4d.S4dLayer} is the layer (convolution mode by FFT for whole sequences, recurrent mode by
 * steps), {@link dev.recur.layers.ssm.s4d.S4dConfig} its sizes, {@link dev.recur.layers.ssm.s4d.S4dState} its
 * serialisable complex state, {@link dev.recur.layers.ssm.s4d.HippoDiagonal} the initialisations. The
 * differentiable pieces with hand-written backward are {@link dev.recur.layers.ssm.s4d.S4dDiscretize},
 * {@link dev.recur.layers.ssm.s4d.Vandermonde} and {@link dev.recur.layers.ssm.s4d.FftConvolution}; complex
 * numbers are pairs of real tensors throughout. As a layer-spec kind, {@code s4d} ({@link
 * dev.recur.layers.ssm.s4d.S4dMixerKind}) is the block adapter {@link dev.recur.layers.ssm.s4d.S4dBlockMixer}:
 * the layer over the residual stream with a GELU and a GLU output layer.
 */
package dev.recur.layers.ssm.s4d;
