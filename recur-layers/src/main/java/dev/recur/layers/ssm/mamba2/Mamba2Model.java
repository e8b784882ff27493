package dev.recur.layers.ssm.mamba2;

import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Embedding;
import dev.recur.core.ops.Norms;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.Params;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LayerPlan;
import dev.recur.layers.lm.LayerPlanned;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.LmState;
import dev.recur.core.ops.Linear;
import dev.recur.layers.lm.LmInputs;
import dev.recur.layers.lm.WeightSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Mamba-2 causal LM (Dao and Gu 2024, "Transformers are SSMs: Generalized Models and Efficient Algorithms
 * Through Structured State Space Duality"), numerically as transformers' {@code Mamba2ForCausalLM}: embeddings,
 * pre-norm residual blocks {@code x += Mamba2Mixer(rmsNorm(x))}, the final RMSNorm {@code norm_f} and the
 * output head (the embedding matrix when tied). The residual stream is float32 throughout, as with
 * {@code residual_in_fp32}.
 */
public final class Mamba2Model implements CausalLm, LayerPlanned {
    /** Where parameters come from: a checkpoint ({@code HfWeights::take}) or freshly made tensors. */
    @FunctionalInterface
    public interface ParameterSource {
        /** The tensor {@code name}, of shape {@code shape}, requiring gradients. */
        Tensor take(String name, int... shape);
    }

    private record Block(Tensor norm, Mamba2Mixer mixer) {}

    private final Mamba2Config config;
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Tensor embeddings;
    private final List<Block> blocks = new ArrayList<>();
    private final Tensor normF;
    private final Tensor head;
    private final int[] order;   // the block each slot applies

    /** Takes every parameter under transformers' names; a tied head reuses {@code backbone.embeddings.weight}. */
    public Mamba2Model(Mamba2Config config, ParameterSource source) {
        this.config = config;
        int d = config.hiddenSize();
        this.embeddings = take(source, "backbone.embeddings.weight", config.vocabSize(), d);
        for (int i = 0; i < config.layers(); i++) {
            String p = "backbone.layers." + i + ".";
            Tensor norm = take(source, p + "norm.weight", d);
            String m = p + "mixer.";
            Mamba2Mixer mixer = Mamba2BlockMixer.load(config, Params.loaded(weights(source), m)).mixer();
            blocks.add(new Block(norm, mixer));
        }
        this.normF = take(source, "backbone.norm_f.weight", d);
        this.head = config.tieWordEmbeddings() ? embeddings : take(source, "lm_head.weight", config.vocabSize(), d);
        this.order = new int[config.layers()];
        Arrays.setAll(order, i -> i);
    }

    private Mamba2Model(Mamba2Model base, int[] order) {
        this.config = base.config;
        this.parameters.putAll(base.parameters);
        this.embeddings = base.embeddings;
        this.blocks.addAll(base.blocks);
        this.normF = base.normF;
        this.head = base.head;
        this.order = order;
    }

    /**
     * The same weights applying the blocks {@code plan} lists; slot {@code s} keeps its state under
     * {@code layers.s.conv} and {@code layers.s.ssm}.
     */
    @Override
    public Mamba2Model withLayerPlan(LayerPlan plan) {
        return new Mamba2Model(this, plan.layers(config.layers()));
    }

    public Mamba2Config config() {
        return config;
    }

    @Override
    public String modelType() {
        return "mamba2";
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public Map<String, Tensor> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    @Override
    public LmState initialState(int batch) {
        return Mamba2State.initial(config, order.length, batch);
    }

    @Override
    public LmOutput forward(IntTensor ids, LmState state) {
        LmInputs.requireIds("mamba2", ids);
        int batch = ids.dim(0);
        LmState start = state == null ? initialState(batch) : state;
        Map<String, Tensor> current = Mamba2State.check(config, order.length, start, batch);
        Map<String, Tensor> next = new LinkedHashMap<>();
        float eps = config.layerNormEps();
        Tensor x = Embedding.embedding(embeddings, ids); // [B, T, D]
        for (int i = 0; i < order.length; i++) {
            Block block = blocks.get(order[i]);
            Mamba2Mixer.Result r = block.mixer().forward(Norms.rmsNorm(x, block.norm(), eps),
                    current.get(Mamba2State.conv(i)), current.get(Mamba2State.ssm(i)));
            x = Arithmetic.add(x, r.output());
            next.put(Mamba2State.conv(i), r.convState());
            next.put(Mamba2State.ssm(i), r.ssmState());
        }
        Tensor logits = Linear.apply(Norms.rmsNorm(x, normF, eps), head); // [B, T, V]
        return new LmOutput(logits, new LmState(next, start.position() + ids.dim(1)));
    }

    /** {@code source} as a weight source, each tensor checked and recorded as a parameter. */
    private WeightSource weights(ParameterSource source) {
        return new WeightSource() {
            @Override
            public Tensor apply(String name, int... shape) {
                return take(source, name, shape);
            }

            @Override
            public boolean has(String name) {
                return true;
            }
        };
    }

    private Tensor take(ParameterSource source, String name, int... shape) {
        Tensor t = source.take(name, shape);
        Shapes.require("mamba2", "parameter '" + name + "'", shape, t.shape());
        parameters.put(name, t);
        return t;
    }
}
