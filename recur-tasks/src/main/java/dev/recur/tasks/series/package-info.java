/**
 * Forecasting on time series: a series ({@link dev.recur.tasks.series.TimeSeries}), its (history, future) windows
 * with a split by time ({@link dev.recur.tasks.series.ForecastWindows}), the metrics (normalised RMSE, valid
 * prediction time) and the persistence baseline ({@link dev.recur.tasks.series.ForecastMetrics}), and user data
 * from CSV files.
 */
package dev.recur.tasks.series;
