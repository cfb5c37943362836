package dev.qcal.core.calib.eval;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.FakeQuant;
import dev.qcal.core.quant.QuantParams;
import dev.qcal.core.quant.Scheme;
import dev.qcal.core.stats.RangeStats;
import java.io.Serializable;
import java.util.List;

/**
 * The quantization error qcal measures for every method's choice on a tensor, in one way for all
 * methods, so that their choices can be compared: the report's MSE and SQNR columns, its mark of
 * the best method, the console's list of tensors whose primary method is far from the best, and the
 * {@code best} method's choice all use it.
 *
 * <h2>Definition</h2>
 *
 * Given one histogram of the tensor (bins [e_j, e_{j+1}) with counts h_j ≥ 0), the tensor's exact
 * data range from its range statistics, and a method's grid (scale s, zero point z, integers [qmin,
 * qmax], from the run's bit width and scheme: {@link CalibrationResult#params()}):
 *
 * <ol>
 *   <li>each bin is narrowed to the data range ({@link BinSpans}): an |x| bin to [min |x|, max
 *       |x|], a signed bin to [min, max], so the outermost bins hold their values where the data
 *       are (an all-zero tensor's values sit at 0, not across half a bin);
 *   <li>every value of bin j is taken to sit at the centre c_j of its narrowed span;
 *   <li>c_j, rounded to float32 (the tensor's type), is quantized and dequantized as ONNX {@code
 *       QuantizeLinear}/{@code DequantizeLinear} do ({@link FakeQuant}: float32 division, round
 *       half to even, <em>saturating</em> at qmin and qmax, float32 product): fq(c) =
 *       s·(clamp(rint(c/s) + z, qmin, qmax) − z). A value beyond the clip range lands on the grid's
 *       end, so the clipping error is part of the error;
 *   <li>MSE = Σ h_j·(c_j − fq(c_j))² / Σ h_j, signal power P = Σ h_j·c_j² / Σ h_j, and {@link
 *       #sqnrDb() SQNR} = 10·log10(P / MSE) dB.
 * </ol>
 *
 * Every bin of the histogram takes part: the full histogram, not a window of it. Values outside the
 * histogram's range (its {@code below}/{@code above} counts: ±Inf for qcal's own histograms) and
 * NaN have no position and are not part of the measure.
 *
 * <p><b>Which histogram</b> ({@link #histogramFor}): |x| for the symmetric schemes (exact there: a
 * symmetric grid has z = 0 and qmin = −qmax, half-to-even rounding is odd, so x and −x have the
 * same error), x for the unsigned and affine ones (where the sign matters), log2 x only when it is
 * the only histogram (it holds the positive values alone, so the measure then covers those). With
 * 2048 bins a bin is 1/16 of an 8-bit step, so the centre approximation is close.
 *
 * @param mse mean squared error per value; NaN when it cannot be computed (no histogram, an empty
 *     one, or an FP8 grid, which is not an integer grid)
 * @param signalPower mean of x² over the same values
 */
public record QuantNoise(double mse, double signalPower) implements Serializable {

  /** Noise that cannot be computed. */
  public static final QuantNoise UNKNOWN = new QuantNoise(Double.NaN, Double.NaN);

  // Searched in this order for the histogram that measures a symmetric (one-amax) grid best...
  private static final List<Domain> FOR_SYMMETRIC =
      List.of(Domain.ABSOLUTE, Domain.SIGNED, Domain.LOG2);
  // ...and an unsigned or affine one, where the sign matters.
  private static final List<Domain> FOR_SIGNED =
      List.of(Domain.SIGNED, Domain.ABSOLUTE, Domain.LOG2);

  /**
   * The domain whose histogram measures {@code scheme} exactly: |x| for the symmetric schemes, x
   * for the unsigned and affine ones.
   */
  public static Domain domainFor(Scheme scheme) {
    return preference(scheme).get(0);
  }

