package dev.qcal.core.calib.entropy;

/**
 * How ncnn cuts a candidate's kept bins [0, t) into its {@code nq} intervals ({@code
 * ncnn2table.cpp}, {@code QuantNet::quantize_KL}): interval g spans the float range [g·(t/nq),
 * (g+1)·(t/nq)) (the last one [t − t/nq, t)), that is the whole bins [leftUpper, rightLower) plus
 * the fractions leftScale of bin leftUpper − 1 and rightScale of bin rightLower, and has the float
 * length {@code rightLower − leftUpper + leftScale + rightScale}; every value as ncnn computes it
 * in float32, so that the exact KL and its screen see the same intervals. Scratch for one
 * candidate at a time.
 */
final class NcnnIntervals {
  private final int nq;
  private final int[] leftUpper;
  private final float[] leftScale;
  private final int[] rightLower;
  private final float[] rightScale;
  private final float[] length;

  /** Room for {@code nq} ≥ 2 intervals. */
  NcnnIntervals(int nq) {
    this.nq = nq;
    this.leftUpper = new int[nq];
    this.leftScale = new float[nq];
    this.rightLower = new int[nq];
    this.rightScale = new float[nq];
    this.length = new float[nq];
  }

  /** Cuts [0, t) (t &lt; 2^24, so that the float ends and the int casts are exact). */
  void cut(int t) {
    float perBin = (float) t / nq;
    for (int g = 0; g < nq; g++) {
      float start = g == nq - 1 ? t - perBin : g * perBin;
      float end = g == nq - 1 ? t : (g + 1) * perBin;
      int lu = (int) start; // ⌈start⌉ and ⌊end⌋ for 0 ≤ x < 2^31, without a trip through double
      lu = lu < start ? lu + 1 : lu;
      int rl = (int) end;
      leftUpper[g] = lu;
      leftScale[g] = lu - start;
      rightLower[g] = rl;
      rightScale[g] = end - rl;
      // ncnn: rightLower - leftUpper + leftScale + rightScale; the first interval's leftScale and
      // the last one's rightScale are 0, where ncnn leaves the term out (adding 0f changes nothing).
      length[g] = rl - lu + leftScale[g] + rightScale[g];
    }
  }

  /** The first whole bin of interval g. */
  int leftUpper(int g) {
    return leftUpper[g];
  }

  /** The fraction of bin {@code leftUpper(g) − 1} in interval g (0 for the first). */
  float leftScale(int g) {
    return leftScale[g];
  }

  /** The end of interval g's whole bins; bin rightLower holds its right fraction. */
  int rightLower(int g) {
    return rightLower[g];
  }

  /** The fraction of bin {@code rightLower(g)} in interval g (0 for the last). */
  float rightScale(int g) {
    return rightScale[g];
  }

  /** Interval g's float length. */
  float length(int g) {
    return length[g];
  }
}
