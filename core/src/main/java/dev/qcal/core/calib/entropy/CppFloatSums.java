package dev.qcal.core.calib.entropy;

/**
 * The C++ KL tools' float sums of a window's smoothed P and Q ({@link CppKlWindow#smooth}, left to
 * right), computed exactly in O(groups) instead of O(window) (docs/design/entropy-screens.md §5):
 * the screen of MXNet and TVM bounds the KL from the tool's own floats. Not thread-safe.
 */
final class CppFloatSums {
  private static final int EPS_BITS = Float.floatToRawIntBits(SignedWindowSearch.EPS);

  private final float[] hf;
  private final long[] slicePrefix;
  private final int[] nonzeroPrefix;
  private final int[] zeroMask;
  private final int nq;

  /** Non-negative counts whose total is below 2^31: no int group sum wraps, every Q is positive. */
  private final boolean totalFitsInt;

  /** The first bin at or after j with a non-zero (resp. zero) count, n if none. */
  private final int[] nextNonzero;

  private final int[] nextZero;
  private final float hMax;
  private float sumP;
  private float sumQ;

  /**
   * Sums over {@code hf} with prefix sums, non-zero counts, empty mask (−1) and {@code nq} groups.
   */
  CppFloatSums(
      float[] hf,
      long[] slicePrefix,
      int[] nonzeroPrefix,
      int[] zeroMask,
      int nq,
      boolean totalFitsInt) {
    int n = hf.length;
    this.hf = hf;
    this.slicePrefix = slicePrefix;
    this.nonzeroPrefix = nonzeroPrefix;
    this.zeroMask = zeroMask;
    this.nq = nq;
    this.totalFitsInt = totalFitsInt;
    this.nextNonzero = new int[n + 1];
    this.nextZero = new int[n + 1];
    nextNonzero[n] = n;
    nextZero[n] = n;
    float max = 0f;
    for (int j = n - 1; j >= 0; j--) {
      nextNonzero[j] = hf[j] != 0f ? j : nextNonzero[j + 1];
      nextZero[j] = hf[j] == 0f ? j : nextZero[j + 1];
      max = Math.max(max, hf[j]);
    }
    this.hMax = max;
  }

  /** P̂ of the last {@link #sum}. */
  float p() {
    return sumP;
  }

  /** Q̂ of the last {@link #sum}. */
  float q() {
    return sumQ;
  }

  /** From this float sum on, adding EPS changes nothing: EPS &lt; ½ulp(2^11) = 2^-13. */
  private static final float EPS_ABSORBED = 2048f;

