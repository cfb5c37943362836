package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.screen.Candidates;
import dev.qcal.core.calib.screen.Screening;
import dev.qcal.core.calib.screen.TieRule;

/**
 * ncnn's KL candidates t = first … n − 1 of a normalised histogram, each valued by ncnn's float32
 * KL ({@code ncnn2table.cpp}, {@code QuantNet::quantize_KL}, operation by operation), screened by
 * {@link NcnnScreen} when asked and usable.
 */
final class NcnnSearch implements Candidates {
  private static final float KL_EPS = 0.0001f;

  private final float[] hn;
  private final int first;
  private final int levels;
  private final NcnnScreen screen;
  private final NcnnIntervals cuts;
  private final float[] clip;
  private final float[] quantized;
  private final float[] expanded;

  /** Candidates {@code first .. hn.length − 1} of {@code hn}, screened if {@code screened}. */
  NcnnSearch(float[] hn, int first, int levels, boolean screened) {
    this.hn = hn;
    this.first = first;
    this.levels = levels;
    this.screen = screened ? new NcnnScreen(hn, levels) : null;
    this.cuts = new NcnnIntervals(levels);
    this.clip = new float[hn.length];
    this.quantized = new float[levels];
    this.expanded = new float[hn.length];
  }

  @Override
  public int count() {
    return hn.length - first;
  }

  @Override
  public boolean screenable() {
    return screen != null && screen.usable();
  }

  @Override
  public void screen(int c, double limit, Screening out) {
    screen.interval(first + c, out);
  }

  /** ncnn's float32 KL of candidate t = first + c. */
  @Override
  public double exact(int c) {
    int t = first + c;
    // P: 1e-4 + hn on [0, t), the outliers added one by one to the last kept bin.
    for (int j = 0; j < t; j++) {
      clip[j] = KL_EPS;
      clip[j] += hn[j];
    }
    for (int j = t; j < hn.length; j++) {
      clip[t - 1] += hn[j];
    }
    cuts.cut(t);
    quantize();
    expand(t);
    float kl = 0;
    for (int j = 0; j < t; j++) {
      kl += clip[j] * (float) Math.log(clip[j] / expanded[j]);
    }
    return kl;
  }

  @Override
  public TieRule tieRule() {
    return TieRule.FIRST_BELOW_FLT_MAX;
  }

  /** Each interval's value: left fraction, right fraction, whole bins (ncnn's order) / length. */
  private void quantize() {
    for (int g = 0; g < levels; g++) {
      cuts.select(g);
      float q = 0f;
      if (cuts.leftScale > 0) {
        q += cuts.leftScale * hn[cuts.leftUpper - 1];
      }
      if (cuts.rightScale > 0) {
        q += cuts.rightScale * hn[cuts.rightLower];
      }
      for (int k = cuts.leftUpper, end = cuts.rightLower; k < end; k++) {
        q += hn[k];
      }
      quantized[g] = q / cuts.length;
    }
  }

  /** Q: the interval values spread back over [0, t) with the same overlaps, from 1e-4. */
  private void expand(int t) {
    java.util.Arrays.fill(expanded, 0, t, KL_EPS);
    for (int g = 0; g < levels; g++) {
      cuts.select(g);
      float q = quantized[g];
      if (cuts.leftScale > 0) {
        expanded[cuts.leftUpper - 1] += cuts.leftScale * q;
      }
      if (cuts.rightScale > 0) {
        expanded[cuts.rightLower] += cuts.rightScale * q;
      }
      for (int k = cuts.leftUpper, end = cuts.rightLower; k < end; k++) {
        expanded[k] += q;
      }
    }
  }
}
