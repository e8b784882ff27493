package dev.recur.tasks.chaos;

import dev.recur.tasks.TaskEntry;
import dev.recur.tasks.TaskParameter;
import dev.recur.tasks.TaskParams;
import dev.recur.tasks.series.SeriesForecastTask;
import dev.recur.tasks.series.TimeSeries;
import dev.recur.tasks.series.WindowSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry entries of the chaotic-system forecasting tasks. Each simulates one trajectory from the seed when
 * built (after a warm-up that is discarded) and cuts it into windows, the last {@code validation} share of the
 * trajectory held out.
 */
public final class ChaosTasks {
    private ChaosTasks() {
    }

    private static TaskParameter p(String name, Object value, String description) {
        return new TaskParameter(name, String.valueOf(value), description);
    }

    private static List<TaskParameter> windows(int samples, int history, int horizon, double warmup) {
        return List.of(p("samples", samples, "trajectory samples kept"),
                p("history", history, "samples the model reads"),
                p("horizon", horizon, "samples to forecast"),
                p("validation", 0.2, "share of the trajectory, at its end, held out"),
                p("warmup", warmup, "time units simulated and discarded first"));
    }

    private static WindowSpec spec(TaskParams params) {
        return new WindowSpec(params.integer("history"), params.integer("horizon"), params.real("validation"));
    }

    private static int samples(String task, TaskParams params) {
        int n = params.integer("samples");
        if (n < 2) {
            throw new dev.recur.core.RecurException("task " + task + ": parameter samples expected >= 2, got " + n);
        }
        return n;
    }

    private static double warmup(String task, TaskParams params) {
        double w = params.real("warmup");
        if (w < 0) {
            throw new dev.recur.core.RecurException("task " + task + ": parameter warmup expected >= 0, got " + w);
        }
        return w;
    }

    public static List<TaskEntry> entries() {
        List<TaskEntry> list = new ArrayList<>();
        List<TaskParameter> l96 = new ArrayList<>(List.of(p("dims", 40, "variables N"), p("forcing", 8.0, "forcing F"),
                p("step", 0.01, "RK4 step"), p("steps_per_sample", 5, "RK4 steps between samples")));
        l96.addAll(windows(10000, 100, 100, 100));
        list.add(new TaskEntry("lorenz96", "Forecast Lorenz-96 (N = 40, F = 8, RK4); VPT in Lyapunov times (1.68).",
                "Lorenz 1996, Predictability: a problem partly solved; setup of Vlachas et al. 2020",
                l96, (params, seed) -> {
                    Lorenz96 sys = new Lorenz96(params.integer("dims"), params.real("forcing"), params.real("step"),
                            params.integer("steps_per_sample"));
                    TimeSeries s = sys.simulate(samples("lorenz96", params), warmup("lorenz96", params), seed);
                    return new SeriesForecastTask("lorenz96", s, spec(params), sys.lyapunovExponent(), seed);
                }));
        List<TaskParameter> ks = new ArrayList<>(List.of(p("domain", 22, "domain length L"),
                p("grid", 64, "grid points (a power of two)"), p("step", 0.25, "ETDRK4 step"),
                p("steps_per_sample", 1, "steps between samples")));
        ks.addAll(windows(10000, 100, 400, 1000));
        list.add(new TaskEntry("kuramoto-sivashinsky",
                "Forecast Kuramoto-Sivashinsky (L = 22, 64 points, ETDRK4); VPT in Lyapunov times (0.043).",
                "Kassam and Trefethen 2005, Fourth-order time-stepping for stiff PDEs; setup of Pathak et al. 2018",
                ks, (params, seed) -> {
                    KuramotoSivashinsky sys = new KuramotoSivashinsky(params.real("domain"), params.integer("grid"),
                            params.real("step"), params.integer("steps_per_sample"));
                    TimeSeries s = sys.simulate(samples("kuramoto-sivashinsky", params),
                            warmup("kuramoto-sivashinsky", params), seed);
                    return new SeriesForecastTask("kuramoto-sivashinsky", s, spec(params), sys.lyapunovExponent(),
                            seed);
                }));
        MackeyGlass mg = MackeyGlass.STANDARD;
        List<TaskParameter> mgp = new ArrayList<>(List.of(p("tau", mg.tau(), "delay"),
                p("step", mg.step(), "RK4 step (tau / step whole)"),
                p("steps_per_sample", mg.stepsPerSample(), "steps between samples")));
        mgp.addAll(windows(10000, 100, 300, 500));
        list.add(new TaskEntry("mackey-glass", "Forecast Mackey-Glass (tau = 17, delay RK4); VPT in time units.",
                "Mackey and Glass 1977, Oscillation and chaos in physiological control systems",
                mgp, (params, seed) -> {
                    MackeyGlass sys = new MackeyGlass(mg.beta(), mg.gamma(), mg.power(), params.real("tau"),
                            params.real("step"), params.integer("steps_per_sample"));
                    TimeSeries s = sys.simulate(samples("mackey-glass", params), warmup("mackey-glass", params), seed);
                    return new SeriesForecastTask("mackey-glass", s, spec(params), Double.NaN, seed);
                }));
        return list;
    }
}
