package dev.recur.layers.ssm.mamba;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.CausalConv1d;
import dev.recur.core.ops.Embedding;
import dev.recur.core.ops.Linear;
import dev.recur.core.ops.Norms;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.HfWeights;
import dev.recur.layers.lm.LayerPlan;
import dev.recur.layers.lm.LayerPlanned;
import dev.recur.layers.lm.LmInputs;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.LmState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Mamba causal LM, as transformers' {@code MambaForCausalLM} and {@code FalconMambaForCausalLM}: embedding,
 * {@code numLayers} pre-norm residual blocks {@code x + mixer(rmsNorm(x))} (see {@link MambaMixer}), a final
 * RMSNorm and a linear head, tied to the embedding when {@code tie_word_embeddings} (then one tensor, whose
 * gradient holds both uses).
 *
 * <p>State: per layer {@code i}, {@code layers.i.conv [B, K-1, D_inner]} (the convolution's last inputs) and
 * {@code layers.i.ssm [B, D_inner, N]}. A forward over a whole sequence, over chunks passing the state, or
 * token by token gives the same logits. Under a {@link LayerPlan} the state has one such pair per slot.
 */
public final class MambaLm implements CausalLm, LayerPlanned {
    private static final String PREFIX = "backbone.";

    private final MambaConfig config;
    private final Tensor embedding;      // [V, H]
    private final List<Tensor> norms;    // each [H]
    private final List<MambaMixer> mixers;
    private final Tensor normF;          // [H]
    private final Tensor lmHead;         // [V, H], the embedding itself when tied
    private final Map<String, Tensor> parameters;
    private final int[] order;           // the layer each slot applies

    private MambaLm(MambaConfig config, Tensor embedding, List<Tensor> norms, List<MambaMixer> mixers,
                    Tensor normF, Tensor lmHead, Map<String, Tensor> parameters, int[] order) {
        this.config = config;
        this.order = order;
        this.embedding = embedding;
        this.norms = norms;
        this.mixers = mixers;
        this.normF = normF;
        this.lmHead = lmHead;
        this.parameters = Collections.unmodifiableMap(parameters);
    }

    /** Takes every tensor from {@code weights} under transformers' names, checking each shape. */
    public static MambaLm load(MambaConfig config, HfWeights weights) {
        int h = config.hiddenSize();
        int inner = config.intermediateSize();
        int n = config.stateSize();
        int r = config.timeStepRank();
        Map<String, Tensor> p = new LinkedHashMap<>();
        Tensor embedding = take(weights, p, PREFIX + "embeddings.weight", config.vocabSize(), h);
        List<Tensor> norms = new ArrayList<>();
        List<MambaMixer> mixers = new ArrayList<>();
        for (int i = 0; i < config.numLayers(); i++) {
            String m = PREFIX + "layers." + i + ".mixer.";
            Map<String, Tensor> mixer = new LinkedHashMap<>();
            take(weights, p, mixer, m, "A_log", inner, n);
            take(weights, p, mixer, m, "D", inner);
            if (config.useConvBias()) {
                take(weights, p, mixer, m, "conv1d.bias", inner);
            }
            take(weights, p, mixer, m, "conv1d.weight", inner, 1, config.convKernel());
            take(weights, p, mixer, m, "dt_proj.bias", inner);
            take(weights, p, mixer, m, "dt_proj.weight", inner, r);
            if (config.useBias()) {
                take(weights, p, mixer, m, "in_proj.bias", 2 * inner);
            }
            take(weights, p, mixer, m, "in_proj.weight", 2 * inner, h);
            if (config.useBias()) {
                take(weights, p, mixer, m, "out_proj.bias", h);
            }
            take(weights, p, mixer, m, "out_proj.weight", h, inner);
            take(weights, p, mixer, m, "x_proj.weight", r + 2 * n, inner);
            norms.add(take(weights, p, PREFIX + "layers." + i + ".norm.weight", h));
            mixers.add(new MambaMixer(config.mixer(), mixer::get));
        }
        Tensor normF = take(weights, p, PREFIX + "norm_f.weight", h);
        Tensor lmHead;
        if (config.tieWordEmbeddings()) {
            lmHead = embedding;
            if (weights.has("lm_head.weight")) {
                // Some exports store the tied head a second time; the embedding is the one parameter.
                weights.skip("lm_head.weight");
            }
        } else {
            lmHead = take(weights, p, "lm_head.weight", config.vocabSize(), h);
        }
        int[] identity = new int[config.numLayers()];
        Arrays.setAll(identity, i -> i);
        return new MambaLm(config, embedding, norms, mixers, normF, lmHead, p, identity);
    }

    /** Takes mixer tensor {@code local} under {@code prefix} into the model's and the mixer's maps. */
    private static void take(HfWeights weights, Map<String, Tensor> params, Map<String, Tensor> mixer, String prefix,
                             String local, int... shape) {
        mixer.put(local, take(weights, params, prefix + local, shape));
    }

    private static Tensor take(HfWeights weights, Map<String, Tensor> params, String name, int... shape) {
        Tensor t = weights.take(name, shape);
        params.put(name, t);
        return t;
    }

    public MambaConfig config() {
        return config;
    }

    /**
     * The same weights applying the layers {@code plan} lists; slot {@code s} (applying layer
     * {@code plan[s]}) keeps its state under {@code layers.s.conv} and {@code layers.s.ssm}.
     */
    @Override
    public MambaLm withLayerPlan(LayerPlan plan) {
        return new MambaLm(config, embedding, norms, mixers, normF, lmHead, parameters,
                plan.layers(config.numLayers()));
    }

    @Override
    public String modelType() {
        return config.modelType();
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public Map<String, Tensor> parameters() {
        return parameters;
    }

    @Override
    public LmState initialState(int batch) {
        if (batch < 1) {
            throw new RecurException(config.modelType() + ": batch must be >= 1, got " + batch);
        }
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (int i = 0; i < order.length; i++) {
            t.put(convName(i), CausalConv1d.initialState(batch,
                    Tensor.zeros(config.intermediateSize(), config.convKernel())));
            t.put(ssmName(i), Tensor.zeros(batch, config.intermediateSize(), config.stateSize()));
        }
        return new LmState(t, 0);
    }

    @Override
    public LmOutput forward(IntTensor ids, LmState state) {
        String op = config.modelType() + ".forward";
        LmInputs.requireIds(config.modelType(), ids);
        int batch = ids.dim(0);
        LmState start = state == null ? initialState(batch) : state;
        checkState(op, start, batch);
        Tensor x = Embedding.embedding(embedding, ids);                     // [B, T, H]
        Map<String, Tensor> next = new LinkedHashMap<>();
        for (int i = 0; i < order.length; i++) {
            int layer = order[i];
            Tensor normed = Norms.rmsNorm(x, norms.get(layer), config.normEps());
            MambaMixer.Output m = mixers.get(layer).forward(normed, start.tensor(convName(i)),
                    start.tensor(ssmName(i)));
            x = Arithmetic.add(x, m.y());
            next.put(convName(i), m.convState());
            next.put(ssmName(i), m.ssmState());
        }
        Tensor logits = Linear.apply(Norms.rmsNorm(x, normF, config.normEps()), lmHead, null); // [B, T, V]
        return new LmOutput(logits, new LmState(next, start.position() + ids.dim(1)));
    }

    private void checkState(String op, LmState state, int batch) {
        int inner = config.intermediateSize();
        for (int i = 0; i < order.length; i++) {
            Shapes.require(op, "state '" + convName(i) + "'", new int[] {batch, config.convKernel() - 1, inner},
                    state.tensor(convName(i)).shape());
            Shapes.require(op, "state '" + ssmName(i) + "'", new int[] {batch, inner, config.stateSize()},
                    state.tensor(ssmName(i)).shape());
        }
    }

    static String convName(int layer) {
        return "layers." + layer + ".conv";
    }

    static String ssmName(int layer) {
        return "layers." + layer + ".ssm";
    }
}
