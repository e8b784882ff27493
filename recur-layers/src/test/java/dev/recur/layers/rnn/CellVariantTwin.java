package dev.recur.layers.rnn;

import java.util.List;

/**
 * One step of a {@link CellVariant} cell in double precision, written from the equations of ONNX's operators
 * (Operators.md, LSTM, GRU and RNN) with plain loops: the variant half of {@link RnnTwin}.
 */
final class CellVariantTwin {
    private CellVariantTwin() {}

    /**
     * The new hidden state of direction {@code dir} from {@code a = W_ih x + b_ih} and {@code u = W_hh h + b_hh};
     * updates the LSTM's {@code c} in place.
     */
    static double[] step(RnnConfig cfg, int dir, double[] a, double[] u, double[] whh, double[] bhh,
                         double[] peephole, double[] h, double[] c) {
        CellVariant v = cfg.variant();
        int hidden = cfg.hiddenSize();
        List<Activation> acts = activations(cfg, dir);
        double[] out = new double[hidden];
        switch (cfg.cell()) {
            case LSTM: {
                for (int j = 0; j < hidden; j++) {
                    double cp = c[j];
                    double pi = peephole == null ? 0 : peephole[j] * cp;
                    double pf = peephole == null ? 0 : peephole[hidden + j] * cp;
                    double i = act(acts.get(0), clamp(v, a[j] + u[j] + pi));
                    double f = v.coupledInputForget() ? 1 - i
                            : act(acts.get(0), clamp(v, a[hidden + j] + u[hidden + j] + pf));
                    double g = act(acts.get(1), clamp(v, a[2 * hidden + j] + u[2 * hidden + j]));
                    c[j] = f * cp + i * g;
                    double po = peephole == null ? 0 : peephole[2 * hidden + j] * c[j];
                    double o = act(acts.get(0), clamp(v, a[3 * hidden + j] + u[3 * hidden + j] + po));
                    out[j] = o * act(acts.get(2), c[j]);
                }
                return out;
            }
            case GRU: {
                double[] r = new double[hidden];
                double[] z = new double[hidden];
                for (int j = 0; j < hidden; j++) {
                    r[j] = act(acts.get(0), clamp(v, a[j] + u[j]));
                    z[j] = act(acts.get(0), clamp(v, a[hidden + j] + u[hidden + j]));
                }
                for (int j = 0; j < hidden; j++) {
                    double recurrent;
                    if (v.linearBeforeReset()) {
                        recurrent = r[j] * u[2 * hidden + j];
                    } else {
                        recurrent = bhh == null ? 0 : bhh[2 * hidden + j];
                        for (int k = 0; k < hidden; k++) {
                            recurrent += whh[(2 * hidden + j) * hidden + k] * r[k] * h[k];
                        }
                    }
                    double n = act(acts.get(1), clamp(v, a[2 * hidden + j] + recurrent));
                    out[j] = (1 - z[j]) * n + z[j] * h[j];
                }
                return out;
            }
            default:
                for (int j = 0; j < hidden; j++) {
                    out[j] = act(acts.get(0), clamp(v, a[j] + u[j]));
                }
                return out;
        }
    }

    private static List<Activation> activations(RnnConfig cfg, int dir) {
        List<Activation> given = cfg.variant().activations();
        int count = cfg.cell() == CellType.LSTM ? 3 : cfg.cell() == CellType.GRU ? 2 : 1;
        if (given.isEmpty()) {
            return cfg.cell() == CellType.LSTM ? List.of(Activation.SIGMOID, Activation.TANH, Activation.TANH)
                    : cfg.cell() == CellType.GRU ? List.of(Activation.SIGMOID, Activation.TANH)
                    : List.of(cfg.cell() == CellType.RNN_RELU ? Activation.RELU : Activation.TANH);
        }
        return given.size() == count ? given : given.subList(dir * count, (dir + 1) * count);
    }

    private static double clamp(CellVariant v, double x) {
        double c = v.clip();
        return Math.max(-c, Math.min(c, x));
    }

    private static double act(Activation a, double x) {
        switch (a) {
            case SIGMOID:
                return 1 / (1 + Math.exp(-x));
            case TANH:
                return Math.tanh(x);
            default:
                return Math.max(0, x);
        }
    }
}
