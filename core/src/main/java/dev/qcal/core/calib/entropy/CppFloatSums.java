package dev.qcal.core.calib.entropy;

/**
 * The C++ KL tools' left-to-right float sums of a window's smoothed P and Q ({@link
 * CppKlWindow#smooth}), exactly, in O(groups) (docs/design/entropy-screens.md §5). Not thread-safe.
 */
final class CppFloatSums {
  private static final int EPS_BITS = Float.floatToRawIntBits(SignedWindowSearch.EPS);
  // From this float sum on, adding EPS changes nothing: EPS < ½ulp(2^11) = 2^-13.
  private static final float EPS_ABSORBED = 2048f;
  // Runs at least this long are added by addRepeated below 2^11.
  private static final int RUN = 8;

  private final SignedWindowSearch window;
  private final float[] hf;
  private final long[] slicePrefix;
  private final int nq;
  // Non-negative counts whose total is below 2^31: no int group sum wraps, every Q is positive.
  private final boolean totalFitsInt;
  // −1 for an empty bin, else 0; the first bin at or after j with a non-zero (zero) count, or n.
  private final int[] zeroMask;
  private final int[] nextNonzero;
  private final int[] nextZero;
  private final float hMax;
  private float sumP;
  private float sumQ;

  /** Sums over the counts of {@code window}, in its groups. */
  CppFloatSums(SignedWindowSearch window, boolean totalFitsInt) {
    this.window = window;
    this.hf = window.hf;
    this.slicePrefix = window.prefix;
    this.nq = window.nq;
    int n = hf.length;
    this.totalFitsInt = totalFitsInt;
    this.zeroMask = new int[n];
    this.nextNonzero = new int[n + 1];
    this.nextZero = new int[n + 1];
    nextNonzero[n] = n;
    nextZero[n] = n;
    float max = 0f;
    for (int j = n - 1; j >= 0; j--) {
      nextNonzero[j] = hf[j] != 0f ? j : nextNonzero[j + 1];
      nextZero[j] = hf[j] == 0f ? j : nextZero[j + 1];
      zeroMask[j] = hf[j] == 0f ? -1 : 0;
      max = Math.max(max, hf[j]);
    }
    this.hMax = max;
  }

  /** P̂ of the last {@link #sum}; {@link #q} its Q̂. */
  float p() {
    return sumP;
  }

  float q() {
    return sumQ;
  }

  /**
   * {@link #p} and {@link #q} of window [start, start + len) as {@link CppKlWindow#smooth} sums
   * them (group width m, P's ends and shift, the groups' smoothed Q); false if a Q is not positive.
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
        acc = addRepeated(acc, qNz[j], window.nonzeros(start, len, from, b, p0, pLast));
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

  /** {@code cnt} float additions {@code acc += q} (acc positive normal, q &gt; 0) in O(binades). */
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
      // A tie when acc and acc + ulp round differently: the rounding depends on acc's last bit.
      float g = acc + ulp;
      boolean tie = ((double) (g + q) - g) != d;
      // Common case: all cnt adds stay in the binade, d is the same for each (no tie). The
      // differences are exact: every term is a multiple of the binade's ulp.
      if (!tie && (top - acc) - (cnt - 1) * d > q) {
        return (float) (acc + cnt * d);
      }
      if (tie || !(top - acc > q)) { // a tie, or this add leaves the binade: do it in float
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
