package dev.recur.train;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small builders shared by the training tests. */
public final class Fixtures {
    private Fixtures() {}

    /** Parameters named {@code names[i]} with shapes {@code shapes[i]}, normal(0, 1) values from {@code seed}. */
    public static Parameters randomParameters(long seed, String[] names, int[][] shapes) {
        Rng rng = new Rng(seed);
        Map<String, Tensor> map = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            map.put(names[i], Tensor.randn(rng, 1f, shapes[i]).requiresGrad(true));
        }
        return Parameters.of(map);
    }

    /** A deep copy: same names and values, fresh tensors without gradients. */
    public static Parameters copy(Parameters params) {
        Map<String, Tensor> map = new LinkedHashMap<>();
        for (NamedParameter p : params) {
            map.put(p.name(), Tensor.of(p.value().data().clone(), p.value().shape()).requiresGrad(true));
        }
        return Parameters.of(map);
    }

    /** Overwrites the parameter's gradient with {@code values}. */
    public static void setGrad(NamedParameter p, float[] values) {
        p.value().zeroGrad();
        System.arraycopy(values, 0, p.value().gradBuffer(), 0, values.length);
    }

    /** Widens float values to double. */
    public static double[] toDouble(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return d;
    }

    /** Normal(0, std) gradient values for a parameter, from {@code rng}. */
    public static float[] randomGrad(Rng rng, NamedParameter p, double std) {
        float[] g = new float[p.value().size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (rng.nextGaussian() * std);
        }
        return g;
    }
}
