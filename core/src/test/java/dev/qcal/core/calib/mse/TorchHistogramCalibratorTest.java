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
 * PyTorch {@code HistogramObserver}. Objective values come from a numpy float32 emulation of {@code
 * _compute_quantization_error} (the one that reproduces the vector), e.g.
 *
 * <pre>
 * bw = (float(mx) - float(mn)) / bins; dbw = bw * (e - s + 1) / 256
 * sb = (np.arange(bins) - s).astype(f32) * f32(bw); se = sb + f32(bw)
 * dob = np.clip(np.floor_divide(sb, f32(dbw)), 0, 255); doe = np.clip(np.floor_divide(se, f32(dbw)), 0, 255)
 * dens = hist / f32(bw); gn = lambda a, b, d: d * ((b*b*b - a*a*a) / f32(3))
 * norm = gn(sb - (dob + f32(.5)) * f32(dbw), f32(dbw / 2), dens)
 * norm += (doe - dob - 1) * gn(f32(-dbw / 2), f32(dbw / 2), dens)
 * norm += gn(f32(-dbw / 2), se - (doe * f32(dbw) + f32(dbw / 2)), dens); return norm.sum()
 * </pre>
 */
class TorchHistogramCalibratorTest {
  private static final TorchHistogramCalibrator TORCH = new TorchHistogramCalibrator();

  @Test
  void greedyAcceptsTheFirstMoveAndStopsAtTheFirstIncrease() {
    // [−4, 4] in 8 bins, counts 1 0 10 40 40 10 0 1 (cSum 1 1 11 51 91 101 101 102).
    // α step: cSum[0] = 1 ≥ (α + 1e-5)·102 for α < 0.0098, so l never leaves 0. β step: the first
    // r is 6 (cSum[7] = 102 > 101.999), end − r = 1 > 0 → end := 6, error 0.35348317 < inf →
    // accepted (the full range, whose error 0.0083 is smaller, is never evaluated). r stays 6 until
    // (β − 1e-5)·102 < 101, then jumps to 4: error 9.817 > 0.353 → stop. Range [−4, −4 + 7] =
    // [−4, 3]; quint8: scale = 7/255 = 0.02745098, zp = rint(4/scale) = rint(145.71) = 146.
    TensorStatistics s =
        Histograms.stats(Domain.SIGNED, -4, 4, -3.9, 3.9, 1, 0, 10, 40, 40, 10, 0, 1);
    CalibrationResult r = TORCH.calibrate(s, QuantSpec.affine(8));
    assertEquals(-4.0, r.range().min());
    assertEquals(3.0, r.range().max());
    assertEquals(0.3534831702709198, r.objective());
    assertEquals(2, r.curves().get("mse").size());
    assertEquals(9.817092895507812, r.curves().get("mse").get(1).objective());
    assertEquals(7f / 255f, r.params().scale());
    assertEquals(146, r.params().zeroPoint());
  }

