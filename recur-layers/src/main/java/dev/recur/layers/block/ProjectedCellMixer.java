package dev.recur.layers.block;

import dev.recur.core.ops.Linear;
import dev.recur.core.scan.ScanOutput;
import dev.recur.core.tensor.Tensor;

/**
 * A mixer made of a recurrent layer of width d_model whose state is one {@code [B, D]} tensor, followed by an
 * output projection {@code out_proj.weight [D, D]} that carries the stack's residual factor (such layers emit a
 * bounded state that no weight of theirs scales):
 * <pre>
 *   h_t = cell(x_t, h_{t-1})      [B, T, D]
 *   y_t = W_o h_t                 [B, T, D]
 * </pre>
 * A subclass takes the layer's parameters and then calls {@link #takeOutputProjection}; it runs the layer in
 * {@link #run}.
 */
public abstract class ProjectedCellMixer extends AdapterMixer {
    private static final String OUT_PROJ = "out_proj.weight";

    private final String stateName;

    /** A mixer whose state tensor is named {@code stateName}. */
    protected ProjectedCellMixer(MixerShape shape, String stateName) {
        super(shape);
        this.stateName = stateName;
    }

    /** Takes {@code out_proj.weight}, drawn {@code U(+-1/sqrt(D))} times the residual factor. */
    protected void takeOutputProjection(Params p) {
        int d = shape.dModel();
        take(p, OUT_PROJ, new int[] {d, d}, Params.fanIn(d, d, shape.outScale()));
    }

    /** The layer's state before any token, {@code [batch, D]}. */
    protected abstract Tensor initialTensor(int batch);

    /** Runs the layer over {@code x [B, T, D]} from {@code state [B, D]}: its output and its final state. */
    protected abstract ScanOutput run(Tensor x, Tensor state);

    @Override
    public MixerState initialState(int batch) {
        shape.requireBatch(batch);
        return MixerState.of(0, new String[] {stateName}, initialTensor(batch));
    }

    @Override
    public MixerOutput forward(Tensor x, MixerState state) {
        shape.requireInput(x);
        MixerState s = state == null ? initialState(x.dim(0)) : state;
        ScanOutput out = run(x, shape.stateTensor(s, stateName, x.dim(0), shape.dModel()));
        return new MixerOutput(Linear.apply(out.output(), param(OUT_PROJ)),
                MixerState.of(s.position() + x.dim(1), new String[] {stateName}, out.state()));
    }
}
