/**
 * The quasi-LSTM of the Languini Kitchen baseline (Stanić et al., 2023): LSTM gates computed from the input
 * alone, so that the cell recurrence is a diagonal linear scan. {@link dev.recur.layers.qlstm.QlstmLayer} is the
 * entry point, {@link dev.recur.layers.qlstm.QlstmConfig} describes it and
 * {@link dev.recur.layers.qlstm.QlstmState} is its explicit, serialisable state.
 */
package dev.recur.layers.qlstm;
