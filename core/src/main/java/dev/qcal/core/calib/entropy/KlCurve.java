package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.SearchPoint;
import dev.qcal.core.calib.screen.ScreenedSearch;
import dev.qcal.core.quant.QuantSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/** The result of a KL search: the pick's value as the objective, every candidate's as the curve. */
final class KlCurve {
  private KlCurve() {}

  /** A result for {@code range} from search {@code o}, candidate c's threshold {@code at(c)}. */
  static CalibrationResult.Builder result(
      String method,
      ClipRange range,
      QuantSpec quant,
      ScreenedSearch.Outcome o,
      IntToDoubleFunction at) {
    List<SearchPoint> curve = new ArrayList<>(o.count());
    for (int c = 0; c < o.count(); c++) {
      curve.add(new SearchPoint(at.applyAsDouble(c), o.value(c)));
    }
    return CalibrationResult.builder(method, range, quant)
        .objective(o.value(o.best()))
        .curve("kl", curve);
  }
}
