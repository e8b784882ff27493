package dev.recur.cli.verify;

import java.io.IOException;
import java.util.List;

/** A loaded reference case of one kind (a PyTorch module, later HF causal LMs) that can run its comparisons. */
public interface ReferenceCase {
    /** A one-line description: the kind and the architecture. */
    String describe();

    /**
     * Runs the model on the case's inputs and compares every expected tensor.
     *
     * @param outputTolerance   bound on the relative error of outputs and states
     * @param gradientTolerance bound on the relative error of gradients
     */
    List<TensorCheck> run(double outputTolerance, double gradientTolerance) throws IOException;
}
