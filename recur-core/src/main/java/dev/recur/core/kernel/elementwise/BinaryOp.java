package dev.recur.core.kernel.elementwise;

/** The four arithmetic operations the elementwise kernels apply lane by lane, each rounded once (IEEE 754). */
public enum BinaryOp {
    ADD("add"),
    SUB("sub"),
    MUL("mul"),
    DIV("div");

    private final String opName;

    BinaryOp(String opName) {
        this.opName = opName;
    }

    /** The op's name as it appears in error messages and on the autograd graph. */
    public String opName() {
        return opName;
    }

    /** One scalar application, {@code a op b}. */
    public float apply(float a, float b) {
        switch (this) {
            case ADD:
                return a + b;
            case SUB:
                return a - b;
            case MUL:
                return a * b;
            default:
                return a / b;
        }
    }
}
