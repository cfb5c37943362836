package dev.qcal.core.calib.octav;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.SearchPoint;
import dev.qcal.core.calib.SharedSearches;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.WeightedHistogram;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.Scheme;
import dev.qcal.core.stats.RangeStats;
import java.util.ArrayList;
import java.util.List;

/**
 * OCTAV (Sakr et al., ICML 2022, eq. 6): the clip s* minimising the MSE model J(s) = f·s²·P(|X| ≤
 * s) + E[(|X| − s)²·1{|X| > s}] by the fixed-point (Newton) iteration s ← E[|X|·1{|X|>s}] /
 * (f·P(|X|≤s) + P(|X|>s)), on the |x| histogram with the mass uniform inside each bin (the bin
 * holding s is split at s). f = 4^−B/3 for signed grids (step 2s/2^B) and 4^−B/12 for unsigned ones
 * (step s/2^B; the paper and the AI Edge Quantizer's {@code exponent_divisor} note), so the
 * UNSIGNED scheme, and an affine scheme on non-negative data, use 4^−B/12.
 *
 * <p>Variants:
 *
 * <ul>
 *   <li>{@code octav} ({@link #create()}): starts from the mean |x|, which is the iterate after s =
 *       0 and so on the data's own scale (a fixed start such as 1.0 is far from the answer for
 *       tensors of magnitude 1e−3 or 1e3, and above the data it returns 0 first); iterates to a
 *       relative change of 1e−9, at most {@value #MAX_ITERATIONS} updates (a note if the cap is
 *       hit). N is the in-range mass: NaN and ±Inf do not take part.
 *   <li>{@code octav:aiedge} ({@link #aiEdge()}): Google AI Edge Quantizer's {@code
 *       _guess_clipping_with_octav} semantics on the histogram: start 1.0, at most 10 updates, stop
 *       on {@code np.allclose(old, new)}, NaN counted in N (but never clipped). At 8 bits the cap
 *       often stops short of convergence (a note says so), as upstream does. ±Inf cannot be summed
 *       on a histogram and is left out.
 * </ul>
 *
 * <p>Output: range ±s* (affine schemes: [max(min, −s*), min(max, s*)], keeping 0 inside); objective
 * J(s*) per value; details {@code iterations}, {@code start}; curves {@code octav.theoretical}
 * (J(s), the model) and {@code octav.empirical} (the MSE per value of really quantizing the bin
 * centres on the scheme's grid {0, Δ, …, L·Δ}, Δ = s/L, L = qmax of the symmetric grid or 2^B − 1
 * unsigned, round half even) on 200 clips up to max|x| — the two curves of the paper's Figure 1.
 * The model's step s/2^(B−1) and the narrow grid's s/(2^(B−1) − 1) differ slightly; that gap is
 * part of what the two curves show.
 */
public final class OctavCalibrator extends HistogramCalibrator {
  /** The two curves of the Javadoc, {@value #CURVE_POINTS} clips each (immutable lists). */
  private record Curves(List<SearchPoint> theoretical, List<SearchPoint> empirical) {}

  /**
   * What the curves depend on: the histogram (whole or fractional counts), the noise factor and the
   * grid's top level.
   */
  private record CurvesKey(Object histogram, double factor, long levels) {}

  private static Curves curves(BinnedMagnitudes mass, double factor, long levels) {
    double[] scratch = new double[3];
    List<SearchPoint> theoretical = new ArrayList<>(CURVE_POINTS);
    List<SearchPoint> empirical = new ArrayList<>(CURVE_POINTS);
    double top = mass.top();
    for (int k = 1; k <= CURVE_POINTS; k++) {
      double t = top * k / CURVE_POINTS;
      theoretical.add(new SearchPoint(t, mass.theoreticalMse(t, factor, scratch)));
      empirical.add(new SearchPoint(t, mass.empiricalMse(t, levels)));
    }
    return new Curves(List.copyOf(theoretical), List.copyOf(empirical));
  }

  /** The default method key. */
  public static final String NAME = "octav";

  /** The AI Edge Quantizer variant's key. */
  public static final String AI_EDGE = "octav:aiedge";

  /** Cap on the updates of the default. */
  public static final int MAX_ITERATIONS = 1000;

  /** Points of each curve. */
  public static final int CURVE_POINTS = 200;

  private final boolean aiEdge;

  private OctavCalibrator(String name, boolean aiEdge) {
    super(name, Domain.ABSOLUTE);
    this.aiEdge = aiEdge;
  }

  /** The default: converged iteration from the mean |x|. */
  public static OctavCalibrator create() {
    return new OctavCalibrator(NAME, false);
  }

  /** The AI Edge Quantizer semantics (start 1.0, 10 updates, allclose stop) on the histogram. */
  public static OctavCalibrator aiEdge() {
    return new OctavCalibrator(AI_EDGE, true);
  }

