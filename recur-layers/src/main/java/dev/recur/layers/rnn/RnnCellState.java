package dev.recur.layers.rnn;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * The state a recurrent cell passes from step to step: {@code h [B, H]} and, for the LSTM cell, {@code c [B, H]}
 * (what PyTorch's {@code nn.LSTMCell} returns as {@code (h', c')}, and the others as {@code h'}).
 */
public record RnnCellState(Tensor h, Tensor c) {
    public RnnCellState {
        if (h == null) {
            throw new RecurException("RnnCellState: h is required");
        }
        Shapes.requireRank("RnnCellState", "h [batch, hidden]", h, 2);
        if (c != null) {
            Shapes.require("RnnCellState", "c", h.shape(), c.shape());
        }
    }

    public int batchSize() {
        return h.dim(0);
    }

    /** The same values cut from the autograd graph. */
    public RnnCellState detach() {
        return new RnnCellState(h.detach(), c == null ? null : c.detach());
    }
}
