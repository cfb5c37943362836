package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.testing.ReferenceVector;

/**
 * The edges the signed-histogram tools really had. ORT, MXNet and TVM call {@code np.histogram(x,
 * n, range=(−T, T))} with T a float32 numpy scalar (a float32 data max, or after merging {@code
 * half·stride + T_old}, all float32), so under numpy 2 the edges are {@code np.linspace} computed
 * in float32 arithmetic: {@code float32(i) · float32(2T / n) + (−T)} with the last edge exactly T.
 * {@link ReferenceVector#edges()} computes the linspace in float64 and casts, which differs in the
 * last bit for many edges.
 */
final class SignedEdges {
  private SignedEdges() {}

  static double[] edges(ReferenceVector v) {
    int n = v.counts().length;
    float lo = (float) v.json().get("range").get(0).asDouble();
    float hi = (float) v.json().get("range").get(1).asDouble();
    float step = (hi - lo) / n;
    double[] e = new double[n + 1];
    for (int i = 0; i < n; i++) {
      e[i] = (float) i * step + lo;
    }
    e[n] = hi;
    return e;
  }

  static Histogram histogram(ReferenceVector v) {
    return Histogram.withEdges(Domain.SIGNED, edges(v), v.counts());
  }

  static TensorStatistics statistics(ReferenceVector v) {
    return TensorStatistics.ofHistogram(histogram(v), v.min(), v.max());
  }
}