  /**
   * The AI Edge Quantizer's clip of raw values (signed), exactly as {@code
   * _guess_clipping_with_octav}; see {@link RawOctav#aiEdge(float[], int)}.
   */
  public static float onValues(float[] values, int bits) {
    return (float) RawOctav.aiEdge(values, bits).clip();
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    return search(
        stats,
        new BinnedMagnitudes(histogram),
        histogram,
        histogram.nan(),
        histogram.above(),
        quant);
  }

  /**
   * OCTAV's histogram version weighs bins by their mass: fractional counts are as good as whole
   * ones.
   */
  @Override
  public boolean acceptsFractionalCounts() {
    return true;
  }

  @Override
  protected CalibrationResult searchWeighted(
      TensorStatistics stats, WeightedHistogram histogram, QuantSpec quant) {
    return search(
        stats, new BinnedMagnitudes(histogram.edges(), histogram.counts()), histogram, 0, 0, quant);
  }

  /** OCTAV is defined on values (the AI Edge Quantizer runs it on the weights themselves). */
  @Override
  public boolean acceptsValues() {
    return true;
  }

  /**
   * On raw values: {@link RawOctav#aiEdge} for {@code octav:aiedge} (exactly the AI Edge
   * Quantizer), {@link RawOctav#converged} for {@code octav}, with the unsigned noise factor where
   * the histogram version uses it; no curves.
   */
  @Override
  protected CalibrationResult searchValues(
      TensorStatistics stats, float[] values, QuantSpec quant) {
    boolean oneSided = oneSided(stats.range(), quant);
    double divisor = oneSided ? 12.0 : 3.0;
    RawOctav.Result r =
        aiEdge
            ? RawOctav.aiEdge(values, quant.bits(), divisor)
            : RawOctav.converged(values, quant.bits(), divisor);
    CalibrationResult.Builder result =
        CalibrationResult.builder(name(), ClipRange.ofAmax(r.clip(), stats.range(), quant), quant)
            .detail("iterations", r.iterations())
            .note("on " + values.length + " raw values");
    if (!r.converged()) {
      result.note(
          aiEdge
              ? "OCTAV stopped at the AI Edge Quantizer's 10-update cap before np.allclose held"
              : "OCTAV did not converge within "
                  + RawOctav.MAX_ITERATIONS
                  + " updates: last iterate used");
    }
    return result.build();
  }

  private static boolean oneSided(RangeStats range, QuantSpec quant) {
    return quant.scheme() == Scheme.UNSIGNED || (!quant.scheme().isSymmetric() && range.min() >= 0);
  }

  private CalibrationResult search(
      TensorStatistics stats,
      BinnedMagnitudes mass,
      Object histogram,
      long nan,
      long above,
      QuantSpec quant) {
    RangeStats range = stats.range();
    boolean oneSided = oneSided(range, quant);
    int bits = quant.bits();
    double factor = Math.pow(4.0, -bits) / (oneSided ? 12.0 : 3.0);
    long levels = oneSided ? (1L << bits) - 1 : (1L << (bits - 1)) - 1;

    double start = aiEdge ? 1.0 : mass.mean();
    double count = mass.total() + (aiEdge ? nan : 0);
    OctavIteration.Trace trace =
        aiEdge
            ? OctavIteration.run(
                mass,
                factor,
                count,
                start,
                OctavIteration.Stop.NUMPY_ALLCLOSE,
                RawOctav.AI_EDGE_ITERATIONS)
            : OctavIteration.run(
                mass, factor, count, start, OctavIteration.Stop.RELATIVE, MAX_ITERATIONS);
    double s = trace.clip();

    double[] scratch = new double[3];
    // Both variants draw the same two curves of the same histogram: within one TensorCalibrator
    // call the second reuses the first's.
    Curves curves =
        SharedSearches.computeIfAbsent(
            new CurvesKey(histogram, factor, levels), () -> curves(mass, factor, levels));
    List<SearchPoint> theoretical = curves.theoretical();
    List<SearchPoint> empirical = curves.empirical();

    CalibrationResult.Builder result =
        CalibrationResult.builder(name(), ClipRange.ofAmax(s, range, quant), quant)
            .objective(mass.theoreticalMse(s, factor, scratch))
            .curve("octav.theoretical", theoretical)
            .curve("octav.empirical", empirical)
            .detail("iterations", trace.iterations())
            .detail("start", start);
    if (!trace.converged()) {
      result.note(
          aiEdge
              ? "OCTAV stopped at the AI Edge Quantizer's 10-update cap before np.allclose held"
              : "OCTAV did not converge within " + MAX_ITERATIONS + " updates: last iterate used");
    }
    if (above > 0) {
      result.note(above + " values above the histogram range (±Inf) left out of OCTAV");
    }
    if (quant.scheme() == Scheme.FP8_E4M3 || quant.scheme() == Scheme.FP8_E5M2) {
      result.note("FP8: OCTAV's uniform-noise model assumes an integer grid of 8 bits");
    }
    if (s == 0) {
      result.note("OCTAV clip is 0 (the AI Edge early stop fired at s = 0): scale set to 1");
    }
    return result.build();
  }
}
