/**
 * Percentile and coverage calibrators: clip ranges chosen by how much of a histogram's mass they
 * keep, rather than by an error objective.
 *
 * <ul>
 *   <li>{@code percentile} ({@link dev.qcal.core.calib.percentile.PercentileCalibrator}): the right
 *       edge of the |x| bin where the cumulative count reaches p, in exact integer arithmetic
 *       (never clips more than (100 − p)% of the mass);
 *   <li>{@code percentile:affine} ({@link
 *       dev.qcal.core.calib.percentile.TwoTailedPercentileCalibrator}): the same rule on both tails
 *       of the signed histogram;
 *   <li>{@code percentile:nv} ({@link dev.qcal.core.calib.percentile.NvPercentileCalibrator}):
 *       NVIDIA's left-edge rule;
 *   <li>{@code percentile:ort}, {@code percentile:ort-affine} ({@link
 *       dev.qcal.core.calib.percentile.OrtPercentileCalibrator}): ONNX Runtime's {@code
 *       compute_percentile};
 *   <li>{@code coverage}, {@code coverage:literal} ({@link
 *       dev.qcal.core.calib.percentile.CoverageCalibrator}): the two-pointer method.
 * </ul>
 *
 * <h2>Counts outside the bins</h2>
 *
 * All methods work on the mass inside the histogram's bins ({@link
 * dev.qcal.core.histogram.Histogram#total()}); values counted in {@code below}/{@code above} (±Inf)
 * and NaN are not part of any fraction, as in every reference tool (their histograms drop them).
 */
package dev.qcal.core.calib.percentile;
