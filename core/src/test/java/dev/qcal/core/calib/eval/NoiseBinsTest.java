package dev.qcal.core.calib.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantParams;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The shared bins' measure ({@link NoiseBins#noise}, its fake quantization inline) against the
 * measure of the same bins as fractional weights, which fake quantizes each centre through {@link
 * dev.qcal.core.quant.FakeQuant}: the same sums in the same order, so equal bit for bit, on every
 * kind of grid (symmetric, unsigned, affine with its zero point, 2 to 16 bits), on scales small
 * enough to saturate every centre (x / scale overflows to ∞) and on a grid too wide for the inline
 * form.
 */
class NoiseBinsTest {
  @Test
  void inlineFakeQuantizationIsFakeQuants() {
    Random random = new Random(20261207);
    List<QuantSpec> specs = new ArrayList<>();
    for (int bits : new int[] {2, 3, 4, 7, 8, 12, 16}) {
      specs.add(QuantSpec.symmetric(bits));
      specs.add(QuantSpec.unsigned(bits));
      specs.add(QuantSpec.affine(bits));
    }
    for (int t = 0; t < 300; t++) {
      Domain domain = t % 2 == 0 ? Domain.ABSOLUTE : Domain.SIGNED;
      int bins = 1 + random.nextInt(300);
      double spread = Math.pow(10, random.nextInt(13) - 6);
      double[] edges = new double[bins + 1];
      edges[0] = domain == Domain.ABSOLUTE ? 0 : -spread * random.nextDouble();
      for (int j = 1; j <= bins; j++) {
        edges[j] = edges[j - 1] + spread * (0.01 + random.nextDouble()) / bins;
      }
      long[] counts = new long[bins];
      double[] weights = new double[bins];
      for (int j = 0; j < bins; j++) {
        counts[j] = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(1 << random.nextInt(20));
        weights[j] = counts[j];
      }
      Histogram h = Histogram.withEdges(domain, edges, counts);
      float lo = (float) (domain == Domain.ABSOLUTE ? -edges[bins] * 0.9 : edges[0] * 0.95);
      float hi = (float) (edges[bins] * random.nextDouble());
      RangeStats data = t % 3 == 0 ? null : RangeStats.of(1000, 0, 0, 0, lo, Math.max(lo, hi));
      List<QuantParams> grids = new ArrayList<>();
      for (QuantSpec spec : specs) {
        double amax = Math.max(-edges[0], edges[bins]) * Math.pow(2, random.nextInt(12) - 9);
        grids.add(spec.params(new ClipRange(-amax * random.nextDouble(), amax)));
        grids.add(spec.params(ClipRange.symmetric(amax)));
      }
      grids.add(new QuantParams(Float.MIN_VALUE, 3, -7, 8)); // every x / scale overflows
      grids.add(new QuantParams(0.37f, 17, 0, 255));
      grids.add(new QuantParams(1e-3f, 0, -(1L << 60), 1L << 60)); // through FakeQuant
      for (QuantParams p : grids) {
        QuantNoise inline = QuantNoise.of(h, data, p);
        QuantNoise reference = QuantNoise.of(domain, edges, weights, data, p);
        String what = "histogram " + t + ", " + p;
        assertEquals(
            Double.doubleToRawLongBits(reference.mse()),
            Double.doubleToRawLongBits(inline.mse()),
            what);
        assertEquals(
            Double.doubleToRawLongBits(reference.signalPower()),
            Double.doubleToRawLongBits(inline.signalPower()),
            what);
      }
    }
  }
}
