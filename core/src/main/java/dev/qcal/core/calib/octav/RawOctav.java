package dev.qcal.core.calib.octav;

/**
 * OCTAV on raw values (no histogram), for weights and for checking the histogram version.
 *
 * <p>{@link #aiEdge} reproduces Google AI Edge Quantizer's {@code _guess_clipping_with_octav}
 * ({@code ai_edge_quantizer/algorithms/uniform_quantize/octav.py} @ b15ce01) for one tensor ({@code
 * axis=None}): start s = 1.0 (whatever the data scale), at most 10 updates, early stop on {@code
 * np.allclose(old, new)} (rtol 1e−5, atol 1e−8), clipped set {@code x ≥ s or x ≤ −s} (≥, not the
 * paper's >), denominator {@code (1 − c)·#clipped + c·N} with c = float32(4^−B/divisor) and N the
 * number of values <em>including NaN</em> (NaN fails both comparisons, so it is never clipped but
 * still dilutes the denominator); every step in float32. numpy sums float32 pairwise; here each sum
 * is accumulated in double and rounded once to float32, which differs from numpy by at most a few
 * float32 ulps.
 *
 * <p>{@link #converged} is the paper's iteration (strict >, NaN and ±Inf ignored) in double,
 * started from the mean |x| and run to a relative change of 1e−9.
 */
public final class RawOctav {
  /** AI Edge Quantizer's {@code max_iterations}. */
  public static final int AI_EDGE_ITERATIONS = 10;

  /** The cap of {@link #converged}. */
  public static final int MAX_ITERATIONS = 1000;

  /**
   * A clip and how it was reached.
   *
   * @param clip the clipping constant s
   * @param iterations updates performed
   * @param stop whether the stop rule fired or the cap was reached
   */
  public record Result(double clip, int iterations, Stop stop) {

    /** True when the stop rule fired before the cap. */
    public boolean converged() {
      return stop == Stop.CONVERGED;
    }
  }

  /** How an iteration ended. */
  public enum Stop {
    /** The stop rule fired. */
    CONVERGED,
    /** The cap on updates was reached first. */
    CAPPED
  }

  private RawOctav() {}

  /**
   * The AI Edge Quantizer's clip of {@code values} for {@code bits}, signed (exponent divisor 3).
   *
   * @throws IllegalArgumentException if bits is not in [1, 32]
   */
  public static Result aiEdge(float[] values, int bits) {
    return aiEdge(values, bits, 3.0);
  }

  /**
   * The AI Edge Quantizer's clip with an explicit exponent divisor (3 signed, 12 unsigned).
   *
   * @throws IllegalArgumentException if bits is not in [1, 32] or the divisor is not positive
   */
  public static Result aiEdge(float[] values, int bits, double exponentDivisor) {
    checkBits(bits);
    if (!(exponentDivisor > 0) || Double.isInfinite(exponentDivisor)) {
      throw new IllegalArgumentException(
          "Cannot run OCTAV: the exponent divisor must be finite and positive ("
              + exponentDivisor
              + ")");
    }
    // np.asarray(4.0 ** (-bits) / exponent_divisor, dtype=np.float32)
    float c = (float) (Math.pow(4.0, -bits) / exponentDivisor);
    float oneMinusC = 1f - c;
    float cN = c * (float) values.length;
    float guess = 1f;
    for (int i = 1; i <= AI_EDGE_ITERATIONS; i++) {
      float old = guess;
      float negOld = -old;
      long ge = 0;
      long le = 0;
      double sumGe = 0;
      double sumLe = 0;
      for (float x : values) {
        if (x >= old) {
          ge++;
          sumGe += x;
        }
        if (x <= negOld) {
          le++;
          sumLe += x;
        }
      }
      float denominator = (float) ge;
      denominator = (float) (denominator + (double) le);
      float numerator = (float) sumGe - (float) sumLe;
      denominator = denominator * oneMinusC;
      denominator = denominator + cN;
      guess = numerator / denominator;
      if (Math.abs(old - guess) <= 1e-8 + 1e-5 * Math.abs(guess)) {
        return new Result(guess, i, Stop.CONVERGED);
      }
    }
    return new Result(guess, AI_EDGE_ITERATIONS, Stop.CAPPED);
  }

  /**
   * The paper's fixed point for signed values: strict {@code |x| > s}, finite values only, double
   * arithmetic, started from the mean |x| (the iterate after s = 0), stopped at a relative change
   * of 1e−9 or after {@value #MAX_ITERATIONS} updates. 0 when no finite value is non-zero.
   *
   * @throws IllegalArgumentException if bits is not in [1, 32]
   */
  public static Result converged(float[] values, int bits) {
    return converged(values, bits, 3.0);
  }

  /**
   * The same with an explicit exponent divisor (3 signed, 12 unsigned: the noise of the step
   * s/2^B).
   *
   * @throws IllegalArgumentException if bits is not in [1, 32]
   */
  public static Result converged(float[] values, int bits, double exponentDivisor) {
    checkBits(bits);
    double c = Math.pow(4.0, -bits) / exponentDivisor;
    long n = 0;
    double sumAbs = 0;
    for (float x : values) {
      if (Float.isFinite(x)) {
        n++;
        sumAbs += Math.abs(x);
      }
    }
    if (n == 0 || sumAbs == 0) {
      return new Result(0, 0, Stop.CONVERGED);
    }
    double s = sumAbs / n;
    for (int i = 1; i <= MAX_ITERATIONS; i++) {
      long clipped = 0;
      double sum = 0;
      for (float x : values) {
        double a = Math.abs(x);
        if (a > s && a < Double.POSITIVE_INFINITY) {
          clipped++;
          sum += a;
        }
      }
      double next = sum / ((1 - c) * clipped + c * n);
      boolean done = Math.abs(next - s) <= 1e-9 * next;
      s = next;
      if (done) {
        return new Result(s, i, Stop.CONVERGED);
      }
    }
    return new Result(s, MAX_ITERATIONS, Stop.CAPPED);
  }

  private static void checkBits(int bits) {
    if (bits < 1 || bits > 32) {
      throw new IllegalArgumentException(
          "Cannot run OCTAV: bits must be in [1, 32] (" + bits + ")");
    }
  }
}
