package dev.qcal.core.calib.eval;

import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantParams;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.Scheme;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores candidate clip ranges against a fine reference histogram at a given bit width, so that
 * methods can be compared side by side (e.g. (−20, 20) against (−7, 7) at 4 bits), as the public
 * "KL divergence comparison" write-ups do. Not a search: it reports, for each candidate, the KL
 * divergence and the MSE of quantizing the histogram with that candidate.
 *
 * <h2>Definitions</h2>
 *
 * Let the reference histogram have bins j with centres c_j = (e_j + e_{j+1})/2 and counts h_j (N =
 * Σh_j &gt; 0). A candidate range [lo, hi] (for an {@link Domain#ABSOLUTE} histogram: [0, amax]) is
 * turned into a grid by {@link QuantSpec#params}: scale s, zero point z, integers [qmin, qmax]. The
 * fake quantizer is {@code fq(x) = s·(clamp(rint(x/s) + z, qmin, qmax) − z)}, round half to even,
 * in float64.
 *
 * <ul>
 *   <li><b>P</b>: the kept bins are those whose centre lies in [lo, hi]; the counts of the bins
 *       below are added to the first kept bin and those above to the last kept bin (outliers are
 *       folded into the clip ends, as NVIDIA and TensorRT fold them into the last bin).
 *   <li><b>Q</b>: each kept bin belongs to the grid level {@code clamp(rint(c_j/s) + z, qmin,
 *       qmax)} of its centre. A level's P mass is spread evenly over its kept bins with P &gt; 0,
 *       bins with P = 0 get 0 (as NVIDIA spreads over non-empty bins). So ΣQ = ΣP = N, and Q &gt; 0
 *       wherever P &gt; 0: the divergence is always finite.
 *   <li><b>KL</b> = Σ_{P_j&gt;0} (P_j/N)·ln(P_j/Q_j), natural log. It is 0 when every level's kept
 *       bins are equally filled, and grows as levels merge unequal bins. +∞ if no bin centre lies
 *       in the range (the range is narrower than the histogram's resolution).
 *   <li><b>MSE</b> = Σ_j h_j·(fq(c_j) − c_j)² / N over <em>all</em> bins, outliers included (their
 *       error is the clipping error). Every value is represented by its bin centre. For an |x|
 *       histogram this is the MSE of the symmetric grid on the signed values.
 * </ul>
 *
 * <p>An |x| histogram needs a symmetric scheme ({@link Scheme#SYMMETRIC} or {@link
 * Scheme#UNSIGNED}); FP8 grids are not integer grids and are rejected. The reference histogram's
 * values above or below its range (±Inf) are not part of either score.
 */
public final class CandidateEvaluation {
  private final Histogram reference;
  private final QuantSpec quant;
  private final long total;

  private CandidateEvaluation(Histogram reference, QuantSpec quant) {
    this.reference = reference;
    this.quant = quant;
    this.total = reference.total();
  }

  /**
   * An evaluation of candidates against {@code reference} under {@code quant}.
   *
   * @throws IllegalArgumentException if the histogram is empty or LOG2, or the scheme does not fit
   *     (FP8, or an affine scheme on an |x| histogram)
   */
  public static CandidateEvaluation of(Histogram reference, QuantSpec quant) {
    if (reference.domain() == Domain.LOG2) {
      throw new IllegalArgumentException(
          "Cannot evaluate candidates: a log2 histogram has no linear grid ("
              + reference.layout()
              + ")");
    }
    if (reference.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot evaluate candidates: the reference histogram is empty ("
              + reference.layout()
              + ")");
    }
    if (quant.scheme() == Scheme.FP8_E4M3 || quant.scheme() == Scheme.FP8_E5M2) {
      throw new IllegalArgumentException(
          "Cannot evaluate candidates: FP8 grids are not integer grids (" + quant + ")");
    }
    if (reference.domain() == Domain.ABSOLUTE && !quant.scheme().isSymmetric()) {
      throw new IllegalArgumentException(
          "Cannot evaluate candidates: an |x| histogram needs a symmetric scheme (" + quant + ")");
    }
    return new CandidateEvaluation(reference, quant);
  }

  /** The scores of each candidate, in order. */
  public List<CandidateScore> evaluate(List<ClipRange> candidates) {
    List<CandidateScore> out = new ArrayList<>(candidates.size());
    for (ClipRange c : candidates) {
      out.add(evaluate(c));
    }
    return out;
  }

  /** The KL divergence and MSE of one candidate (see the class comment). */
  public CandidateScore evaluate(ClipRange candidate) {
    QuantParams params = quant.params(candidate);
    double lo = reference.domain() == Domain.ABSOLUTE ? 0 : candidate.min();
    double hi = reference.domain() == Domain.ABSOLUTE ? candidate.amax() : candidate.max();
    return new CandidateScore(candidate, params, kl(params, lo, hi), mse(params));
  }

  private double centre(int j) {
    double a = reference.edge(j);
    return a + 0.5 * (reference.edge(j + 1) - a);
  }

  private static long level(QuantParams p, double x) {
    double q = Math.rint(x / p.scale()) + p.zeroPoint();
    return (long) Math.max(p.qmin(), Math.min(p.qmax(), q));
  }

  private static double fakeQuant(QuantParams p, double x) {
    return (double) p.scale() * (level(p, x) - p.zeroPoint());
  }

  private double kl(QuantParams params, double lo, double hi) {
    int n = reference.binCount();
    int first = -1;
    int last = -1;
    for (int j = 0; j < n; j++) {
      double c = centre(j);
      if (c >= lo && c <= hi) {
        if (first < 0) {
          first = j;
        }
        last = j;
      }
    }
    if (first < 0) {
      return Double.POSITIVE_INFINITY;
    }
    long[] p = new long[last - first + 1];
    for (int j = 0; j < n; j++) {
      int k = Math.max(first, Math.min(last, j)) - first;
      p[k] += reference.count(j);
    }
    // Kept bins are in increasing order and fq is monotone, so each level is a run of bins.
    double sum = 0;
    int start = 0;
    while (start < p.length) {
      long lvl = level(params, centre(first + start));
      int end = start;
      long mass = 0;
      int nonEmpty = 0;
      while (end < p.length && level(params, centre(first + end)) == lvl) {
        mass += p[end];
        nonEmpty += p[end] > 0 ? 1 : 0;
        end++;
      }
      double q = nonEmpty == 0 ? 0 : (double) mass / nonEmpty;
      for (int k = start; k < end; k++) {
        if (p[k] > 0) {
          sum += p[k] * Math.log(p[k] / q);
        }
      }
      start = end;
    }
    return sum / total;
  }

  private double mse(QuantParams params) {
    double sum = 0;
    for (int j = 0; j < reference.binCount(); j++) {
      long h = reference.count(j);
      if (h > 0) {
        double c = centre(j);
        double e = fakeQuant(params, c) - c;
        sum += h * e * e;
      }
    }
    return sum / total;
  }
}
