package dev.recur.layers.lm;

import dev.recur.core.RecurException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which trained layers a model applies, in which order: test-time depth changes without retraining, as in
 * "Skip a Layer or Loop it? Test-Time Depth Adaptation of Pretrained LLMs" (2025). A plan is written one of
 * two ways:
 * <ul>
 *   <li>a list of layer indices, applied in that order: {@code 0,1,1,1,2,3} (layer 1 three times);</li>
 *   <li>changes to the model's own order {@code 0..L-1}, separated by {@code ;}: {@code skip=I[,I...]} leaves
 *   layers out, {@code repeat=IxK[,IxK...]} applies layer {@code I} {@code K} times in a row in its place, e.g.
 *   {@code skip=2}, {@code repeat=1x3}, {@code skip=0;repeat=3x2}.</li>
 * </ul>
 * Each application of a layer is a slot with its own recurrent state: a repeated layer's applications never
 * share a state. Indices count from 0; a plan applying no layer, an index outside the model, or a repeat count
 * below 1 is an error naming the plan.
 */
public final class LayerPlan {
    private final String spec;

    private LayerPlan(String spec) {
        this.spec = spec;
    }

    /** Reads a plan; its syntax is checked now, its indices against a model by {@link #layers(int)}. */
    public static LayerPlan parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new RecurException("layer plan: empty; give layer indices such as 0,1,1,2 or skip=I / repeat=IxK");
        }
        LayerPlan plan = new LayerPlan(spec.trim());
        plan.resolve(Integer.MAX_VALUE, false);
        return plan;
    }

    /** The layers to apply, one entry per slot, for a model of {@code numLayers} layers. */
    public int[] layers(int numLayers) {
        if (numLayers < 1) {
            throw new RecurException("layer plan '" + spec + "': the model has no layers");
        }
        return resolve(numLayers, true);
    }

    /** The plan applied to {@code model}; an error names the model type when it cannot follow plans. */
    public CausalLm applyTo(CausalLm model) {
        if (model instanceof LayerPlanned planned) {
            return planned.withLayerPlan(this);
        }
        throw new RecurException("layer plan '" + spec + "': model type '" + model.modelType()
                + "' does not support layer plans (supported: recur_lstm, mamba, falcon_mamba, mamba2)");
    }

    @Override
    public String toString() {
        return spec;
    }

    private int[] resolve(int numLayers, boolean checkRange) {
        List<Integer> order = new ArrayList<>();
        if (!spec.contains("=")) {
            for (String piece : spec.split(",", -1)) {
                order.add(index(piece, numLayers, checkRange));
            }
        } else {
            int[] times = new int[checkRange ? numLayers : 0];
            Arrays.fill(times, 1);
            for (String directive : spec.split(";", -1)) {
                String d = directive.trim();
                int eq = d.indexOf('=');
                String key = eq < 0 ? d : d.substring(0, eq).trim();
                String[] items = eq < 0 ? new String[0] : d.substring(eq + 1).split(",", -1);
                switch (key) {
                    case "skip" -> {
                        for (String item : items) {
                            int i = index(item, numLayers, checkRange);
                            if (checkRange) {
                                times[i] = 0;
                            }
                        }
                    }
                    case "repeat" -> {
                        for (String item : items) {
                            int x = item.indexOf('x');
                            if (x < 0) {
                                throw error("'" + item.trim() + "' in repeat= must be INDEXxCOUNT, e.g. 1x3");
                            }
                            int i = index(item.substring(0, x), numLayers, checkRange);
                            int k = number(item.substring(x + 1), "repeat count");
                            if (k < 1) {
                                throw error("repeat count must be >= 1, got " + k
                                        + " (use skip= to leave a layer out)");
                            }
                            if (checkRange) {
                                times[i] = k;
                            }
                        }
                    }
                    default -> throw error("unknown directive '" + d + "'; expected skip=I[,I...] or"
                            + " repeat=IxK[,IxK...]");
                }
            }
            for (int i = 0; i < times.length; i++) {
                for (int k = 0; k < times[i]; k++) {
                    order.add(i);
                }
            }
            if (checkRange && order.isEmpty()) {
                throw error("applies no layer (the model has " + numLayers + ")");
            }
        }
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    private int index(String text, int numLayers, boolean checkRange) {
        int i = number(text, "layer index");
        if (i < 0) {
            throw error("layer index must be >= 0, got " + i);
        }
        if (checkRange && i >= numLayers) {
            throw error("layer " + i + " is out of range; the model has " + numLayers + " layers (0.."
                    + (numLayers - 1) + ")");
        }
        return i;
    }

    private int number(String text, String what) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw error(what + " '" + text.trim() + "' is not an integer");
        }
    }

    private RecurException error(String message) {
        return new RecurException("layer plan '" + spec + "': " + message);
    }
}
