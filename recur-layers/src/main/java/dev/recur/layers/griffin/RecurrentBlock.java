package dev.recur.layers.griffin;

import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.CausalConv1d;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.tensor.Tensor;
import java.util.Map;

/**
 * Griffin's recurrent block: {@code out = W_out (RG-LRU(Conv1D(W_x x)) * GELU(W_y x))}, the convolution a causal
 * depthwise one of {@code conv1d_width} taps with a bias. State: the convolution's last inputs
 * ({@code layers.i.conv [B, K-1, L]}) and the RG-LRU's hidden state ({@code layers.i.rg_lru [B, L]}).
 */
final class RecurrentBlock implements TemporalBlock {
    private final int index;
    private final Projection linearX;
    private final Projection linearY;
    private final Projection linearOut;
    private final Tensor convWeight; // [L, 1, K] as stored
    private final Tensor convBias; // [L]
    private final RgLru rgLru;
    private final boolean exactGelu;

    RecurrentBlock(int index, Projection linearX, Projection linearY, Projection linearOut, Tensor convWeight,
                   Tensor convBias, RgLru rgLru, boolean exactGelu) {
        this.index = index;
        this.linearX = linearX;
        this.linearY = linearY;
        this.linearOut = linearOut;
        this.convWeight = convWeight;
        this.convBias = convBias;
        this.rgLru = rgLru;
        this.exactGelu = exactGelu;
    }

    @Override
    public Tensor forward(Tensor x, Map<String, Tensor> state, Map<String, Tensor> next, long start) {
        Tensor y = Activations.gelu(linearY.apply(x), exactGelu ? "none" : "tanh"); // [B, T, L]
        Tensor weight = Reshaping.reshape(convWeight, convWeight.dim(0), convWeight.dim(2)); // [L, K]
        CausalConv1d.Result conv = CausalConv1d.forward(linearX.apply(x), weight, convBias,
                state.get(RecurrentGemmaState.conv(index)));
        RgLru.Result lru = rgLru.forward(conv.output(), state.get(RecurrentGemmaState.rgLru(index)), start);
        next.put(RecurrentGemmaState.conv(index), conv.state());
        next.put(RecurrentGemmaState.rgLru(index), lru.state());
        return linearOut.apply(Arithmetic.mul(lru.output(), y));
    }
}
