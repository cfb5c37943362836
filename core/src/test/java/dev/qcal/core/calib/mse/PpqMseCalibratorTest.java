package dev.qcal.core.calib.mse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.testing.CalibratorContract;
import dev.qcal.core.testing.Histograms;
import dev.qcal.core.testing.ReferenceVector;
import org.junit.jupiter.api.Test;

/**
 * PPQ {@code TorchMSEObserver}. Hand cases checked against a transcription of PPQ's Python loss
 * ({@code compute_mse_loss}) and candidate loop run in Python.
 */
class PpqMseCalibratorTest {

  @Test
  void symmetricHandCase() {
    // 2 bits → 4 levels; |x| over [0, 4] in 16 bins (hs = 0.25), N = 31.
    // Candidates (start, step, end): baseline (0, 5, 20), then (0, 1, 4), (0, 2, 8), (0, 3, 12),
    // (0, 4, 16). For step 3: l = idx % 3 gives errors .5, 1.25, .5 (l = r = 1 → 1.25), and bin 15
    // lies above end 12: 3.5. Loss = (8·.25 + 8·1.5625 + 4·.25 + 4·.25 + 2·1.5625 + 2·.25
    // + 1·.25 + 1·1.5625 + 1·12.25)/31 = 34.1875/31 = 1.1028225806451613, the minimum
    // (others: 1.8649, 5.0605, 2.0565, 1.2177). amax = 12·0.25 = 3; scale = 2·3/(1 − (−2)) = 2.
    TensorStatistics s =
        Histograms.stats(
            Domain.ABSOLUTE, 0, 4, 0, 3.9, 8, 8, 4, 4, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1);
    CalibrationResult r = PpqMseCalibrator.symmetric().calibrate(s, QuantSpec.symmetric(2));
    assertEquals(3.0, r.amax());
    assertEquals(34.1875 / 31, r.objective(), 1e-15);
    assertEquals(2.0f, r.params().scale());
    assertEquals(0, r.params().zeroPoint());
    assertEquals(-2, r.params().qmin());
    assertEquals(1, r.params().qmax());
    assertEquals(5, r.curves().get("mse").size());
  }

  @Test
  void asymmetricHandCase() {
    // 2 bits; signed over [−2, 2] in 16 bins (hs = 0.25, min = −2). Starts 0 and 8 (8·.25 − 2 = 0
    // is still ≤ 0), steps 1..4 with end ≤ 20: 1 baseline + 4 + 3 candidates. Best (0, 3, 12), loss
    // 0.9103260869565217 →
    // range (−2, 1); scale = (1 − (−2))/3 = 1, offset rint(2/1) = 2 on [0, 3].
    TensorStatistics s =
        Histograms.stats(
            Domain.SIGNED, -2, 2, -1.6, 1.9, 0, 0, 1, 1, 2, 4, 8, 8, 8, 6, 4, 2, 1, 0, 0, 1);
    CalibrationResult r = PpqMseCalibrator.asymmetric().calibrate(s, QuantSpec.affine(2));
    assertEquals(-2.0, r.range().min());
    assertEquals(1.0, r.range().max());
    assertEquals(0.9103260869565217, r.objective(), 1e-15);
    assertEquals(1.0f, r.params().scale());
    assertEquals(2, r.params().zeroPoint());
    assertEquals(8, r.curves().get("mse").size());
  }

  @Test
  void symmetricVector() {
    // PPQ ran on its |x| histogram over [0, hist_scale·2048] (float64 edges, dtype float64);
    // best (0, 7, 1792), scale = 2·1792·hist_scale/255. The vector's scale is a float64; qcal
    // stores
    // float32 scales (relative error < 6e-8, inside rtol 1e-6).
    ReferenceVector v = ReferenceVector.load("ppq_mse_sym_gaussian.json");
    assertEquals(v.param("hist_scale").asDouble(), (v.max() - v.min()) / v.counts().length);
    assertEquals(-128, v.param("quant_min").asInt());
    assertEquals(127, v.param("quant_max").asInt());
    CalibrationResult r =
        PpqMseCalibrator.symmetric()
            .calibrate(v.statistics(Domain.ABSOLUTE), QuantSpec.symmetric(8));
    v.assertClose("scale", v.expected("scale"), r.params().scale());
    assertEquals(1792, r.details().get("endBin"));
    assertEquals(-128, r.params().qmin());
  }

  @Test
  void allMassInOneBin() {
    // Everything in bin 0 (N = 5). Step 1 (end 4): l = r = 0 → error .25, loss .0625. The baseline
    // (step 5) and steps 2..4 have l = 0 < r → error .5, loss .25. So step 1 wins: amax = 4·.25 =
    // 1.
    TensorStatistics s =
        Histograms.stats(
            Domain.ABSOLUTE, 0, 4, 0, 0.2, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    CalibrationResult r = PpqMseCalibrator.symmetric().calibrate(s, QuantSpec.symmetric(2));
    assertEquals(0.0625, r.objective());
    assertEquals(1.0, r.amax());
  }

  @Test
  void contract() {
    TensorStatistics s =
        Histograms.stats(
            Domain.SIGNED, -2, 2, -1.6, 1.9, 0, 0, 1, 1, 2, 4, 8, 8, 8, 6, 4, 2, 1, 0, 0, 1);
    CalibratorContract.check(PpqMseCalibrator.asymmetric(), s, QuantSpec.affine(8));
    CalibratorContract.check(
        PpqMseCalibrator.symmetric(), MseHistograms.small(), QuantSpec.symmetric(8));
  }
}
