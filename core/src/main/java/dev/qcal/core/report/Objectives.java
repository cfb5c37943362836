package dev.qcal.core.report;

import dev.qcal.core.calib.CalibrationResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a result's objective and curves are called on the page, from its curve names (the keys of
 * {@link CalibrationResult#curves}, as {@link PlotCurves} keeps them).
 */
final class Objectives {
  private Objectives() {}

  /**
   * The objective's short name: KL for an entropy search ({@code kl}), MSE for mse and OCTAV
   * ({@code mse}, {@code octav.*}), H for weighted entropy ({@code wq.entropy}), CDF for a
   * percentile, coverage for the two-pointer method; "objective" otherwise.
   */
  static String name(Collection<String> curves) {
    for (String curve : curves) {
      String group = group(curve);
      switch (group) {
        case "kl":
          return "KL";
        case "mse":
        case "octav":
          return "MSE";
        case "wq":
          return "H";
        case "cdf":
          return "CDF";
        case "coverage":
          return "coverage";
        default:
          break;
      }
    }
    return "objective";
  }

  /** The y axis title of a plot group's curves: what the method's search computed. */
  static String axisTitle(String group) {
    switch (group) {
      case "kl":
        return "KL divergence";
      case "mse":
        return "MSE";
      case "octav":
        return "MSE per value";
      case "wq":
        return "weighted entropy H";
      case "cdf":
        return "CDF";
      case "coverage":
        return "covered fraction";
      default:
        return group;
    }
  }

  /** A threshold line's label: the method, and its objective when it has one. */
  static String label(CalibrationResult r, Collection<String> curves) {
    double v = r.objective();
    return Double.isNaN(v)
        ? r.method()
        : r.method() + "  " + name(curves) + " " + ReportNumbers.num(v);
  }

  /** The plot group of a curve: its name up to the first dot ({@code octav.empirical} → octav). */
  static String group(String curve) {
    int dot = curve.indexOf('.');
    return dot < 0 ? curve : curve.substring(0, dot);
  }

  /** Curve names by plot group, groups in the curves' (sorted) order. */
  static Map<String, List<String>> groups(Collection<String> curves) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String curve : curves) {
      out.computeIfAbsent(group(curve), g -> new ArrayList<>()).add(curve);
    }
    return out;
  }
}
