package dev.recur.layers.ssm.lbmamba;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Norms;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stack of Mamba blocks for encoding a whole sequence (non-causal unless the scans are unidirectional):
 * {@code numLayers} pre-norm residual blocks {@code x + mixer(rmsNorm(x))} (see {@link LbMambaMixer}) and a
 * final RMSNorm, mapping {@code [B, T, H]} to {@code [B, T, H]}.
 *
 * <p>With {@link ScanDirections#LOCAL} (LBVim, Zhang et al. 2025, "LBMamba: Locally Bi-directional Mamba",
 * section 3.2) the direction alternates every two layers: layers 2-3, 6-7, ... read the time-reversed sequence
 * and reverse their output back. Each LBMamba layer sees W-1 later tokens; a reversed pair then carries
 * information from the end of the sequence backwards, so two pairs already give every position the whole
 * sequence, without a global backward scan.
 *
 * <p>An encoder has no streaming form: every output may depend on later inputs, so there is no {@code step}.
 */
public final class LbMambaEncoder {
    private final LbMambaConfig config;
    private final List<Tensor> norms;        // each [H]
    private final List<LbMambaMixer> mixers;
    private final Tensor normF;              // [H]
    private final Map<String, Tensor> parameters;

    private LbMambaEncoder(LbMambaConfig config, List<Tensor> norms, List<LbMambaMixer> mixers, Tensor normF) {
        this.config = config;
        this.norms = norms;
        this.mixers = mixers;
        this.normF = normF;
        Map<String, Tensor> p = new LinkedHashMap<>();
        for (int i = 0; i < mixers.size(); i++) {
            p.put("layers." + i + ".norm.weight", norms.get(i));
            mixers.get(i).collect("layers." + i + ".mixer.", p);
        }
        p.put("norm_f.weight", normF);
        this.parameters = Collections.unmodifiableMap(p);
    }

    /** An encoder with freshly initialised, trainable parameters drawn from {@code rng}. */
    public static LbMambaEncoder create(LbMambaConfig config, Rng rng) {
        List<Tensor> norms = new ArrayList<>();
        List<LbMambaMixer> mixers = new ArrayList<>();
        for (int i = 0; i < config.numLayers(); i++) {
            norms.add(Tensor.full(1f, config.hiddenSize()).requiresGrad(true));
            mixers.add(new LbMambaMixer(config, config.numLayers(), rng.split()));
        }
        return new LbMambaEncoder(config, norms, mixers, Tensor.full(1f, config.hiddenSize()).requiresGrad(true));
    }

    public LbMambaConfig config() {
        return config;
    }

    /** Every parameter, by name ({@code layers.i.mixer.in_proj.weight}, ...; {@code fwd.}/{@code bwd.} branches). */
    public Map<String, Tensor> parameters() {
        return parameters;
    }

    /** Whether layer {@code layer} reads the sequence time-reversed: every second pair of LBMamba layers. */
    public static boolean reversed(ScanDirections directions, int layer) {
        return directions == ScanDirections.LOCAL && (layer / 2) % 2 == 1;
    }

    /** {@code x [B, T, H]} -> {@code [B, T, H]}. */
    public Tensor forward(Tensor x) {
        String op = "lbmamba.forward";
        if (x == null) {
            throw new RecurException(op + ": x is required");
        }
        Shapes.requireRank(op, "x [batch, seqLen, hidden]", x, 3);
        Shapes.require(op, "x [batch, seqLen, hidden]", new int[] {x.dim(0), x.dim(1), config.hiddenSize()},
                x.shape());
        for (int i = 0; i < mixers.size(); i++) {
            Tensor normed = Norms.rmsNorm(x, norms.get(i), config.normEps());
            Tensor m;
            if (reversed(config.directions(), i)) {
                m = Reshaping.flip(mixers.get(i).forward(Reshaping.flip(normed, 1)), 1);
            } else {
                m = mixers.get(i).forward(normed);
            }
            x = Arithmetic.add(x, m);
        }
        return Norms.rmsNorm(x, normF, config.normEps());
    }
}
