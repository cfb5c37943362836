package dev.qcal.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.Calibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import java.util.Map;

/** The calibrator contract on one input: inputs unchanged, and the same answer twice. */
public final class CalibratorContract {
  private CalibratorContract() {}

  /** Calibrates twice and asserts the inputs are unchanged and both results are equal. */
  public static void check(Calibrator c, TensorStatistics stats, QuantSpec quant) {
    Map<Domain, Histogram> before = Map.copyOf(stats.histograms());
    byte[] rangeBefore = stats.range().toBytes();
    CalibrationResult a = c.calibrate(stats, quant);
    CalibrationResult b = c.calibrate(stats, quant);
    for (Map.Entry<Domain, Histogram> e : before.entrySet()) {
      Histogram now = stats.histogram(e.getKey());
      assertArrayEquals(e.getValue().toBytes(), now.toBytes(), c.name() + " changed its input");
    }
    assertArrayEquals(rangeBefore, stats.range().toBytes());
    assertEquals(a.range(), b.range(), c.name() + " is not deterministic");
    assertEquals(a.params(), b.params());
    assertEquals(Double.doubleToLongBits(a.objective()), Double.doubleToLongBits(b.objective()));
    assertEquals(a.curves(), b.curves());
    assertEquals(a.notes(), b.notes());
    assertEquals(c.name(), a.method());
  }
}
