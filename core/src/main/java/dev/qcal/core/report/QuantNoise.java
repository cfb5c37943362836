package dev.qcal.core.report;

import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.FakeQuant;
import dev.qcal.core.quant.QuantParams;
import dev.qcal.core.stats.RangeStats;
import java.io.Serializable;

/**
 * The quantization noise of a tensor under given parameters, estimated from its histogram: every
 * bin's values are taken to sit at the bin centre {@code c}, which is fake-quantized ({@link
 * FakeQuant}, ONNX QuantizeLinear arithmetic: float32, half-even, saturating, so clipping error is
 * included), and the squared errors are averaged with the bin counts as weights.
 *
 * <p>On an |x| histogram the centre is taken as a value of x: exact for symmetric grids (zero point
 * 0, qmin = −qmax, where the error is odd in x), an approximation otherwise, so affine parameters
 * should be evaluated on a signed histogram. With 2048 bins a bin is 1/16 of an int8 step, so the
 * centre approximation is close; on a coarsened histogram it is rough. Given the tensor's {@link
 * RangeStats}, the outermost bins are narrowed to the exact data range first ({@code BinSpans}),
 * so an all-zero tensor has no error and no signal rather than the error of half a bin.
 *
 * @param mse mean squared error per value; NaN when it cannot be computed (empty histogram, or an
 *     FP8 grid, which is not an integer grid)
 * @param signalPower mean of x² over the same values
 */
public record QuantNoise(double mse, double signalPower) implements Serializable {

  /** Noise that cannot be computed. */
  public static final QuantNoise UNKNOWN = new QuantNoise(Double.NaN, Double.NaN);

  /** The noise of {@code h}'s bin centres under {@code params}. */
  public static QuantNoise of(Histogram h, QuantParams params) {
    return of(BinSpans.of(h.domain(), h.edges(), null), h.counts(), params);
  }

  /** The same, with the bins narrowed to the tensor's exact data range. */
  public static QuantNoise of(Histogram h, RangeStats data, QuantParams params) {
    return of(BinSpans.of(h.domain(), h.edges(), data), h.counts(), params);
  }

  /** The same, on a coarsened histogram. */
  public static QuantNoise of(PlotHistogram h, RangeStats data, QuantParams params) {
    return of(BinSpans.of(h.domain(), h.edges(), data), h.counts(), params);
  }

  private static QuantNoise of(BinSpans spans, long[] counts, QuantParams params) {
    if (params.qmax() <= params.qmin()) {
      return UNKNOWN;
    }
    double total = 0;
    double error = 0;
    double signal = 0;
    for (int j = 0; j < counts.length; j++) {
      if (counts[j] == 0) {
        continue;
      }
      double c = 0.5 * (spans.lo[j] + spans.hi[j]);
      double e = c - FakeQuant.fakeQuantize((float) c, params);
      total += counts[j];
      error += counts[j] * e * e;
      signal += counts[j] * c * c;
    }
    return total == 0 ? UNKNOWN : new QuantNoise(error / total, signal / total);
  }

  /**
   * Signal-to-quantization-noise ratio in dB, {@code 10·log10(signalPower / mse)}: +Inf when there
   * is no error, NaN when it is unknown or there is no signal (an all-zero tensor).
   */
  public double sqnrDb() {
    if (Double.isNaN(mse) || !(signalPower > 0)) {
      return Double.NaN;
    }
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signalPower / mse);
  }
}
