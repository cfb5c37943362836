package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.SearchPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared pieces of the signed-window KL family (ONNX Runtime, MXNet, TVM; docs/design/algorithms.md
 * §3.4 and §4): the window geometry around the zero bin and the float32 arithmetic the tools do in
 * numpy or C++. The searches themselves: {@link MinimizeKl} (C++) and {@link NumpyKlSearch}
 * (numpy).
 *
 * <p>Every tool of the family searches a signed histogram over [−T, T] whose "zero bin" is {@code n
 * / 2}, with candidates {@code i = nq/2 .. n/2} and the window {@code [zero − i, zero + i + 1)};
 * they differ in the arithmetic inside the window, which each calibrator reproduces.
 */
final class SignedWindowKl {
  /** The smoothing epsilon of every tool of the family ({@code eps=0.0001}), in float32. */
  static final float EPS = 1e-4f;

  private SignedWindowKl() {}

  /** The zero bin, {@code n / 2} (a bin centred on 0 for odd n, the bin [0, w) for even n). */
  static int zeroBin(int binCount) {
    return binCount / 2;
  }

  /**
   * Number of candidates {@code i = nq/2 .. last} ({@code 0} when the histogram has too few bins:
   * the tools then fail on an empty argmin).
   */
  static int candidateCount(int nq, int lastI) {
    return Math.max(0, lastI - nq / 2 + 1);
  }

  /**
   * The float32 natural log, {@code (float) Math.log(x)}: correctly rounded but for double
   * rounding. The tools' logs are not always: glibc's {@code logf} (C++ {@code std::log(float)})
   * has a 0.818-ulp bound and numpy's SIMD float32 log a few ulps, so a KL value can differ from
   * the tool's in its last bits; see each calibrator.
   */
  static float logf(float x) {
    return Float32Log.log(x);
  }

  /** The candidates as a curve, threshold → KL. */
  static List<SearchPoint> curve(double[] thresholds, double[] kl, int count) {
    List<SearchPoint> points = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      points.add(new SearchPoint(thresholds[k], kl[k]));
    }
    return points;
  }

  /** Outcome of numpy's {@code smooth_distribution}. */
  enum Smoothing {
    /** Smoothed. */
    DONE,
    /** All entries are zero (ORT returns None, MXNet 1.5 raises ValueError). */
    ALL_ZERO,
    /** eps1 ≥ 1: the tools' {@code assert eps1 < 1.0} fails. */
    EPS_TOO_LARGE
  }

  /**
   * numpy's {@code smooth_distribution(p, eps=0.0001)} (ONNX Runtime {@code quant_utils.py}, MXNet
   * ≤ 1.5 {@code _smooth_distribution}) of {@code in[0, len)} into {@code out}: {@code eps1 =
   * 1e-4·zeros/nonzeros} in float64, then in float32 zeros become {@code 1e-4f} and the rest {@code
   * p + float32(−eps1)} (numpy casts the Python scalars to float32).
   */
  static Smoothing numpySmooth(float[] in, int len, float[] out) {
    int zeros = 0;
    for (int k = 0; k < len; k++) {
      if (in[k] == 0f) {
        zeros++;
      }
    }
    int nonzeros = len - zeros;
    if (nonzeros == 0) {
      return Smoothing.ALL_ZERO;
    }

    double eps1 = 0.0001 * zeros / nonzeros;
    if (!(eps1 < 1.0)) {
      return Smoothing.EPS_TOO_LARGE;
    }

    float shift = (float) -eps1;
    for (int k = 0; k < len; k++) {
      float v = in[k];
      out[k] = v == 0f ? EPS : v + shift;
    }
    return Smoothing.DONE;
  }

  /**
   * The outcome of {@link #numpySmooth} for an array of {@code len} entries, {@code zeros} of them
   * 0.
   */
  static Smoothing numpySmoothing(int len, int zeros) {
    int nonzeros = len - zeros;
    if (nonzeros == 0) {
      return Smoothing.ALL_ZERO;
    }
    return 0.0001 * zeros / nonzeros < 1.0 ? Smoothing.DONE : Smoothing.EPS_TOO_LARGE;
  }

  /** The float shift {@link #numpySmooth} adds to the non-zero entries, {@code float32(−eps1)}. */
  static float numpyShift(int len, int zeros) {
    return (float) -(0.0001 * zeros / (len - zeros));
  }

  /** Checks a number of quantized bins. */
  static int checkQuantizedBins(int nq) {
    if (nq < 2 || nq > (1 << 20)) {
      throw new IllegalArgumentException(
          "Cannot build a KL calibrator: the number of quantized bins must be in [2, 2^20] ("
              + nq
              + ")");
    }
    return nq;
  }
}
