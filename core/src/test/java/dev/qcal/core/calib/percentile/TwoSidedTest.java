package dev.qcal.core.calib.percentile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.testing.CalibratorContract;
import dev.qcal.core.testing.Histograms;
import dev.qcal.core.testing.ReferenceVector;
import org.junit.jupiter.api.Test;

/** {@code percentile:affine}, {@code percentile:ort-affine} and the two-pointer coverage. */
class TwoSidedTest {
  private static final QuantSpec AFFINE = QuantSpec.affine(8);

  // Signed over [−5, 5], 10 bins of width 1, total 100.
  private static TensorStatistics bell() {
    return Histograms.stats(Domain.SIGNED, -5, 5, -4.5, 4.5, 1, 2, 3, 14, 30, 30, 14, 3, 2, 1);
  }

  // Signed over [−4, 4], 8 bins of width 1, total 30.
  private static TensorStatistics skewed() {
    return Histograms.stats(Domain.SIGNED, -4, 4, -2.9, 3.9, 0, 1, 3, 10, 10, 4, 1, 1);
  }

  @Test
  void twoTailedPercentileClipsAtMostHalfTheTailEachSide() {
    // p = 96: each tail may lose floor(0.02·100) = 2 counts. Left: bin 0 (1) ok, bin 1 would make
    // 3 → l = 1, min = e[1] = −4. Right: bin 9 (1) ok, bin 8 would make 3 → r = 8, max = e[9] = 4.
    CalibrationResult r = new TwoTailedPercentileCalibrator(96).calibrate(bell(), AFFINE);
    assertEquals(-4.0, r.range().min());
    assertEquals(4.0, r.range().max());
    assertEquals(0.98, r.objective());
  }

  @Test
  void ortAsymmetricTakesLeftEdgesOnBothSides() {
    // q = (100 − 96)/200 = 0.02; cdf = [.01 .03 .06 .2 .5 .8 .94 .97 .99 1].
    // searchsorted(cdf, 0.02) = 1 → e[1] = −4; searchsorted(cdf, 0.98) = 8 → e[8] = 3 (clips 3%).
    CalibrationResult r = OrtPercentileCalibrator.asymmetric(96).calibrate(bell(), AFFINE);
    assertEquals(-4.0, r.range().min());
    assertEquals(3.0, r.range().max());
    // Objective: the cdf mass between the edges, cdf[7] − cdf[0] = .97 − .01.
    assertEquals(0.96, r.objective(), 1e-12);
  }

  @Test
  void ortClipsToTheDataRange() {
    // p = 100: q = 0 → e[0] = −5 < data min −4.5 → −4.5; 1 − q = 1 → e[9] = 4 (cdf[9] = 1.0).
    CalibrationResult r = OrtPercentileCalibrator.asymmetric(100).calibrate(bell(), AFFINE);
    assertEquals(-4.5, r.range().min());
    assertEquals(4.0, r.range().max());
    assertEquals(1, r.notes().size());
  }

  @Test
  void coverageDefaultNeverUndershoots() {
    // coverage 0.95 of 30 = 28.5 → keep at least 29. Drop bin 0 (0 < 1), then bin 1 (1 = 1, tie →
    // left; 29 left); dropping bin 7 (1) would leave 28 < 29 → stop. [e[2], e[8]] = [−2, 4].
    CalibrationResult r =
        new CoverageCalibrator(
                0.95, CoverageCalibrator.StopRule.AT_LEAST, CoverageCalibrator.TieBreak.LEFT)
            .calibrate(skewed(), AFFINE);
    assertEquals(-2.0, r.range().min());
    assertEquals(4.0, r.range().max());
    assertEquals(29.0 / 30, r.objective());
    assertEquals("coverage", r.method());
  }

  @Test
  void coverageLiteralMayUndershoot() {
    // Literal: drop while covered > 28.5 (i.e. > 28 counts): 30 → drop bin 0 (30), bin 1 (29),
    // bin 7 (28) → stop. [e[2], e[7]] = [−2, 3], covering 28/30 = 0.933 < 0.95.
    CalibrationResult r = CoverageCalibrator.literal(0.95).calibrate(skewed(), AFFINE);
    assertEquals(-2.0, r.range().min());
    assertEquals(3.0, r.range().max());
    assertEquals(28.0 / 30, r.objective());
    assertEquals("coverage:literal", r.method());
  }