  private static List<Domain> preference(Scheme scheme) {
    return scheme.isSymmetric() && scheme != Scheme.UNSIGNED ? FOR_SYMMETRIC : FOR_SIGNED;
  }

  /**
   * The tensor's non-empty histogram the measure uses for {@code scheme} (see the class comment),
   * or null when it has none.
   */
  public static Histogram histogramFor(TensorStatistics stats, Scheme scheme) {
    for (Domain d : preference(scheme)) {
      if (stats.has(d) && !stats.histogram(d).isEmpty()) {
        return stats.histogram(d);
      }
    }
    return null;
  }

  /**
   * The measured error of {@code result} on the tensor of {@code stats}, on its histogram for the
   * scheme, else on its histogram with fractional counts; UNKNOWN without a histogram (raw values
   * given instead have no bins to measure on).
   */
  public static QuantNoise of(TensorStatistics stats, CalibrationResult result) {
    Histogram h = histogramFor(stats, result.quant().scheme());
    if (h != null) {
      return of(h, stats.range(), result.params());
    }
    return stats
        .weighted()
        .map(w -> of(w.domain(), w.edges(), w.counts(), stats.range(), result.params()))
        .orElse(UNKNOWN);
  }

  /** The noise of {@code h}'s bin centres under {@code params}, the bins not narrowed. */
  public static QuantNoise of(Histogram h, QuantParams params) {
    return of(h, null, params);
  }

  /**
   * The noise of {@code h} under {@code params}, its bins narrowed to {@code data} (may be null).
   * Reads the histogram's counts and edges in place: every method's measure on every tensor used to
   * copy both (and widen the counts), 8% of the executors' searches at 20 000 small tensors (JFR);
   * and only its non-empty bins ({@link NoiseBins}), the same sums in the same order. Several
   * measures of one tensor share those bins through {@link TensorNoise}.
   */
  public static QuantNoise of(Histogram h, RangeStats data, QuantParams params) {
    if (params.qmax() <= params.qmin()) {
      return UNKNOWN;
    }
    return NoiseBins.of(h, data).noise(params);
  }

  /**
   * The noise of a histogram given by its {@code domain}, {@code edges} and non-negative {@code
   * weights} (counts, whole or fractional), its bins narrowed to {@code data} (may be null).
   */
  public static QuantNoise of(
      Domain domain, double[] edges, double[] weights, RangeStats data, QuantParams params) {
    if (params.qmax() <= params.qmin()) {
      return UNKNOWN;
    }
    Sums sums = new Sums(BinSpans.of(domain, data), params);
    for (int j = 0; j < weights.length; j++) {
      double w = weights[j];
      if (w != 0) {
        sums.add(w, edges[j], edges[j + 1]);
      }
    }
    return sums.noise();
  }

  /** The running sums of the measure over the non-empty bins, in bin order. */
  private static final class Sums {
    private final BinSpans spans;
    private final QuantParams params;
    private double total;
    private double error;
    private double signal;

    Sums(BinSpans spans, QuantParams params) {
      this.spans = spans;
      this.params = params;
    }

    /** Adds the bin [left, right) of weight w, its values at the centre of its narrowed span. */
    void add(double w, double left, double right) {
      double c = 0.5 * (spans.lo(left, right) + spans.hi(left, right));
      double e = c - FakeQuant.fakeQuantize((float) c, params);
      total += w;
      error += w * e * e;
      signal += w * c * c;
    }

    QuantNoise noise() {
      return total == 0 ? UNKNOWN : new QuantNoise(error / total, signal / total);
    }
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

  /** The SQNR for a person: {@code 16.4 dB} (one decimal), {@code ∞ dB}, or {@code n/a}. */
  public String sqnrText() {
    double v = sqnrDb();
    if (Double.isNaN(v)) {
      return "n/a";
    }
    return Double.isInfinite(v) ? "∞ dB" : String.format(java.util.Locale.ROOT, "%.1f dB", v);
  }
}
