/**
 * The quasi-LSTM of the Languini Kitchen baseline (Stanić et al., 2023): LSTM gates computed from the input
 * alone, so that the cell recurrence is a diagonal linear scan. {@link dev.recur.layers.qlstm.QlstmLayer} is the
 * entry point, {@link dev.recur.layers.qlstm.QlstmConfig} describes it and
 * {@link dev.recur.layers.qlstm.QlstmState} is its explicit, serialisable state. As a layer-spec kind, {@code qlstm}
 * ({@link dev.recur.layers.qlstm.QlstmMixerKind}) is the block adapter
 * {@link dev.recur.layers.qlstm.QlstmBlockMixer}: the layer of width d_model and an output projection.
 */
package dev.recur.layers.qlstm;
