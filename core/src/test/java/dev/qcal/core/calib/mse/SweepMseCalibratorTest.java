package dev.qcal.core.calib.mse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.testing.CalibratorContract;
import dev.qcal.core.testing.Histograms;
import org.junit.jupiter.api.Test;

class SweepMseCalibratorTest {

  @Test
  void multipliersAreTorchLinspaceInFloat32() {
    // ATen linspace: step = 3.75f/9; i < 5 → 0.25 + step·i; else 4 − step·(9 − i).
    float[] expected = {
      0.25f, 0.6666666269302368f, 1.0833332538604736f, 1.5f, 1.9166666269302368f,
      2.3333334922790527f, 2.75f, 3.1666667461395264f, 3.5833332538604736f, 4.0f
    };
    assertArrayEquals(expected, SweepMseCalibrator.multipliers());
  }

  @Test
  void handCaseTwoBits() {
    // |x| over [0, 4] in 4 bins, centres .5 1.5 2.5 3.5, counts 10 5 2 1, max|x| = 4, 2 bits
    // (levels 0, ±amax). Candidates 4·m:
    //   1.0: fq = 0 (rint(.5) = 0, half to even), 1, 1, 1 → 10·.25 + 5·.25 + 2·2.25 + 6.25 = 14.5
    //   2.6666665: fq = 0, a, a, a → 2.5 + 5·1.1667² + 2·.1667² + .8333² ≈ 10.0556 → chosen
    //   4.333333: fq(1.5) = 0 → 2.5 + 11.25 + ... = 21.17; larger candidates only zero more bins.
    TensorStatistics s = Histograms.stats(Domain.ABSOLUTE, 0, 4, 0, 4, 10, 5, 2, 1);
    CalibrationResult r = new SweepMseCalibrator().calibrate(s, QuantSpec.symmetric(2));
    assertEquals(4f * 0.6666666269302368f, (float) r.amax());
    assertEquals(10.05555386013475, r.objective(), 1e-12);
    assertEquals(10, r.curves().get("mse").size());
    assertEquals(14.5, r.curves().get("mse").get(0).objective());
    assertEquals(38.5, r.curves().get("mse").get(9).objective());
  }

  @Test
  void firstArgminOnAFlatCurve() {
    // All mass at centre .5 but max|x| = 100: every candidate (25 … 400) quantizes .5 to
    // rint(.5/amax) = 0, so all ten losses are 7·.25 = 1.75 and the first (25) wins.
    TensorStatistics s = Histograms.stats(Domain.ABSOLUTE, 0, 4, 0, 100, 7, 0, 0, 0);
    CalibrationResult r = new SweepMseCalibrator().calibrate(s, QuantSpec.symmetric(2));
    for (int i = 0; i < 10; i++) {
      assertEquals(1.75, r.curves().get("mse").get(i).objective());
    }
    assertEquals(25.0, r.amax());
  }

  @Test
  void contract() {
    CalibratorContract.check(
        new SweepMseCalibrator(), MseHistograms.small(), QuantSpec.symmetric(8));
    CalibratorContract.check(new SweepMseCalibrator(), MseHistograms.medium(), QuantSpec.affine(8));
  }
}
