package dev.qcal.core.calib.mse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.testing.CalibratorContract;
import dev.qcal.core.testing.Histograms;
import org.junit.jupiter.api.Test;

/**
 * NVIDIA {@code _compute_amax_mse}. No upstream vector exists; the expected values come from this
 * numpy emulation of the float32 code (np.float32 everywhere, np.rint, np.mean), run on the formula
 * histograms of {@link Hist}:
 *
 * <pre>
 * def nv_mse(counts, edges, num_bits=8, unsigned=False, start_bin=128):
 *     counts = np.asarray(counts).astype(f32); edges = np.asarray(edges).astype(f32)
 *     centers = (edges[1:] + edges[:-1]) / f32(2)
 *     bound = f32(2.0**(num_bits - 1 + int(unsigned)) - 1)
 *     mses = []
 *     for i in range(start_bin, len(centers)):
 *         amax = centers[i]; scale = bound / amax
 *         fq = np.clip(np.rint(centers * scale), -bound, bound) / scale
 *         mses.append(((fq - centers)**2 * counts).mean())
 *     k = int(np.argmin(mses))
 *     return start_bin + k, centers[start_bin + k], mses[k]
 * </pre>
 */
class NvMseCalibratorTest {
  private static final NvMseCalibrator MSE = new NvMseCalibrator();

  @Test
  void handCaseTwoBits() {
    // [0, 4] in 4 bins, centres .5 1.5 2.5 3.5, counts 4 0 2 1; 2 bits → bound 1, levels {0,
    // ±amax}.
    // Candidates: centres 0..2 (the last centre never is one).
    //   amax .5: fq = .5 everywhere → errors 0, 1, 2, 3 → (0 + 0 + 4·2 + 9·1)/4 = 4.25
    //   amax 1.5: fq(.5) = 0, fq(2.5) = fq(3.5) = 1.5 → (.25·4 + 1·2 + 4·1)/4 ≈ 1.75
    //   amax 2.5: fq(.5) = 0, fq(2.5) = fq(3.5) = 2.5 → (.25·4 + 0 + 1·1)/4 = 0.5 → chosen.
    TensorStatistics s = Histograms.stats(Domain.ABSOLUTE, 0, 4, 0, 3.9, 4, 0, 2, 1);
    CalibrationResult r = new NvMseCalibrator(0).calibrate(s, QuantSpec.symmetric(2));
    assertEquals(2.5, r.amax());
    assertEquals(0.5, r.objective());
    assertEquals(3, r.curves().get("mse").size());
    assertEquals(4.25, r.curves().get("mse").get(0).objective());
    assertEquals(1.75, r.curves().get("mse").get(1).objective(), 1e-6);
  }

  @Test
  void firstArgminOnTies() {
    // [0, 5] in 5 bins, counts 1 1 1 0 0, 2 bits: amax 1.5 → (.25 + 0 + 1)/5 = .25 and
    // amax 2.5 → fq(1.5) = rint(.6)·2.5 = 2.5, (.25 + 1 + 0)/5 = .25: equal, the first wins.
    TensorStatistics s = Histograms.stats(Domain.ABSOLUTE, 0, 5, 0, 2.9, 1, 1, 1, 0, 0);
    CalibrationResult r = new NvMseCalibrator(0).calibrate(s, QuantSpec.symmetric(2));
    assertEquals(0.25f, r.curves().get("mse").get(1).objective());
    assertEquals(0.25f, r.curves().get("mse").get(2).objective());
    assertEquals(1.5, r.amax());
  }

  @Test
  void smallHistogramFourBits() {
    // nv_mse(small, num_bits=4) → (172, 2.6953125, 0.9462881684303284)
    CalibrationResult r = MSE.calibrate(MseHistograms.small(), QuantSpec.symmetric(4));
    assertEquals(172, r.details().get("bin"));
    assertEquals(2.6953125, r.amax());
    assertEquals(0.9462881684303284, r.objective());
    assertEquals(200 - 1 - 128, r.curves().get("mse").size());
  }

  @Test
  void mediumHistogramEightBits() {
    // nv_mse(medium) → (1968, 7.689453125, 0.6936578750610352)
    CalibrationResult r = MSE.calibrate(MseHistograms.medium(), QuantSpec.symmetric(8));
    assertEquals(1968, r.details().get("bin"));
    assertEquals(7.689453125, r.amax());
    assertEquals(0.6936578750610352, r.objective());
  }

  @Test
  void mediumHistogramFourBitsAndUnsigned() {
    // nv_mse(medium, num_bits=4) → (1524, 5.955078125, 55.03230667114258)
    CalibrationResult r4 = MSE.calibrate(MseHistograms.medium(), QuantSpec.symmetric(4));
    assertEquals(5.955078125, r4.amax());
    assertEquals(55.03230667114258, r4.objective());
    // nv_mse(medium, unsigned=True) → (2014, 7.869140625, 0.18097345530986786); bound 255.
    CalibrationResult ru = MSE.calibrate(MseHistograms.medium(), QuantSpec.unsigned(8));
    assertEquals(7.869140625, ru.amax());
    assertEquals(0.18097345530986786, ru.objective());
  }

  @Test
  void tooFewBinsSearchesFromZero() {
    TensorStatistics s = Histograms.stats(Domain.ABSOLUTE, 0, 4, 0, 3.9, 4, 0, 2, 1);
    CalibrationResult r = MSE.calibrate(s, QuantSpec.symmetric(2));
    assertEquals(2.5, r.amax());
    assertEquals(1, r.notes().size());
  }

  @Test
  void allMassInOneBin() {
    // Only bin 1 (centre 1.5) is full: amax 1.5 quantizes it exactly (mse 0); the first
    // candidate with mse 0 wins.
    TensorStatistics s = Histograms.stats(Domain.ABSOLUTE, 0, 4, 0, 1.9, 0, 9, 0, 0);
    CalibrationResult r = new NvMseCalibrator(0).calibrate(s, QuantSpec.symmetric(8));
    assertEquals(1.5, r.amax());
    assertEquals(0.0, r.objective());
  }

  @Test
  void rejectsNegativeStartBin() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new NvMseCalibrator(-1));
    assertEquals("Cannot build the mse calibrator: start bin must be >= 0 (-1)", e.getMessage());
  }

  @Test
  void contract() {
    CalibratorContract.check(MSE, MseHistograms.small(), QuantSpec.symmetric(8));
    CalibratorContract.check(MSE, MseHistograms.small(), QuantSpec.affine(8));
  }
}
