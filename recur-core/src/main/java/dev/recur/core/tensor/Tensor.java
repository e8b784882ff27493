package dev.recur.core.tensor;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dense, row-major float32 tensor that can take part in reverse-mode automatic differentiation.
 *
 * <p>Data is always contiguous: every op returns a new tensor, and views do not exist, which keeps kernels and
 * derivative rules simple. A leaf tensor marked with {@link #requiresGrad(boolean)} accumulates its gradient in
 * {@link #grad()}; a tensor produced by an op while {@link GradMode#isEnabled()} remembers the op, its inputs
 * and its derivative rule, and {@link #backward()} replays those rules in reverse topological order.
 */
public final class Tensor {
    private final float[] data;
    private final int[] shape;
    private boolean requiresGrad;
    private float[] grad;
    private Node node;

    private Tensor(float[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /** Wraps {@code data} (not copied) as a tensor of the given shape. */
    public static Tensor of(float[] data, int... shape) {
        int n = Shapes.numel(shape);
        if (data.length != n) {
            throw new RecurException("Tensor.of: shape " + Shapes.format(shape) + " needs " + n
                    + " values, got " + data.length);
        }
        return new Tensor(data, shape.clone());
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(new float[Shapes.numel(shape)], shape.clone());
    }

    public static Tensor full(float value, int... shape) {
        float[] d = new float[Shapes.numel(shape)];
        Arrays.fill(d, value);
        return new Tensor(d, shape.clone());
    }

    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, new int[0]);
    }

    /** Normal samples with mean 0 and the given standard deviation. */
    public static Tensor randn(Rng rng, float std, int... shape) {
        float[] d = new float[Shapes.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (rng.nextGaussian() * std);
        }
        return new Tensor(d, shape.clone());
    }

    /** Uniform samples in {@code [low, high)}. */
    public static Tensor uniform(Rng rng, float low, float high, int... shape) {
        float[] d = new float[Shapes.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (low + (high - low) * rng.nextDouble());
        }
        return new Tensor(d, shape.clone());
    }

    /**
     * The result of an op: records {@code rule} on the graph when grad mode is on and any input needs a
     * gradient, so that {@link #backward()} can call it later.
     */
    public static Tensor result(String op, float[] data, int[] shape, BackwardFn rule, Tensor... inputs) {
        return results(op, new float[][] {data}, new int[][] {shape}, grads -> rule.backward(grads[0]), inputs)[0];
    }

    /**
     * The results of an op with several outputs, sharing one derivative rule that runs once with all of the
     * outputs' gradients.
     */
    public static Tensor[] results(String op, float[][] data, int[][] shapes, MultiBackwardFn rule,
                                   Tensor... inputs) {
        Tensor[] outs = new Tensor[data.length];
        for (int i = 0; i < data.length; i++) {
            outs[i] = of(data[i], shapes[i]);
        }
        if (recordsGrad(inputs)) {
            Node node = new Node(op, inputs, rule);
            node.outputs = outs;
            for (Tensor out : outs) {
                out.node = node;
                out.requiresGrad = true;
            }
        }
        return outs;
    }

    /**
     * Whether an op over {@code inputs} records its backward now: grad mode is on and an input tracks gradients
     * (null inputs are skipped). Ops whose forward keeps extra state only for the backward ask this first.
     */
    public static boolean recordsGrad(Tensor... inputs) {
        if (!GradMode.isEnabled()) {
            return false;
        }
        for (Tensor in : inputs) {
            if (in != null && in.requiresGrad) {
                return true;
            }
        }
        return false;
    }

    /** The backing array, row-major; ops read it and kernels write it directly. */
    public float[] data() {
        return data;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** The size of one axis; negative axes count from the end. */
    public int dim(int axis) {
        return shape[Shapes.axis("dim", axis, shape.length)];
    }

    public int size() {
        return data.length;
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (data.length != 1) {
            throw new RecurException("item: expected a one-element tensor, got shape " + Shapes.format(shape));
        }
        return data[0];
    }

    /** The element at a full index. */
    public float get(int... index) {
        if (index.length != shape.length) {
            throw new RecurException("get: expected " + shape.length + " indices, got " + index.length);
        }
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new RecurException("get: index " + Arrays.toString(index) + " is out of bounds for shape "
                        + Shapes.format(shape));
            }
            flat = flat * shape[i] + index[i];
        }
        return data[flat];
    }

    /** Marks a leaf as a parameter (or input) whose gradient {@link #backward()} should accumulate. */
    public Tensor requiresGrad(boolean value) {
        if (node != null) {
            throw new RecurException("requiresGrad: only leaf tensors can be marked; this one was made by "
                    + node.op);
        }
        requiresGrad = value;
        return this;
    }

    /** True for a marked leaf, and for any op result that depends on one. */
    public boolean tracksGrad() {
        return requiresGrad;
    }

    /** The op that made this tensor, or null for a leaf. */
    public String op() {
        return node == null ? null : node.op;
    }

    /** The accumulated gradient, or null when none has reached this tensor. */
    public Tensor grad() {
        return grad == null ? null : new Tensor(grad, shape.clone());
    }

    /**
     * The gradient buffer for derivative rules to add into, allocated on first use; null when this tensor
     * does not track gradients, so rules skip inputs that need none.
     */
    public float[] gradBuffer() {
        if (!requiresGrad) {
            return null;
        }
        if (grad == null) {
            grad = new float[data.length];
        }
        return grad;
    }

    public void zeroGrad() {
        grad = null;
    }

    /** A new leaf sharing this tensor's data, cut from the graph. */
    public Tensor detach() {
        return new Tensor(data, shape);
    }

    /** Back-propagates from a one-element tensor (a loss), seeding its gradient with 1. */
    public void backward() {
        if (data.length != 1) {
            throw new RecurException("backward: expected a one-element loss, got shape " + Shapes.format(shape)
                    + "; pass an upstream gradient instead");
        }
        backward(new float[] {1f});
    }

    /** Back-propagates an upstream gradient of this tensor's shape through the recorded graph. */
    public void backward(float[] upstream) {
        if (upstream.length != data.length) {
            throw new RecurException("backward: upstream gradient has " + upstream.length + " values, tensor has "
                    + data.length);
        }
        if (!requiresGrad) {
            throw new RecurException("backward: this tensor does not depend on anything that requires a gradient");
        }
        float[] g = gradBuffer();
        for (int i = 0; i < g.length; i++) {
            g[i] += upstream[i];
        }
        for (Node n : reverseTopologicalOrder()) {
            float[][] grads = new float[n.outputs.length][];
            boolean any = false;
            for (int i = 0; i < grads.length; i++) {
                Tensor out = n.outputs[i];
                any |= out.grad != null;
                grads[i] = out.grad != null ? out.grad : new float[out.data.length];
                // Intermediate gradients are not kept, as in PyTorch: only leaves hold theirs.
                out.grad = null;
            }
            if (any) {
                n.rule.backward(grads);
            }
        }
    }

    /** Ops reachable from this tensor, consumers before producers; iterative, so long chains cannot overflow. */
    private List<Node> reverseTopologicalOrder() {
        List<Node> postOrder = new ArrayList<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        Deque<Node> stack = new ArrayDeque<>();
        Deque<Integer> nextChild = new ArrayDeque<>();
        if (node != null) {
            stack.push(node);
            nextChild.push(0);
            seen.put(node, Boolean.TRUE);
        }
        while (!stack.isEmpty()) {
            Node top = stack.peek();
            int i = nextChild.pop();
            if (i < top.inputs.length) {
                nextChild.push(i + 1);
                Node child = top.inputs[i].node;
                if (child != null && seen.put(child, Boolean.TRUE) == null) {
                    stack.push(child);
                    nextChild.push(0);
                }
            } else {
                stack.pop();
                postOrder.add(top);
            }
        }
        List<Node> order = new ArrayList<>(postOrder.size());
        for (int i = postOrder.size() - 1; i >= 0; i--) {
            order.add(postOrder.get(i));
        }
        return order;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shapes.format(shape)).append(' ');
        int n = Math.min(data.length, 8);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append(data[i]);
        }
        sb.append(data.length > n ? ", ...]" : "]");
        if (node != null) {
            sb.append(" op=").append(node.op);
        }
        return sb.toString();
    }
}
