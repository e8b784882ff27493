package dev.recur.layers.testing;

import dev.recur.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba, 2015) with bias correction, enough for the layers' learning tests. The real optimisers
 * live in recur-train, which sits above recur-layers and so cannot be a dependency of its tests.
 */
public final class TestAdam {
    private final List<Tensor> params;
    private final float lr;
    private final List<float[]> m = new ArrayList<>();
    private final List<float[]> v = new ArrayList<>();
    private int t;

    public TestAdam(List<Tensor> params, float lr) {
        this.params = params;
        this.lr = lr;
        for (Tensor p : params) {
            m.add(new float[p.size()]);
            v.add(new float[p.size()]);
        }
    }

    public void zeroGrad() {
        params.forEach(Tensor::zeroGrad);
    }

    public void step() {
        t++;
        double c1 = 1 - Math.pow(0.9, t);
        double c2 = 1 - Math.pow(0.999, t);
        for (int i = 0; i < params.size(); i++) {
            float[] w = params.get(i).data();
            float[] g = params.get(i).gradBuffer();
            float[] mi = m.get(i);
            float[] vi = v.get(i);
            for (int j = 0; j < w.length; j++) {
                mi[j] = 0.9f * mi[j] + 0.1f * g[j];
                vi[j] = 0.999f * vi[j] + 0.001f * g[j] * g[j];
                w[j] -= (float) (lr * (mi[j] / c1) / (Math.sqrt(vi[j] / c2) + 1e-8));
            }
        }
    }
}
