package dev.qcal.core.calib.octav;

/**
 * The OCTAV fixed point on a {@link BinnedMagnitudes}: s ← E[|X|·1{|X|>s}] / (f·P(|X|≤s) +
 * P(|X|>s)) (Sakr et al., ICML 2022, eq. 6), with f the noise factor. Each step is one binary
 * search. Package-private.
 */
final class OctavIteration {

  /** When to stop. */
  enum Stop {
    /** |s_new − s_old| ≤ 1e−9·s_new (the converged default). */
    RELATIVE,
    /** numpy's {@code allclose(old, new)}: |old − new| ≤ 1e−8 + 1e−5·|new| (AI Edge Quantizer). */
    NUMPY_ALLCLOSE;

    boolean done(double old, double next) {
      if (this == RELATIVE) {
        return Math.abs(next - old) <= 1e-9 * Math.abs(next);
      }
      return Math.abs(old - next) <= 1e-8 + 1e-5 * Math.abs(next);
    }
  }

  /**
   * The outcome.
   *
   * @param clip the last iterate s
   * @param iterations updates performed
   * @param converged whether the stop rule fired before the cap
   */
  record Trace(double clip, int iterations, boolean converged) {}

  private OctavIteration() {}

  /**
   * Iterates from {@code start}.
   *
   * @param mass the |x| mass
   * @param factor the quantization-noise factor f (4^−B/3 or 4^−B/12)
   * @param count N of the expectations: the in-range mass, plus NaN for the AI Edge semantics
   * @param start the first guess
   * @param stop the stop rule
   * @param maxIterations the cap on updates
   */
  static Trace run(
      BinnedMagnitudes mass,
      double factor,
      double count,
      double start,
      Stop stop,
      int maxIterations) {
    double[] tail = new double[3];
    double s = start;
    for (int i = 1; i <= maxIterations; i++) {
      mass.above(s, tail);
      double clipped = tail[0];
      // The AI Edge form (1 − f)·#clipped + f·N; with count = N it is f·P(≤ s) + P(> s), times N.
      double next = tail[1] / ((1 - factor) * clipped + factor * count);
      boolean done = stop.done(s, next);
      s = next;
      if (done) {
        return new Trace(s, i, true);
      }
    }
    return new Trace(s, maxIterations, false);
  }
}
