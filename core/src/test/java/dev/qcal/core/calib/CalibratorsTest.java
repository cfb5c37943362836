package dev.qcal.core.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import org.junit.jupiter.api.Test;

class CalibratorsTest {

  @Test
  void aParameterInTheKeyReachesTheMethodAndNamesTheResult() {
    // 10 values in bins 0..9 of a [0, 10] |x| histogram, one per bin.
    long[] counts = new long[10];
    java.util.Arrays.fill(counts, 1);
    Histogram h = Histogram.of(new HistogramSpec(Domain.ABSOLUTE, 0, 10, 10), counts);
    TensorStatistics stats = TensorStatistics.of(RangeStats.of(0.5f, 9.5f), h);
    Calibrator p80 = Calibrators.create("percentile@80");
    assertEquals("percentile@80", p80.name());
    CalibrationResult r = p80.calibrate(stats, QuantSpec.symmetric(8));
    assertEquals("percentile@80", r.method());
    // 80% of 10 values: at most 2 may be clipped, so the clip is the right edge of bin 7 = 8.
    assertEquals(8.0, r.amax());
    assertEquals(
        10.0, Calibrators.create("percentile").calibrate(stats, QuantSpec.symmetric(8)).amax());
  }

  @Test
  void badParametersAreExplained() {
    assertEquals(
        "Cannot read the parameter of 'percentile@abc': 'abc' is not a number",
        assertThrows(IllegalArgumentException.class, () -> Calibrators.create("percentile@abc"))
            .getMessage());
    assertEquals(
        "Calibration method 'max' takes no parameter (methods with one: "
            + String.join(", ", Calibrators.parameterizedNames())
            + ")",
        assertThrows(IllegalArgumentException.class, () -> Calibrators.create("max@3"))
            .getMessage());
    IllegalArgumentException range =
        assertThrows(IllegalArgumentException.class, () -> Calibrators.create("percentile@120"));
    assertEquals(true, range.getMessage().contains("120"), range.getMessage());
  }
}
