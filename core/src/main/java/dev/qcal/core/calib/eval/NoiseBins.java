package dev.qcal.core.calib.eval;

import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.NonEmptyBins;
import dev.qcal.core.quant.FakeQuant;
import dev.qcal.core.quant.QuantParams;
import dev.qcal.core.stats.RangeStats;

/**
 * The part of {@link QuantNoise}'s measure that does not depend on the grid: a histogram's
 * non-empty bins with their weights and the centres of their narrowed spans, the total weight and
 * the signal sum, found once per tensor and shared by every method's measure (each method's measure
 * found them again: shared, the four methods' measures of 20 000 small tensors take about 0.6× the
 * thread CPU). The sums run over the same bins in the same order as one measure's did, so every
 * measure is the same bit for bit.
 */
final class NoiseBins {
  /** Every integer up to this magnitude is a double: the grids {@link #noise} quantizes inline. */
  private static final long EXACT_INTEGERS = 1L << 53;

  private final double[] weights;
  private final double[] centres;

  /** Each centre rounded to float32, the tensor's type, as the grid quantizes it. */
  private final float[] floats;

  private final double total;
  private final double signal;

  private NoiseBins(double[] weights, double[] centres, double total, double signal) {
    this.weights = weights;
    this.centres = centres;
    this.floats = new float[centres.length];
    for (int k = 0; k < centres.length; k++) {
      floats[k] = (float) centres[k];
    }
    this.total = total;
    this.signal = signal;
  }

  /** The non-empty bins of {@code h}, narrowed to {@code data} (may be null). */
  static NoiseBins of(Histogram h, RangeStats data) {
    BinSpans spans = BinSpans.of(h.domain(), data);
    NonEmptyBins bins = h.nonEmptyBins();
    int m = bins.count();
    double[] weights = new double[m];
    double[] centres = new double[m];
    double total = 0;
    double signal = 0;
    for (int k = 0; k < m; k++) {
      int j = bins.bin(k);
      double w = h.count(j);
      double left = h.edge(j);
      double right = h.edge(j + 1);
      double c = 0.5 * (spans.lo(left, right) + spans.hi(left, right));
      weights[k] = w;
      centres[k] = c;
      total += w;
      signal += w * c * c;
    }
    return new NoiseBins(weights, centres, total, signal);
  }

  /**
   * The measure under {@code params} (an integer grid of more than one level). Each centre is fake
   * quantized as {@link FakeQuant#fakeQuantize} does it, bit for bit, with the grid's checks and
   * bounds taken out of the loop: q = rint(fl(x / scale)) + zeroPoint in double, saturated to
   * [qmin, qmax] by comparisons (Math.max and min order ±0 and NaN, which never reach here: q is
   * finite or ±∞, and FakeQuant's cast to long drops the sign of a zero), then fl((q − zeroPoint) ·
   * scale), where q − zeroPoint is an integer below 2^53, exact as FakeQuant's long (a grid wider
   * than that, which no {@code QuantSpec} makes, is measured through FakeQuant itself). The calls
   * per bin were over half of the four methods' measures at 20 000 small tensors (thread CPU: 300 →
   * 135 ms).
   */
  QuantNoise noise(QuantParams params) {
    if (params.qmin() < -EXACT_INTEGERS || params.qmax() > EXACT_INTEGERS) {
      double error = 0;
      for (int k = 0; k < centres.length; k++) {
        double e = centres[k] - FakeQuant.fakeQuantize(floats[k], params);
        error += weights[k] * e * e;
      }
      return total == 0 ? QuantNoise.UNKNOWN : new QuantNoise(error / total, signal / total);
    }
    float scale = params.scale();
    int zeroPoint = params.zeroPoint();
    double qmin = params.qmin();
    double qmax = params.qmax();
    double error = 0;
    for (int k = 0; k < centres.length; k++) {
      float x = floats[k];
      // FakeQuant maps NaN to the zero point (the centres are finite: the test always fails).
      double q = Float.isNaN(x) ? zeroPoint : Math.rint(x / scale) + zeroPoint;
      q = q > qmax ? qmax : q;
      q = q < qmin ? qmin : q;
      double e = centres[k] - (float) (q - zeroPoint) * scale;
      error += weights[k] * e * e;
    }
    return total == 0 ? QuantNoise.UNKNOWN : new QuantNoise(error / total, signal / total);
  }
}
