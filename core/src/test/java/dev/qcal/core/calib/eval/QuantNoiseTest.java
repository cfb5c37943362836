package dev.qcal.core.calib.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantParams;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.Scheme;
import dev.qcal.core.stats.RangeStats;
import org.junit.jupiter.api.Test;

/** The measured error: its definition by hand, clipping, rounding, and the histogram it uses. */
class QuantNoiseTest {
  private static final double EPS = 1e-12;
  // |x| bins [0,1) [1,2) [2,3) [3,4] with one value each: centres 0.5, 1.5, 2.5, 3.5.
  private static final Histogram FOUR =
      Histogram.withEdges(Domain.ABSOLUTE, new double[] {0, 1, 2, 3, 4}, new long[] {1, 1, 1, 1});

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

  /**
   * The definition worked through by hand: |x| bins [0,1) [1,2) [2,3) [3,4] with counts 2, 1, 0, 1
   * of a tensor whose data lie in [−1, 3.25]. Narrowed to |x| ∈ [0, 3.25] the last bin is [3,
   * 3.25], so the centres are 0.5, 1.5, (2.5, empty) and 3.125. A 3-bit symmetric grid with amax
   * 1.5 has scale 0.5 and integers [−3, 3]: 0.5 → 1 → 0.5 and 1.5 → 3 → 1.5 are exact, 3.125 →
   * rint(6.25) = 6, saturated to 3 → 1.5, a clipping error of 1.625. MSE = 1.625² / 4 = 0.66015625;
   * P = (2·0.25 + 2.25 + 3.125²) / 4 = 3.12890625; SQNR = 10·log10(P / MSE) = 6.757458 dB.
   */
  @Test
  void theDefinitionByHand() {
    Histogram h =
        Histogram.withEdges(Domain.ABSOLUTE, new double[] {0, 1, 2, 3, 4}, new long[] {2, 1, 0, 1});
    RangeStats data = RangeStats.of(4, 0, 0, 0, -1f, 3.25f);
    QuantParams grid = QuantSpec.symmetric(3).params(ClipRange.symmetric(1.5));
    assertEquals(new QuantParams(0.5f, 0, -3, 3), grid);
    QuantNoise n = QuantNoise.of(h, data, grid);
    assertEquals(0.66015625, n.mse(), EPS);
    assertEquals(3.12890625, n.signalPower(), EPS);
    assertEquals(6.757458114705641, n.sqnrDb(), 1e-12);
    // Without the data range the last centre is 3.5: error 2, MSE 1, P = (0.5 + 2.25 + 12.25) / 4.
    assertEquals(1.0, QuantNoise.of(h, grid).mse(), EPS);
    // Fractional weights are weights: halving every count changes nothing.
    QuantNoise half =
        QuantNoise.of(Domain.ABSOLUTE, h.edges(), new double[] {1, 0.5, 0, 0.5}, data, grid);
    assertEquals(n, half);
  }

  /** The measure picks |x| for symmetric grids and x for unsigned and affine ones. */
  @Test
  void histogramFollowsTheScheme() {
    Histogram abs = Histogram.withEdges(Domain.ABSOLUTE, new double[] {0, 1, 2}, new long[] {1, 1});
    Histogram signed =
        Histogram.withEdges(Domain.SIGNED, new double[] {-2, 0, 2}, new long[] {1, 1});
    TensorStatistics both =
        TensorStatistics.of(RangeStats.of(2, 0, 0, 0, -1.5f, 1.5f), abs, signed);
    assertSame(abs, QuantNoise.histogramFor(both, Scheme.SYMMETRIC));
    assertSame(signed, QuantNoise.histogramFor(both, Scheme.UNSIGNED));
    assertSame(signed, QuantNoise.histogramFor(both, Scheme.AFFINE));
    TensorStatistics onlyAbs = TensorStatistics.of(RangeStats.of(2, 0, 0, 0, -1.5f, 1.5f), abs);
    assertSame(abs, QuantNoise.histogramFor(onlyAbs, Scheme.AFFINE));
    assertEquals(Domain.ABSOLUTE, QuantNoise.domainFor(Scheme.SYMMETRIC));
    assertEquals(Domain.SIGNED, QuantNoise.domainFor(Scheme.UNSIGNED));
    assertNull(
        QuantNoise.histogramFor(
            TensorStatistics.of(RangeStats.of(2, 0, 0, 0, -1.5f, 1.5f)), Scheme.SYMMETRIC));
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
    Histogram h =
        Histogram.withEdges(Domain.SIGNED, new double[] {-1, 0, 1, 2, 3}, new long[] {1, 1, 1, 1});
    assertEquals(0.25, QuantNoise.of(h, new QuantParams(1f, 1, 0, 3)).mse(), EPS);
  }

  @Test
  void unknownForFp8EmptyOrAllZero() {
    QuantParams fp8 =
        QuantSpec.symmetric(8)
            .withScheme(dev.qcal.core.quant.Scheme.FP8_E4M3)
            .params(ClipRange.symmetric(1));
    assertTrue(Double.isNaN(QuantNoise.of(FOUR, fp8).mse()));
    assertTrue(Double.isNaN(QuantNoise.of(FOUR, fp8).sqnrDb()));
    Histogram empty = Histogram.empty(HistogramSpec.absolute(1, 8));
    assertTrue(Double.isNaN(QuantNoise.of(empty, new QuantParams(1f, 0, -127, 127)).mse()));
    // All zeros: narrowed to the point 0, no error and no signal, so no SQNR.
    long[] counts = new long[8];
    counts[0] = 5;
    Histogram zeros = Histogram.of(HistogramSpec.absolute(1, 8), counts);
    QuantNoise z =
        QuantNoise.of(zeros, RangeStats.of(5, 0, 0, 0, 0f, 0f), new QuantParams(1f, 0, -127, 127));
    assertEquals(0.0, z.mse(), 0);
    assertEquals(0.0, z.signalPower(), 0);
    assertTrue(Double.isNaN(z.sqnrDb()));
  }
}
