package dev.qcal.core.calib.eval;

import static dev.qcal.core.testing.Throwing.assertThrowsSaying;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-derived KL and MSE of candidate ranges. */
class CandidateEvaluationTest {

  private static Histogram unitBins(Domain domain, double lo, long... counts) {
    double[] edges = new double[counts.length + 1];
    for (int j = 0; j < edges.length; j++) {
      edges[j] = lo + j;
    }
    return Histogram.withEdges(domain, edges, counts);
  }

  private static double t(double p, double q) {
    return p * Math.log(p / q);
  }

  @Test
  void signedHistogramTwoCandidatesAtTwoBits() {
    // Bins of width 1 over [−4, 4], centres −3.5 … 3.5, counts [1,2,3,5,4,3,2,1], N = 21.
    Histogram h = unitBins(Domain.SIGNED, -4, 1, 2, 3, 5, 4, 3, 2, 1);
    CandidateEvaluation eval = CandidateEvaluation.of(h, QuantSpec.symmetric(2));
    List<CandidateScore> scores =
        eval.evaluate(List.of(new ClipRange(-2, 2), new ClipRange(-4, 4)));

    // (−2, 2): scale 2/1 = 2, grid {−2, 0, 2}. Kept centres −1.5 … 1.5 (bins 2..5); bins 0,1 fold
    // into bin 2 and bins 6,7 into bin 5: P = [6, 5, 4, 6]. Levels of the centres: −1.5 → −1,
    // −0.5 → 0, 0.5 → 0, 1.5 → 1, so Q = [6, 4.5, 4.5, 6] and KL = (5·ln(5/4.5) + 4·ln(4/4.5))/21.
    // MSE: fq(±3.5) = ±2 (clamped), fq(±2.5) = ±2 (rint(1.25) = 1), fq(±1.5) = ±2, fq(±0.5) = 0:
    // (2.25·1 + 0.25·2 + 0.25·3 + 0.25·5 + 0.25·4 + 0.25·3 + 0.25·2 + 2.25·1)/21 = 9.25/21.
    CandidateScore narrow = scores.get(0);
    assertEquals(2f, narrow.params().scale());
    assertEquals((t(5, 4.5) + t(4, 4.5)) / 21, narrow.kl(), 1e-15);
    assertEquals(9.25 / 21, narrow.mse(), 1e-15);

    // (−4, 4): scale 4, grid {−4, 0, 4}, nothing folded. Levels: −3.5, −2.5 → −1 (rint(−0.625));
    // −1.5 … 1.5 → 0; 2.5, 3.5 → 1. Q = [1.5, 1.5 | 3.75 ×4 | 1.5, 1.5].
    // MSE: (0.25·1 + 2.25·2 + 2.25·3 + 0.25·5 + 0.25·4 + 2.25·3 + 2.25·2 + 0.25·1)/21 = 25.25/21.
    CandidateScore wide = scores.get(1);
    double kl =
        (t(1, 1.5)
                + t(2, 1.5)
                + t(3, 3.75)
                + t(5, 3.75)
                + t(4, 3.75)
                + t(3, 3.75)
                + t(2, 1.5)
                + t(1, 1.5))
            / 21;
    assertEquals(kl, wide.kl(), 1e-15);
    assertEquals(25.25 / 21, wide.mse(), 1e-15);
    // The narrow range wins on both scores here.
    assertTrue(narrow.kl() < wide.kl() && narrow.mse() < wide.mse());
  }

  @Test
  void absoluteHistogramUsesTheNonNegativeHalfOfTheSymmetricGrid() {
    // |x| bins over [0, 8], centres 0.5 … 7.5, counts [8,4,2,1,1,0,1,1], N = 18; 3 bits
    // symmetric, amax 3: scale 3/3 = 1, levels 0 … 3 on |x|. Kept centres ≤ 3: bins 0..2, the
    // other 4 counts fold into bin 2: P = [8, 4, 6]. Levels: rint(0.5) = 0, rint(1.5) = 2,
    // rint(2.5) = 2 (half to even): Q = [8, 5, 5], KL = (4·ln(4/5) + 6·ln(6/5))/18.
    // MSE: 0.25·8 + 0.25·4 + 0.25·2 + (3.5−3)²·1 + (4.5−3)²·1 + 0 + (6.5−3)²·1 + (7.5−3)²·1
    //    = 2 + 1 + 0.5 + 0.25 + 2.25 + 12.25 + 20.25 = 38.5, over 18.
    Histogram h = unitBins(Domain.ABSOLUTE, 0, 8, 4, 2, 1, 1, 0, 1, 1);
    CandidateScore s =
        CandidateEvaluation.of(h, QuantSpec.symmetric(3)).evaluate(ClipRange.symmetric(3));
    assertEquals((t(4, 5) + t(6, 5)) / 18, s.kl(), 1e-15);
    assertEquals(38.5 / 18, s.mse(), 1e-15);
  }

