package dev.recur.onnx.rnn;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * ONNX's three recurrent operators (opset 7 to 22) with what they define: the gate count, the inputs and
 * outputs in order, the attributes and the default activations per direction.
 */
public enum RnnOperator {
    LSTM(4, List.of("Sigmoid", "Tanh", "Tanh"),
            List.of("X", "W", "R", "B", "sequence_lens", "initial_h", "initial_c", "P"),
            List.of("Y", "Y_h", "Y_c"), "input_forget"),
    GRU(3, List.of("Sigmoid", "Tanh"), List.of("X", "W", "R", "B", "sequence_lens", "initial_h"),
            List.of("Y", "Y_h"), "linear_before_reset"),
    RNN(1, List.of("Tanh"), List.of("X", "W", "R", "B", "sequence_lens", "initial_h"), List.of("Y", "Y_h"), null);

    private final int gates;
    private final List<String> defaultActivations;
    private final List<String> inputs;
    private final List<String> outputs;
    private final Set<String> attributes;

    RnnOperator(int gates, List<String> defaultActivations, List<String> inputs, List<String> outputs,
                String ownAttribute) {
        this.gates = gates;
        this.defaultActivations = defaultActivations;
        this.inputs = inputs;
        this.outputs = outputs;
        Set<String> a = new TreeSet<>(Set.of("activation_alpha", "activation_beta", "activations", "clip",
                "direction", "hidden_size", "layout"));
        if (ownAttribute != null) {
            a.add(ownAttribute);
        }
        this.attributes = Set.copyOf(a);
    }

    /** Gate blocks stacked in W, R and each half of B. */
    public int gates() {
        return gates;
    }

    /** The activations of one direction when the attribute is absent: f, g (and h for the LSTM). */
    public List<String> defaultActivations() {
        return defaultActivations;
    }

    /** Input names in order. */
    public List<String> inputs() {
        return inputs;
    }

    /** Output names in order. */
    public List<String> outputs() {
        return outputs;
    }

    /** Every attribute the operator defines. */
    public Set<String> attributes() {
        return attributes;
    }
}
