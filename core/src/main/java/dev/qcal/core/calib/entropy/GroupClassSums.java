package dev.qcal.core.calib.entropy;

/**
 * Sums over the interior groups of a signed-window candidate in O(1), for {@link
 * KlClosedForm#addClasses}: prefix sums along each residue class of the window start mod the group
 * width (docs/design/entropy-screens.md §4).
 */
final class GroupClassSums {
  /**
   * How a tool turns a window's sum and non-zero count into Q (an enum: a lambda's call site for
   * three tools would be megamorphic), and whether Q is masked by P.
   */
  enum Tool {
    /** MXNet ≥ 1.6 and TVM (C++): the int group sum, stored as float, over the non-zero count. */
    MXNET_CPP,
    /** MXNet ≤ 1.5 (numpy): float32 of the float64 quotient of the int32 sum. */
    MXNET15,
    /** ONNX Runtime: the int64 truncation of the float64 quotient, as float32; Q not masked. */
    ORT;

    /** Whether Q is 0 where P is (MXNet's {@code q[p == 0] = 0}); ORT leaves it. */
    boolean masked() {
      return this != ORT;
    }

    /** The Q value of a window with {@code sum} counts in {@code nonzeros} non-zero bins (≥ 1). */
    float of(long sum, int nonzeros) {
      return switch (this) {
        case MXNET_CPP -> ((float) (int) sum) / nonzeros;
        case MXNET15 -> (float) ((double) (int) sum / nonzeros);
        case ORT -> (long) ((double) sum / nonzeros);
      };
    }
  }

  // The quantities per window (docs/design/entropy-screens.md §4): H·L, NZ·L, H/q, NZ/q, H/q²,
  // NZ/q², the Q mass QM, |QM − H|, Z·L, Z/q, Z/q², and 1 for a non-empty window.
  static final int HL = 0;
  static final int NL = 1;
  static final int HQ = 2;
  static final int NQ = 3;
  static final int HQ2 = 4;
  static final int NQ2 = 5;
  static final int QM = 6;
  static final int DEV = 7;
  static final int ZL = 8;
  static final int ZQ = 9;
  static final int ZQ2 = 10;
  static final int NE = 11;
  private static final int STRIDE = 12;

  private final long[] prefix;
  private final int[] nonzeroPrefix;
  private final int n;
  private final Tool tool;
  private final double[] pf;
  // Σ over all windows of |F_k|: bounds the rounding of any difference along a class.
  private final double[] absTotal = new double[STRIDE];
  private final double[] sums = new double[STRIDE];
  private int m;
  private int from;
  private int to = -1;
  // The largest count sum H and Q mass QM (before smoothing) of a tabulated window.
  private double maxSum;
  private double maxQMass;

  /** Sums over {@code prefix} and {@code nonzeroPrefix} (length n + 1), Q as {@code tool}'s. */
  GroupClassSums(long[] prefix, int[] nonzeroPrefix, Tool tool) {
    this.prefix = prefix;
    this.nonzeroPrefix = nonzeroPrefix;
    this.n = prefix.length - 1;
    this.tool = tool;
    this.pf = new double[STRIDE * n];
  }

  /** Tabulates the windows of {@code width} starting in [from, to] (no-op when already done). */
  void width(int width, int from, int to) {
    if (width == m && from >= this.from && to <= this.to) {
      return;
    }
    m = width;
    double qmMax = 0;
    double hMax = 0;
    this.from = Math.max(0, from);
    this.to = Math.min(to, n - width);
    for (int b = this.from; b <= this.to; b++) {
      int o = STRIDE * b;
      int nz = nonzeroPrefix[b + width] - nonzeroPrefix[b];
      if (b - width >= this.from) {
        System.arraycopy(pf, o - STRIDE * width, pf, o, STRIDE);
      } else {
        java.util.Arrays.fill(pf, o, o + STRIDE, 0);
      }
      if (nz == 0) {
        continue;
      }
      long h = prefix[b + width] - prefix[b];
      hMax = Math.max(hMax, h); // an empty window's sum is 0: the counts are non-negative
      float q = tool.of(h, nz);
      double l = FastLog.ln(q);
      double iq = 1.0 / q;
      double iq2 = iq * iq;
      int z = width - nz;
      double qm = tool.masked() ? nz * (double) q : width * (double) q;
      // Every F is ≥ 0 (q ≥ 1, so L ≥ 0): Σ|F| is the sum of the classes' last prefixes.
      pf[o + HL] += h * l;
      pf[o + NL] += nz * l;
      pf[o + HQ] += h * iq;
      pf[o + NQ] += nz * iq;
      pf[o + HQ2] += h * iq2;
      pf[o + NQ2] += nz * iq2;
      pf[o + QM] += qm;
      qmMax = Math.max(qmMax, qm);
      pf[o + DEV] += Math.abs(qm - h);
      pf[o + ZL] += z * l;
      pf[o + ZQ] += z * iq;
      pf[o + ZQ2] += z * iq2;
      pf[o + NE] += 1;
    }
    java.util.Arrays.fill(absTotal, 0);
    this.maxSum = hMax;
    this.maxQMass = qmMax;
    for (int b = Math.max(this.from, this.to - width + 1); b <= this.to; b++) {
      for (int k = 0; k < STRIDE; k++) {
        absTotal[k] += pf[STRIDE * b + k];
      }
    }
  }

  double maxSum() {
    return maxSum;
  }

  double maxQMass() {
    return maxQMass;
  }

  boolean masked() {
    return tool.masked();
  }

  int width() {
    return m;
  }

  /**
   * Σ F_k over the windows b = first, first + m, …, last (first ≡ last mod m, first ≤ last), for
   * every quantity k, in an array the next call reuses.
   */
  double[] sums(int first, int last) {
    for (int k = 0; k < STRIDE; k++) {
      double s = pf[STRIDE * last + k];
      sums[k] = first - m >= from ? s - pf[STRIDE * (first - m) + k] : s;
    }
    return sums;
  }

  /**
   * A bound on {@link #sums}'s rounding for quantity k (two prefixes of n/m + 1 additions each).
   */
  double slack(int k) {
    return 2.02 * (n + 6) * 0x1p-53 * absTotal[k];
  }
}