  @Test
  void flatLevelsGiveZeroDivergence() {
    // Every level holds equally filled bins: P = Q.
    Histogram h = unitBins(Domain.SIGNED, -4, 3, 3, 3, 3, 3, 3, 3, 3);
    CandidateScore s =
        CandidateEvaluation.of(h, QuantSpec.symmetric(2)).evaluate(new ClipRange(-4, 4));
    assertEquals(0.0, s.kl());
  }

  @Test
  void rangeNarrowerThanABinHasInfiniteDivergence() {
    Histogram h = unitBins(Domain.SIGNED, -4, 1, 2, 3, 5, 4, 3, 2, 1);
    CandidateScore s =
        CandidateEvaluation.of(h, QuantSpec.symmetric(4)).evaluate(new ClipRange(-0.2, 0.2));
    assertEquals(Double.POSITIVE_INFINITY, s.kl());
  }

  @Test
  void fourBitComparisonOfAWideAndANarrowRange() {
    // The write-ups' example: a fine N(0, 3²)-shaped histogram over [−20, 20] (4000 bins) with 16
    // levels (4-bit AFFINE_SIGNED, [−8, 7]). Expected values from an independent numpy
    // transcription of the class comment's definitions. (−7, 7) clips about 2% of the mass but
    // resolves the bulk: its MSE is 5x lower. Its KL is higher: the clipped mass folded into the
    // end
    // bins makes a spike that the end level spreads evenly, which is exactly how NVIDIA-style KL
    // penalises clipping.
    int n = 4000;
    long[] counts = new long[n];
    double[] edges = new double[n + 1];
    for (int j = 0; j <= n; j++) {
      edges[j] = -20 + 40.0 * j / n;
    }
    for (int j = 0; j < n; j++) {
      double c = (edges[j] + edges[j + 1]) / 2;
      counts[j] = (long) Math.floor(1e5 * Math.exp(-0.5 * (c / 3) * (c / 3)));
    }
    Histogram h = Histogram.withEdges(Domain.SIGNED, edges, counts);
    QuantSpec q =
        new QuantSpec(
            4, dev.qcal.core.quant.Scheme.AFFINE_SIGNED, dev.qcal.core.quant.ScaleRounding.EXACT);
    List<CandidateScore> s =
        CandidateEvaluation.of(h, q)
            .evaluate(List.of(new ClipRange(-20, 20), new ClipRange(-7, 7)));
    assertEquals(16, s.get(0).params().qmax() - s.get(0).params().qmin() + 1);
    assertEquals(0.03192916241064911, s.get(0).kl(), 1e-12);
    assertEquals(0.5925918047487061, s.get(0).mse(), 1e-12);
    assertEquals(0.06372487316950186, s.get(1).kl(), 1e-12);
    assertEquals(0.11239747911388874, s.get(1).mse(), 1e-12);
  }

  @Test
  void rejectsGridsThatDoNotFit() {
    Histogram abs = unitBins(Domain.ABSOLUTE, 0, 1, 2);
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> CandidateEvaluation.of(abs, QuantSpec.affine(4)),
        "an |x| histogram needs a symmetric scheme (affine4)");
    assertThrowsSaying(
        IllegalArgumentException.class,
        () ->
            CandidateEvaluation.of(
                abs, QuantSpec.symmetric(8).withScheme(dev.qcal.core.quant.Scheme.FP8_E4M3)),
        "FP8 grids are not integer grids");
    Histogram empty = unitBins(Domain.SIGNED, 0, 0, 0);
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> CandidateEvaluation.of(empty, QuantSpec.symmetric(4)),
        "the reference histogram is empty");
  }
}
