package dev.recur.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.layers.ssm.mamba.MambaConfig;
import org.junit.jupiter.api.Test;

/** The FLOP count behind the Mamba suite's utilisation figure, against a count written out by hand. */
class MambaFlopsTest {
    @Test
    void trainFlopsCountMatrixWeightsSixTimesPlusConvolutionAndScan() {
        // hidden 32, inner 64, state 16, conv 4, dt rank 2, 3 layers, vocab 10
        MambaConfig c = RandomMamba.config(10, 32, 3);
        assertThat(c.timeStepRank()).isEqualTo(2);
        long perLayer = 2 * 64 * 32 + (2 + 32) * 64 + 64 * 2 + 32 * 64;
        assertThat(RandomMamba.matmulWeights(c)).isEqualTo(3 * perLayer + 10 * 32);
        double expected = 6.0 * (3 * perLayer + 10 * 32) + 3 * (3 * 2 * 4 * 64 + 3 * 7 * 64 * 16);
        assertThat(MambaSuite.trainFlopsPerToken(c)).isEqualTo(expected);
    }

    @Test
    void randomModelLoadsThroughTheCheckpointPathWithEveryParameter() {
        MambaConfig c = RandomMamba.config(10, 32, 2);
        var lm = RandomMamba.build(c, 1);
        // per layer: A_log, D, conv w+b, dt w+b, in, out, x, norm = 10 tensors; plus embedding and final norm
        assertThat(lm.parameters()).hasSize(2 * 10 + 2);
        long perLayer = 64 * 16 + 64 + 64 * 4 + 64 + 64 * 2 + 64 + 128 * 32 + 32 * 64 + 34 * 64 + 32;
        assertThat(RandomMamba.parameterCount(lm)).isEqualTo(2 * perLayer + 10 * 32 + 32);
    }
}