  /**
   * The float sums ({@link #p}, {@link #q}) of the smoothed P and Q of window [start, start + len)
   * with group width m, P's ends, P's shift and the groups' smoothed Q, the same floats as {@link
   * CppKlWindow#smooth}; false (nothing computed) when a Q value is not positive (a wrapped sum).
   */
  boolean sum(int start, int len, int m, float p0, float pLast, float eps1p, float[] qNz) {
    for (int j = 0; j < nq && !totalFitsInt; j++) {
      if (!(qNz[j] > 0f)) {
        return false;
      }
    }
    int last = len - 1;
    // P.
    float acc = pAt(start, last, 0, p0, pLast, eps1p);
    int k = 1;
    // Bin by bin below 2^11, branch-free as pass 1 (a count c ≥ 1 gives c − e ≥ ½ > EPS); a long
    // run of empty bins adds EPS by addRepeated (exact for any acc), e.g. a sparse tail.
    for (int bin = start + 1; k < last && acc < EPS_ABSORBED; ) {
      if (hf[bin] == 0f) {
        int run = Math.min(nextNonzero[bin], start + last) - bin;
        if (run >= RUN) {
          acc = addRepeated(acc, SignedWindowSearch.EPS, run);
          k += run;
          bin += run;
          continue;
        }
      }
      acc += Math.max(hf[bin] - eps1p, SignedWindowSearch.EPS);
      k++;
      bin++;
    }
    double ePrime = ((double) eps1p + 0.5 * Math.ulp(hMax)) * (1 + 0x1p-40);
    while (k < last) {
      int ex = Math.getExponent(acc);
      double top = Math.scalb(1.0, ex + 1);
      if (ex <= 23 && ePrime < Math.scalb(1.0, ex - 24)) {
        long base = slicePrefix[start + k];
        double room = top - acc; // exact: both on the binade's grid
        int a = k;
        int b = last; // largest k1 in [k, last] with Σh[k, k1) < room
        while (a < b) {
          int mid = (a + b + 1) >>> 1;
          if (slicePrefix[start + mid] - base < room) {
            a = mid;
          } else {
            b = mid - 1;
          }
        }
        acc = (float) (acc + (double) (slicePrefix[start + a] - base));
        k = a;
        if (k < last) {
          acc += pAt(start, last, k, p0, pLast, eps1p);
          k++;
        }
      } else {
        acc += pAt(start, last, k, p0, pLast, eps1p);
        k++;
      }
    }
    if (k == last) {
      acc += pAt(start, last, k, p0, pLast, eps1p);
    }
    sumP = acc;

    // Q.
    int[] zero = zeroMask;
    acc = p0 == 0f ? SignedWindowSearch.EPS : qNz[0];
    k = 1;
    // Bin by bin below 2^11, group by group (the remainder is in the last group), branch-free; a
    // long run of empty (EPS) or of non-empty (the group's q) positions by addRepeated.
    for (int j = 0; j < nq && k < last && acc < EPS_ABSORBED; j++) {
      int b = Math.min(j == nq - 1 ? len : (j + 1) * m, last);
      float qj = qNz[j];
      int qBits = Float.floatToRawIntBits(qj);
      while (k < b && acc < EPS_ABSORBED) {
        int bin = start + k;
        int z = zero[bin];
        int runEnd = Math.min(z != 0 ? nextNonzero[bin] : nextZero[bin], start + b) - start;
        if (runEnd - k >= RUN) {
          acc = addRepeated(acc, z != 0 ? SignedWindowSearch.EPS : qj, runEnd - k);
          k = runEnd;
        } else {
          acc += Float.intBitsToFloat((z & EPS_BITS) | (~z & qBits));
          k++;
        }
      }
    }
    if (k == last && acc < EPS_ABSORBED) {
      acc += pLast == 0f ? SignedWindowSearch.EPS : qNz[nq - 1];
      k++;
    }
    if (k < len) {
      // acc ≥ 2^11: the empty positions' EPS is absorbed; each group adds its q at its non-zero
      // positions.
      for (int j = Math.min(k / m, nq - 1); j < nq; j++) {
        int b = j == nq - 1 ? len : (j + 1) * m;
        int from = Math.max(k, j * m);
        if (from >= b) {
          continue;
        }
        int lo = Math.max(from, 1);
        int hi = Math.min(b, last);
        int cnt = hi > lo ? nonzeroPrefix[start + hi] - nonzeroPrefix[start + lo] : 0;
        if (b == len && pLast != 0f) {
          cnt++;
        }
        acc = addRepeated(acc, qNz[j], cnt);
      }
    }
    sumQ = acc;
    return true;
  }

  /** The smoothed P at window position k, as pass 1 computes it. */
  private float pAt(int start, int last, int k, float p0, float pLast, float eps1p) {
    float p = k == 0 ? p0 : k == last ? pLast : hf[start + k];
    return p == 0f ? SignedWindowSearch.EPS : p - eps1p;
  }

  /** Runs at least this long are added by {@link #addRepeated} below 2^11. */
  private static final int RUN = 8;

  /**
   * {@code cnt} float additions {@code acc += q} (acc a positive normal float, q &gt; 0), in
   * O(binades).
   */
  static float addRepeated(float acc, float q, int cnt) {
    while (cnt > 0) {
      // ulp = 2^(E−23) for acc in [2^E, 2^(E+1)), E ≥ 11: the exponent field less 23.
      float ulp = Float.intBitsToFloat((Float.floatToRawIntBits(acc) & 0x7F800000) - (23 << 23));
      double top = ulp * 0x1p24; // 2^(E+1)
      float f = acc + q;
      double d = (double) f - acc; // exact
      if (d == 0) {
        return acc; // acc + q rounds back to acc, and so will every later add
      }
      // Common case: all cnt adds stay in the binade, d is the same for each (no tie). The
      // differences are exact: every term is a multiple of the binade's ulp.
      if ((top - acc) - (cnt - 1) * d > q) {
        float g = acc + ulp;
        if (((double) (g + q) - g) == d) { // no tie: acc and acc + ulp round alike
          return (float) (acc + cnt * d);
        }
      }
      if (!(top - acc > q)) { // this add leaves the binade: do it in float
        acc = f;
        cnt--;
        continue;
      }
      float g = acc + ulp;
      if (((double) (g + q) - g) != d) { // a tie: the rounding depends on acc's last bit
        acc = f;
        cnt--;
        continue;
      }
      // t adds stay in the binade while acc + j·d + q < top, j = 0 .. t − 1.
      long t = (long) Math.ceil(((top - acc) - q) / d);
      t = Math.max(t, 1);
      while (t > 1 && !(top - (acc + (t - 1) * d) > q)) {
        t--;
      }
      while (top - (acc + t * d) > q) {
        t++;
      }
      long steps = Math.min(t, cnt);
      acc = (float) (acc + steps * d);
      cnt -= (int) steps;
    }
    return acc;
  }
}
