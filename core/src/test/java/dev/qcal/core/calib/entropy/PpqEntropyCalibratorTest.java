package dev.qcal.core.calib.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.SearchPoint;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PPQ's KL search on a 4096-bin histogram (w = 0.001). Expected values come from a numpy
 * transcription of {@code hist_to_scale_offset} (float32 P and Q, float64 log10 dot product).
 */
class PpqEntropyCalibratorTest {

  /** ⌊3000·exp(−(j/700)²/2)⌋ + j mod 3 below bin 3000, then a count of 1 every 97 bins. */
  private static TensorStatistics histogram() {
    int n = 4096;
    long[] counts = new long[n];
    for (int j = 0; j < n; j++) {
      counts[j] =
          j < 3000
              ? (long) Math.floor(3000 * Math.exp(-0.5 * (j / 700.0) * (j / 700.0))) + j % 3
              : (j % 97 == 0 ? 1 : 0);
    }
    double[] edges = new double[n + 1];
    for (int j = 0; j <= n; j++) {
      edges[j] = j * 0.001;
    }
    return TensorStatistics.ofHistogram(
        Histogram.withEdges(Domain.ABSOLUTE, edges, counts), 0, 4.096);
  }

  @Test
  void fourBitsHitsTheNanFirstQuirk() {
    // qb = 8 = int(0.002·4096): candidate r = 8 lies in the zeroed bins 0..7, ΣQ = 0, KL = NaN,
    // and Python's sort keeps it first: scale = 8·w/8 = w = 0.001 although r = 2544 has the
    // smallest finite KL (0.004734882749824596).
    CalibrationResult r = new PpqEntropyCalibrator().calibrate(histogram(), QuantSpec.symmetric(4));
    assertEquals(0.001f, r.params().scale());
    assertEquals(0.008, r.amax(), 1e-12);
    assertTrue(Double.isNaN(r.objective()));
    assertTrue(r.notes().get(0).contains("zeroed"), r.notes().toString());
    List<SearchPoint> curve = r.curves().get("kl");
    assertEquals(512, curve.size());
    assertEquals(0.8221681037292208, curve.get(1).objective(), 1e-6 * 0.82);
    SearchPoint bestFinite = curve.get(1);
    for (SearchPoint p : curve.subList(1, curve.size())) {
      if (p.objective() < bestFinite.objective()) {
        bestFinite = p;
      }
    }
    assertEquals(2.544, bestFinite.threshold(), 1e-9);
    assertEquals(0.004734882749824596, bestFinite.objective(), 1e-6 * 0.0047);
  }

  @Test
  void eightBitsSearchesMultiplesOf128WithScaleOverOneTwentyEight() {
    // 32 candidates r = 128, 256, …, 4096; the first KLs are 1.6279235203468028 and
    // 1.4888936050020032, the minimum 0.0005365522191797631 at r = 4096: scale = 4.096/128.
    CalibrationResult r = new PpqEntropyCalibrator().calibrate(histogram(), QuantSpec.symmetric(8));
    List<SearchPoint> curve = r.curves().get("kl");
    assertEquals(32, curve.size());
    assertEquals(1.6279235203468028, curve.get(0).objective(), 1e-6 * 1.63);
    assertEquals(1.4888936050020032, curve.get(1).objective(), 1e-6 * 1.49);
    assertEquals(0.032f, r.params().scale());
    assertEquals(0, r.params().zeroPoint());
    assertEquals(4.096, r.amax(), 1e-12);
    assertEquals(0.0005365522191797631, r.objective(), 1e-6 * 0.00054);
    assertTrue(r.notes().isEmpty(), r.notes().toString());
  }
}
