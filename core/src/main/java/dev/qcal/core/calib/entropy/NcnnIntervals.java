package dev.qcal.core.calib.entropy;

/**
 * How ncnn cuts a candidate's kept bins [0, t) into its {@code nq} intervals ({@code
 * ncnn2table.cpp}, {@code QuantNet::quantize_KL}) in its float32, for the exact KL and its screen
 * alike: a cursor, {@link #cut} a candidate, then {@link #select} each g and read its fields. Not
 * thread-safe.
 */
final class NcnnIntervals {
  private final int nq;
  private int t;
  private float perBin;
  // The selected interval: whole bins [leftUpper, rightLower), the fractions of bins leftUpper − 1
  // (0 for the first) and rightLower (0 for the last) in it, and its length, as ncnn has them.
  int leftUpper;
  float leftScale;
  int rightLower;
  float rightScale;
  float length;

  /** A cursor over {@code nq} ≥ 2 intervals. */
  NcnnIntervals(int nq) {
    this.nq = nq;
  }

  /** Cuts [0, t) (t &lt; 2^24, so that the float ends and the int casts are exact). */
  void cut(int t) {
    this.t = t;
    this.perBin = (float) t / nq;
  }

  /** Selects interval g of the last {@link #cut}. */
  void select(int g) {
    float start = g == nq - 1 ? t - perBin : g * perBin;
    float end = g == nq - 1 ? t : (g + 1) * perBin;
    int lu = (int) start; // ⌈start⌉ and ⌊end⌋ for 0 ≤ x < 2^31, without a trip through double
    lu = lu < start ? lu + 1 : lu;
    int rl = (int) end;
    leftUpper = lu;
    leftScale = lu - start;
    rightLower = rl;
    rightScale = end - rl;
    // ncnn: rightLower - leftUpper + leftScale + rightScale; the first interval's leftScale and
    // the last one's rightScale are 0, where ncnn leaves the term out (adding 0f changes nothing).
    length = rl - lu + leftScale + rightScale;
  }
}
