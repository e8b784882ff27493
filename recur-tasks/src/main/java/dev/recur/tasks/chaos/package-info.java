/**
 * Chaotic systems for forecasting: Lorenz-96 ({@link dev.recur.tasks.chaos.Lorenz96}, RK4), Kuramoto-Sivashinsky
 * ({@link dev.recur.tasks.chaos.KuramotoSivashinsky}, ETDRK4 on an FFT grid) and Mackey-Glass
 * ({@link dev.recur.tasks.chaos.MackeyGlass}, RK4 with a delay buffer), each simulated from a seed into a
 * {@link dev.recur.tasks.series.TimeSeries} and cut into forecasting windows.
 */
package dev.recur.tasks.chaos;
