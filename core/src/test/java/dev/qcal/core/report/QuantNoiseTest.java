package dev.qcal.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantParams;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.stats.RangeStats;
import org.junit.jupiter.api.Test;

class QuantNoiseTest {
  private static final double EPS = 1e-12;
  // |x| bins [0,1) [1,2) [2,3) [3,4] with one value each: centres 0.5, 1.5, 2.5, 3.5.
  private static final Histogram FOUR = Histogram.withEdges(Domain.ABSOLUTE, new double[] {0, 1, 2, 3, 4}, new long[] {1, 1, 1, 1});

  @Test
  void roundsBinCentresHalfToEven() {
    // Scale 1, grid [-3, 3]: 0.5 → 0, 1.5 → 2, 2.5 → 2, 3.5 → 4 saturated to 3: errors ±0.5.
    // MSE = 0.25; signal = (0.25 + 2.25 + 6.25 + 12.25) / 4 = 5.25; SQNR = 10·log10(21).
    QuantNoise n = QuantNoise.of(FOUR, new QuantParams(1f, 0, -3, 3));
    assertEquals(0.25, n.mse(), EPS);
    assertEquals(5.25, n.signalPower(), EPS);
    assertEquals(10 * Math.log10(21), n.sqnrDb(), EPS);
    assertEquals(13.222192947339193, n.sqnrDb(), 1e-9);
  }

  @Test
  void clippingErrorCounts() {
    // Grid [-2, 2]: 3.5 saturates to 2, error 1.5. MSE = (3·0.25 + 2.25) / 4 = 0.75;
    // SQNR = 10·log10(5.25 / 0.75) = 10·log10(7).
    QuantNoise n = QuantNoise.of(FOUR, new QuantParams(1f, 0, -2, 2));
    assertEquals(0.75, n.mse(), EPS);
    assertEquals(10 * Math.log10(7), n.sqnrDb(), EPS);
  }

  @Test
  void centresOnTheGridHaveNoErrorAndInfiniteSqnr() {
    QuantNoise n = QuantNoise.of(FOUR, new QuantParams(0.5f, 0, -127, 127));
    assertEquals(0.0, n.mse(), 0);
    assertEquals(Double.POSITIVE_INFINITY, n.sqnrDb());
  }

  @Test
  void affineParametersOnASignedHistogram() {
    // x bins [-1,0) [0,1) [1,2) [2,3]; centres -0.5, 0.5, 1.5, 2.5, counts 1, 1, 1, 1.
    // Scale 1, zero point 1, grid [0, 3] (reals -1..2): -0.5 → rint(-0.5)+1 = 1 → 0 (error -0.5);
    // 0.5 → 1 → 0 (0.5); 1.5 → 3 → 2 (-0.5); 2.5 → 3 (2+1 saturated) → 2 (0.5). MSE 0.25.
    Histogram h = Histogram.withEdges(Domain.SIGNED, new double[] {-1, 0, 1, 2, 3}, new long[] {1, 1, 1, 1});
    assertEquals(0.25, QuantNoise.of(h, new QuantParams(1f, 1, 0, 3)).mse(), EPS);
  }

  @Test
  void unknownForFp8EmptyOrAllZero() {
    QuantParams fp8 = QuantSpec.symmetric(8).withScheme(dev.qcal.core.quant.Scheme.FP8_E4M3).params(ClipRange.symmetric(1));
    assertTrue(Double.isNaN(QuantNoise.of(FOUR, fp8).mse()));
    assertTrue(Double.isNaN(QuantNoise.of(FOUR, fp8).sqnrDb()));
    Histogram empty = Histogram.empty(HistogramSpec.absolute(1, 8));
    assertTrue(Double.isNaN(QuantNoise.of(empty, new QuantParams(1f, 0, -127, 127)).mse()));
    // All zeros: narrowed to the point 0, no error and no signal, so no SQNR.
    long[] counts = new long[8];
    counts[0] = 5;
    Histogram zeros = Histogram.of(HistogramSpec.absolute(1, 8), counts);
    QuantNoise z = QuantNoise.of(zeros, RangeStats.of(5, 0, 0, 0, 0f, 0f), new QuantParams(1f, 0, -127, 127));
    assertEquals(0.0, z.mse(), 0);
    assertEquals(0.0, z.signalPower(), 0);
    assertTrue(Double.isNaN(z.sqnrDb()));
  }
}
