package dev.qcal.core.report;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.SearchPoint;
import dev.qcal.core.table.TensorCalibration;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tensor's search curves as its report section draws them: per method and curve name, the finite
 * points thinned to at most {@link Curves#MAX_POINTS} ({@link Curves#downsample}) and the number of
 * non-finite points left out. The job builds it on the executors, beside the {@link TensorPlot}: a
 * search leaves thousands of points per tensor and method (about 2 M objects for 500 tensors), and
 * shipping them to the driver only for it to thin them cost more than the report's rendering.
 * Immutable.
 */
public final class PlotCurves implements Serializable {
  private static final long serialVersionUID = 1L;

  /** No curves at all. */
  static final PlotCurves NONE = new PlotCurves(Map.of());

  /**
   * One thinned curve.
   *
   * @param thresholds the kept points' thresholds, in the curve's order
   * @param objectives their objectives
   * @param hidden how many points were not finite (not drawn, counted in the caption)
   */
  record Curve(double[] thresholds, double[] objectives, int hidden) implements Serializable {
    @Override
    public boolean equals(Object o) {
      return o instanceof Curve c
          && Arrays.equals(thresholds, c.thresholds)
          && Arrays.equals(objectives, c.objectives)
          && hidden == c.hidden;
    }

    @Override
    public int hashCode() {
      return 31 * (31 * Arrays.hashCode(thresholds) + Arrays.hashCode(objectives)) + hidden;
    }

    @Override
    public String toString() {
      return thresholds.length + " points, " + hidden + " hidden";
    }

    static Curve of(List<SearchPoint> all) {
      List<SearchPoint> finite = Curves.finite(all);
      List<SearchPoint> kept = Curves.downsample(finite, Curves.MAX_POINTS);
      double[] x = new double[kept.size()];
      double[] y = new double[kept.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = kept.get(i).threshold();
        y[i] = kept.get(i).objective();
      }
      return new Curve(x, y, all.size() - finite.size());
    }
  }

  private final Map<String, Map<String, Curve>> byMethod;

  /** The curves of each method by name, in these maps' orders (held as they are). */
  PlotCurves(Map<String, Map<String, Curve>> byMethod) {
    this.byMethod = byMethod;
  }

  /** Every method's curves by name, in the row's method order (unmodifiable). */
  Map<String, Map<String, Curve>> byMethod() {
    return Collections.unmodifiableMap(byMethod);
  }

  /** The thinned curves of every result of {@code row}, curve names in the result's order. */
  public static PlotCurves of(TensorCalibration row) {
    Map<String, Map<String, Curve>> byMethod = new LinkedHashMap<>();
    for (CalibrationResult r : row.results().values()) {
      Map<String, Curve> curves = new LinkedHashMap<>();
      r.curves().forEach((name, points) -> curves.put(name, Curve.of(points)));
      byMethod.put(r.method(), curves);
    }
    return new PlotCurves(byMethod);
  }

  /** True when no method has a curve. */
  public boolean isEmpty() {
    return byMethod.values().stream().allMatch(Map::isEmpty);
  }

  /** Equal when every method has the same curves, point for point (determinism tests use it). */
  @Override
  public boolean equals(Object o) {
    return o instanceof PlotCurves p && byMethod.equals(p.byMethod);
  }

  @Override
  public int hashCode() {
    return byMethod.hashCode();
  }

  @Override
  public String toString() {
    return byMethod.toString();
  }

  /** The curves of {@code method} by name, in the result's (sorted) order; empty if none. */
  Map<String, Curve> of(String method) {
    return Collections.unmodifiableMap(byMethod.getOrDefault(method, Map.of()));
  }
}
