package dev.recur.layers.ssm.mamba2;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.LmState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names and shapes of a Mamba-2 model's recurrent state, two tensors per layer (per slot under a layer
 * plan): the last {@code conv_kernel - 1} inputs of the convolution ({@code layers.i.conv [B, K-1, convDim]},
 * time-major as {@link dev.recur.core.ops.CausalConv1d} carries it) and the SSM state
 * ({@code layers.i.ssm [B, H, P, N]}).
 */
public final class Mamba2State {
    private Mamba2State() {}

    public static String conv(int layer) {
        return "layers." + layer + ".conv";
    }

    public static String ssm(int layer) {
        return "layers." + layer + ".ssm";
    }

    /** Zero states for {@code batch} streams, one per layer slot. */
    static LmState initial(Mamba2Config config, int slots, int batch) {
        if (batch <= 0) {
            throw new RecurException("mamba2: batch must be > 0, got " + batch);
        }
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < slots; i++) {
            m.put(conv(i), Tensor.zeros(convShape(config, batch)));
            m.put(ssm(i), Tensor.zeros(ssmShape(config, batch)));
        }
        return new LmState(m, 0);
    }

    /** The state's tensors, each checked for presence and shape against the config and batch. */
    static Map<String, Tensor> check(Mamba2Config config, int slots, LmState state, int batch) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < slots; i++) {
            put(m, state, conv(i), convShape(config, batch));
            put(m, state, ssm(i), ssmShape(config, batch));
        }
        return m;
    }

    private static int[] convShape(Mamba2Config config, int batch) {
        return new int[] {batch, config.convKernel() - 1, config.convDim()};
    }

    private static int[] ssmShape(Mamba2Config config, int batch) {
        return new int[] {batch, config.heads(), config.headDim(), config.stateSize()};
    }

    private static void put(Map<String, Tensor> m, LmState state, String name, int[] shape) {
        m.put(name, state.tensor("mamba2", name, shape));
    }
}