  @Test
  void emptyEndBinsAreShrunkFirst() {
    // [−4, 4] in 16 bins (width .5), mass in bins 2..5 and one count in bin 15. The first move
    // jumps the start over the two empty bins (l − start = 2 > end − r = 1): (2, 15), error
    // 0.0015528996; the next (2, 14) costs 0.0911 → stop. Range [−3, 4]; zp = rint(3/(7/255)) =
    // 109.
    TensorStatistics s =
        Histograms.stats(
            Domain.SIGNED, -4, 4, -2.9, 3.9, 0, 0, 3, 9, 9, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    CalibrationResult r = TORCH.calibrate(s, QuantSpec.affine(8));
    assertEquals(-3.0, r.range().min());
    assertEquals(4.0, r.range().max());
    assertEquals(0.0015528996009379625, r.objective());
    assertEquals(109, r.params().zeroPoint());
  }

  /**
   * The vector's histogram is torch's own: collected over several batches and re-binned by {@code
   * _upscale_histogram}, so its counts are fractional (multiples of 1/128 and finer). qcal's
   * histograms hold long counts, so the vector is fed to the float32 search core the calibrator
   * runs ({@link TorchRangeSearch}), with torch's histc range [min, max] as float32.
   */
  private static TorchRangeSearch.Outcome vectorSearch(ReferenceVector v) {
    float[] hist = new float[v.json().get("counts").size()];
    for (int j = 0; j < hist.length; j++) {
      hist[j] = (float) v.json().get("counts").get(j).asDouble();
    }
    float min = (float) v.json().get("range").get(0).asDouble();
    float max = (float) v.json().get("range").get(1).asDouble();
    return TorchRangeSearch.run(hist, min, max, 256);
  }

  @Test
  void vector() {
    ReferenceVector v = ReferenceVector.load("torch_histobs_gaussian.json");
    assertEquals("quint8", v.param("dtype").asText());
    TorchRangeSearch.Outcome o = vectorSearch(v);
    v.assertClose("min", v.expected("min"), o.lo());
    v.assertClose("max", v.expected("max"), o.hi());
    // numpy emulation: moves (0, 1982), (56, 1982), (56, 1953), (56, 1929), (56, 1901) accepted,
    // (56, 1881) costs 25.6536 > 25.4024 → stop.
    assertEquals(56, o.start());
    assertEquals(1901, o.end());
    assertEquals(6, o.curve().size());
    QuantSpec quint8 = QuantSpec.affine(8);
    CalibrationResult r = TorchHistogramCalibrator.result(o.lo(), o.hi(), quint8).build();
    v.assertClose("scale", v.expected("scale"), r.params().scale());
    assertEquals((int) v.expected("zero_point"), r.params().zeroPoint());
  }

  @Test
  void symmetricSchemeFollowsTorchQint8Symmetric() {
    // scale = max(5.0011234, 4.706582)/127.5 in float32, zp 0 on [−128, 127].
    TorchRangeSearch.Outcome o = vectorSearch(ReferenceVector.load("torch_histobs_gaussian.json"));
    CalibrationResult r =
        TorchHistogramCalibrator.result(o.lo(), o.hi(), QuantSpec.symmetric(8)).build();
    assertEquals(-o.lo() / 127.5f, r.params().scale());
    assertEquals(0, r.params().zeroPoint());
    assertEquals(-128, r.params().qmin());
    assertEquals(-o.lo(), r.amax(), 0.0);
  }

  @Test
  void longCountsAreTheSameSearch() {
    // The calibrator on a long-count histogram equals the float core on the same counts.
    ReferenceVector v = ReferenceVector.load("torch_histobs_gaussian.json");
    long[] counts = new long[v.counts().length];
    float[] hist = new float[counts.length];
    for (int j = 0; j < counts.length; j++) {
      counts[j] = (long) Math.rint(v.json().get("counts").get(j).asDouble() * 4);
      hist[j] = counts[j];
    }
    double[] edges = v.edges();
    TensorStatistics s =
        TensorStatistics.ofHistogram(
            dev.qcal.core.histogram.Histogram.withEdges(Domain.SIGNED, edges, counts),
            v.min(),
            v.max());
    CalibrationResult r = TORCH.calibrate(s, QuantSpec.affine(8));
    TorchRangeSearch.Outcome o =
        TorchRangeSearch.run(hist, (float) edges[0], (float) edges[counts.length], 256);
    assertEquals(o.lo(), r.range().min());
    assertEquals(o.hi(), r.range().max());
  }

  @Test
  void fourBitsStillUses256DestinationBins() {
    // The quirk: the range search is the same at 4 bits; only the grid of the qparams changes.
    ReferenceVector v = ReferenceVector.load("torch_histobs_gaussian.json");
    CalibrationResult r8 = TORCH.calibrate(v.statistics(Domain.SIGNED), QuantSpec.affine(8));
    CalibrationResult r4 = TORCH.calibrate(v.statistics(Domain.SIGNED), QuantSpec.affine(4));
    assertEquals(r8.range(), r4.range());
    assertEquals(256, TorchHistogramCalibrator.dstBins(4));
    assertEquals(65536, TorchHistogramCalibrator.dstBins(16));
    assertEquals(15, r4.params().qmax());
  }

  @Test
  void contract() {
    TensorStatistics s =
        Histograms.stats(Domain.SIGNED, -4, 4, -3.9, 3.9, 1, 0, 10, 40, 40, 10, 0, 1);
    CalibratorContract.check(TORCH, s, QuantSpec.affine(8));
    CalibratorContract.check(TORCH, s, QuantSpec.symmetric(8));
  }
}
