package dev.recur.onnx.export;

import dev.recur.core.RecurException;

/**
 * How to write an ONNX file.
 *
 * @param opset       the version of the default ONNX domain, {@value #MIN_OPSET} to {@value #MAX_OPSET}
 *                    (14 is the first whose recurrent operators have the {@code layout} attribute)
 * @param stateInputs whether the graph takes the initial states as inputs ({@code h0}, {@code c0}); without,
 *                    every sequence starts from zeros. The final states are outputs either way
 */
public record ExportOptions(int opset, boolean stateInputs) {
    public static final int MIN_OPSET = 14;
    public static final int MAX_OPSET = 22;
    public static final int DEFAULT_OPSET = 17;

    public ExportOptions {
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new RecurException("onnx export: opset must be " + MIN_OPSET + " to " + MAX_OPSET + ", got " + opset);
        }
    }

    /** Opset {@value #DEFAULT_OPSET} with state inputs. */
    public static ExportOptions defaults() {
        return new ExportOptions(DEFAULT_OPSET, true);
    }

    /**
     * The IR version that goes with the opset (onnx/Versioning.md: IR 7 came with opset 14, 8 with 15 to 18, 9
     * with 19 and 20, 10 with 21 and 22).
     */
    public long irVersion() {
        if (opset <= 14) {
            return 7;
        }
        if (opset <= 18) {
            return 8;
        }
        return opset <= 20 ? 9 : 10;
    }
}
