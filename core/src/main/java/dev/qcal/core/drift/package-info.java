/**
 * Drift of a calibration against a baseline: how far each tensor's range moved since an earlier
 * table (yesterday's nightly run, say), for the drift gate of scheduled runs.
 *
 * <p>Both sides are reduced to a {@link dev.qcal.core.drift.RangeTable} (per tensor: the flags and,
 * per method, the clip range and scale), one from the {@link dev.qcal.core.table.CalibrationTable}
 * just computed, one read from the baseline's {@code calibration.json} ({@link
 * dev.qcal.core.io.RangeTableJson}); {@link dev.qcal.core.drift.DriftComparison} compares them per
 * tensor and per method present in both, and {@link dev.qcal.core.drift.DriftReport} says which
 * tensors moved more than the limit, which appeared or disappeared, and the worst one. Pure
 * arithmetic: no file system, no Spark.
 */
package dev.qcal.core.drift;
