package dev.recur.layers.block;

import dev.recur.core.tensor.Tensor;

/**
 * A mixer whose state is a causal convolution's last inputs ({@code conv}) and an SSM state ({@code ssm}), as
 * Mamba's and Mamba-2's are: it checks both shapes, runs the mixer and carries the position.
 */
public abstract class ConvSsmMixer extends AdapterMixer {
    private static final String[] STATE = {"conv", "ssm"};

    protected ConvSsmMixer(MixerShape shape) {
        super(shape);
    }

    /** The convolution state's shape for {@code batch} streams. */
    protected abstract int[] convShape(int batch);

    /** The SSM state's shape for {@code batch} streams. */
    protected abstract int[] ssmShape(int batch);

    /** Runs the mixer: {@code {y [B, T, D], conv', ssm'}}. */
    protected abstract Tensor[] run(Tensor x, Tensor conv, Tensor ssm);

    @Override
    public MixerState initialState(int batch) {
        shape.requireBatch(batch);
        return MixerState.of(0, STATE, Tensor.zeros(convShape(batch)), Tensor.zeros(ssmShape(batch)));
    }

    @Override
    public MixerOutput forward(Tensor x, MixerState state) {
        shape.requireInput(x);
        int batch = x.dim(0);
        MixerState s = state == null ? initialState(batch) : state;
        Tensor[] out = run(x, shape.stateTensor(s, STATE[0], convShape(batch)),
                shape.stateTensor(s, STATE[1], ssmShape(batch)));
        return new MixerOutput(out[0], MixerState.of(s.position() + x.dim(1), STATE, out[1], out[2]));
    }
}