  @Test
  void coverageTiesToTheRight() {
    // Bin 0 (0) goes first; then bins 1 and 7 both hold 1 → drop the right one (29 ≥ 29); bins 1
    // and 6 both hold 1 → dropping bin 6 would leave 28 → stop. [e[1], e[7]] = [−3, 3].
    CalibrationResult r =
        new CoverageCalibrator(
                0.95, CoverageCalibrator.StopRule.AT_LEAST, CoverageCalibrator.TieBreak.RIGHT)
            .calibrate(skewed(), AFFINE);
    assertEquals(-3.0, r.range().min());
    assertEquals(3.0, r.range().max());
  }

  @Test
  void coverageOfASingleFullBin() {
    // All mass in bin 3 of [−4, 4]/8: every empty bin is dropped, [e[3], e[4]] = [−1, 0].
    TensorStatistics s = Histograms.stats(Domain.SIGNED, -4, 4, -0.9, -0.1, 0, 0, 0, 5, 0, 0, 0, 0);
    CalibrationResult r = new CoverageCalibrator().calibrate(s, AFFINE);
    assertEquals(-1.0, r.range().min());
    assertEquals(0.0, r.range().max());
    assertEquals(1.0, r.objective());
  }

  @Test
  void coverageOneKeepsEveryNonEmptyBin() {
    CalibrationResult r =
        new CoverageCalibrator(
                1.0, CoverageCalibrator.StopRule.AT_LEAST, CoverageCalibrator.TieBreak.LEFT)
            .calibrate(skewed(), AFFINE);
    assertEquals(-3.0, r.range().min());
    assertEquals(4.0, r.range().max());
  }

  @Test
  void rejectsBadCoverage() {
    for (double c : new double[] {0, 1.5, -0.1, Double.NaN}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> CoverageCalibrator.literal(c));
      assertEquals(
          "Cannot build the coverage:literal calibrator: coverage must be in (0, 1] (" + c + ")",
          e.getMessage());
    }
  }

  @Test
  void twoPointerVector() {
    // The oracle's two_pointer(stop='le', tie='left'): reproduced with numpy, only le/left gives
    // the expected pair (ge/left gives [−3.671262, 4.214530], le/right [−3.846502, 3.899099]).
    // float64 edges (dtype float64), 200000 counts.
    ReferenceVector v = ReferenceVector.load("two_pointer_gaussian.json");
    double coverage = v.param("coverage").asDouble();
    CalibrationResult r =
        CoverageCalibrator.literal(coverage).calibrate(v.statistics(Domain.SIGNED), AFFINE);
    v.assertClose("min", v.expected("min"), r.range().min());
    v.assertClose("max", v.expected("max"), r.range().max());
  }

  @Test
  void twoPointerVectorWithTheDefaultStopRule() {
    // Regression (numpy, stop='ge'): the same coverage is reached, then three more empty bins are
    // dropped on the left: [−3.67126202583313, 4.2145304679870605].
    ReferenceVector v = ReferenceVector.load("two_pointer_gaussian.json");
    CalibrationResult r = new CoverageCalibrator().calibrate(v.statistics(Domain.SIGNED), AFFINE);
    v.assertClose("min", -3.67126202583313, r.range().min());
    v.assertClose("max", 4.2145304679870605, r.range().max());
    assertEquals(0.9999, r.objective());
  }

  @Test
  void contract() {
    CalibratorContract.check(new TwoTailedPercentileCalibrator(96), bell(), AFFINE);
    CalibratorContract.check(OrtPercentileCalibrator.asymmetric(96), bell(), AFFINE);
    CalibratorContract.check(new CoverageCalibrator(), skewed(), AFFINE);
    CalibratorContract.check(CoverageCalibrator.literal(0.9), skewed(), QuantSpec.symmetric(8));
  }
}
