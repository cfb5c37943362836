package dev.qcal.core.report;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.calib.eval.QuantNoise;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.table.TensorCalibration;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The part of a tensor's report that needs its full histograms and search curves: a coarse
 * histogram to plot, each method's {@link MethodMetrics} and the {@link PlotCurves} to draw. Small
 * and {@link Serializable}, so the job builds it on the executors next to the calibration and
 * collects it. Immutable.
 */
public final class TensorPlot implements Serializable {
  private static final long serialVersionUID = 1L;

  /** No histogram and no metrics (e.g. a tensor read back from a table). */
  public static final TensorPlot NONE = new TensorPlot(null, Map.of(), null);

  private final PlotHistogram histogram;
  private final LinkedHashMap<String, MethodMetrics> metrics;
  private final PlotCurves curves;

  /** A plot of these parts (histogram and curves may be null); {@code metrics} keep their order. */
  TensorPlot(PlotHistogram histogram, Map<String, MethodMetrics> metrics, PlotCurves curves) {
    this.histogram = histogram;
    this.metrics = new LinkedHashMap<>(metrics);
    this.curves = curves;
  }

  /**
   * A plot of the given parts without curves (the report draws the row's own); {@code histogram}
   * may be null, {@code metrics} keep their order.
   */
  public static TensorPlot of(PlotHistogram histogram, Map<String, MethodMetrics> metrics) {
    return new TensorPlot(histogram, metrics, null);
  }

  /**
   * The plot of one calibrated tensor: the histogram that suits the primary method's scheme (|x|
   * for symmetric schemes, x for affine ones, log2 x when it is the only one) coarsened to {@value
   * PlotHistogram#DEFAULT_MAX_BINS} bins, and per method the clipped fraction and quantization
   * noise computed on the full histogram that suits that method's scheme, its outer bins narrowed
   * to the row's exact data range; and the row's search curves thinned for plotting, so the row can
   * travel {@link TensorCalibration#withoutCurves without them}.
   */
  public static TensorPlot of(TensorCalibration row, TensorStatistics stats) {
    Map<String, MethodMetrics> metrics = new LinkedHashMap<>();
    Histogram shown = metrics(row, stats, metrics);
    return new TensorPlot(
        shown == null ? null : PlotHistogram.of(shown), metrics, PlotCurves.of(row));
  }

  /**
   * What a summary-table row of the report shows of {@link #of}: its metrics alone, equal to {@code
   * of(row, stats).summaryOnly()} without building the histogram and curves it drops.
   */
  public static TensorPlot summaryOf(TensorCalibration row, TensorStatistics stats) {
    Map<String, MethodMetrics> metrics = new LinkedHashMap<>();
    metrics(row, stats, metrics);
    return new TensorPlot(null, metrics, null);
  }

  /** Each method's metrics into {@code metrics}; returns the histogram to show, or null. */
  private static Histogram metrics(
      TensorCalibration row, TensorStatistics stats, Map<String, MethodMetrics> metrics) {
    Histogram shown = null;
    for (CalibrationResult r : row.results().values()) {
      Histogram h = QuantNoise.histogramFor(stats, r.quant().scheme());
      if (shown == null && h != null) {
        shown = h;
      }
      metrics.put(
          r.method(),
          h == null
              ? MethodMetrics.UNKNOWN
              : new MethodMetrics(
                  ClippedFraction.of(h, row.stats(), r.range()),
                  row.errors().containsKey(r.method())
                      ? row.error(r.method())
                      : QuantNoise.of(h, row.stats(), r.params())));
    }
    return shown;
  }

  /** This plot's metrics without its histogram and curves (all a summary-table row shows). */
  public TensorPlot summaryOnly() {
    return histogram == null && curves == null ? this : new TensorPlot(null, metrics, null);
  }

  /** The thinned search curves, when this plot was built from a row that had them. */
  public Optional<PlotCurves> curves() {
    return Optional.ofNullable(curves);
  }

  /** The coarse histogram, if the tensor had a non-empty one. */
  public Optional<PlotHistogram> histogram() {
    return Optional.ofNullable(histogram);
  }

  /** Metrics by method key, in the row's method order (unmodifiable). */
  public Map<String, MethodMetrics> metrics() {
    return Collections.unmodifiableMap(metrics);
  }

  /** The metrics of {@code method}, or {@link MethodMetrics#UNKNOWN}. */
  public MethodMetrics metrics(String method) {
    return metrics.getOrDefault(method, MethodMetrics.UNKNOWN);
  }
}
