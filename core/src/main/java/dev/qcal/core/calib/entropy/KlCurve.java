package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.SearchPoint;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import java.util.ArrayList;
import java.util.List;

/** The parts the KL calibrators share: results with the {@code kl} curve, a parameter check. */
final class KlCurve {
  private KlCurve() {}

  /** A result for {@code range}: candidate c at {@code thresholds[c]} with {@code kl[c]}. */
  static CalibrationResult.Builder result(
      String method, ClipRange range, QuantSpec quant, double[] thresholds, double[] kl, int best) {
    List<SearchPoint> curve = new ArrayList<>(kl.length);
    for (int c = 0; c < kl.length; c++) {
      curve.add(new SearchPoint(thresholds[c], kl[c]));
    }
    return CalibrationResult.builder(method, range, quant).objective(kl[best]).curve("kl", curve);
  }

  /** {@code value}, checked to be at least 1, as {@code method}'s parameter {@code what}. */
  static int atLeastOne(String method, String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build the %s calibrator: %s must be at least 1 (%d)", method, what, value));
    }
    return value;
  }

  /** The result of a search of {@code h} whose first candidate {@code first} is past its bins. */
  static CalibrationResult.Builder noCandidate(
      String method, Histogram h, QuantSpec quant, int first) {
    int n = h.binCount();
    return CalibrationResult.builder(method, ClipRange.symmetric((float) h.edge(n)), quant)
        .note(
            String.format(
                "histogram has %d bins: no candidate in [%d, %d), fell back to the histogram's max",
                n, first, n));
  }
}
