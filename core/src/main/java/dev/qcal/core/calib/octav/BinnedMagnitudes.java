package dev.qcal.core.calib.octav;

import dev.qcal.core.histogram.Histogram;
import java.util.Arrays;

/**
 * The mass of an |x| histogram read as uniform inside each bin, with prefix sums so that the mass,
 * first and second moments above any clip s cost one binary search (the bin holding s is split at s
 * analytically). Package-private: the arithmetic behind {@link OctavCalibrator}.
 */
final class BinnedMagnitudes {
  private final double[] edges;
  private final double[] counts;

  /** Suffix sums from bin j to the end: count, Σ c·E[x], Σ c·E[x²] with x uniform in the bin. */
  private final double[] tailCount;

  private final double[] tailMoment;
  private final double[] tailSecond;
  private final double total;

  BinnedMagnitudes(Histogram h) {
    this(h.edges(), toDouble(h.counts()));
  }

  /** The mass of an |x| histogram given by its edges and (whole or fractional) counts. */
  BinnedMagnitudes(double[] edges, double[] counts) {
    this.edges = edges;
    this.counts = counts;
    int n = counts.length;
    tailCount = new double[n + 1];
    tailMoment = new double[n + 1];
    tailSecond = new double[n + 1];
    for (int j = n - 1; j >= 0; j--) {
      double a = edges[j];
      double b = edges[j + 1];
      double c = counts[j];
      tailCount[j] = tailCount[j + 1] + c;
      tailMoment[j] = tailMoment[j + 1] + c * (a + b) / 2;
      tailSecond[j] = tailSecond[j + 1] + c * (a * a + a * b + b * b) / 3;
    }
    this.total = tailCount[0];
  }

  private static double[] toDouble(long[] counts) {
    double[] out = new double[counts.length];
    for (int j = 0; j < counts.length; j++) {
      out[j] = counts[j];
    }
    return out;
  }

  /** The in-range mass (sum of the counts). */
  double total() {
    return total;
  }

  /** The top edge: the largest magnitude the histogram can hold. */
  double top() {
    return edges[edges.length - 1];
  }

  /** Mean |x| of the in-range mass (0 when empty). */
  double mean() {
    return total > 0 ? tailMoment[0] / total : 0;
  }

  /**
   * Mass, first and second moment of the part above {@code s}, written into {@code out[0..2]}. The
   * bin holding s contributes its fraction (b − s)/(b − a), uniform on [s, b].
   */
  void above(double s, double[] out) {
    int n = counts.length;
    if (!(s > edges[0])) {
      out[0] = tailCount[0];
      out[1] = tailMoment[0];
      out[2] = tailSecond[0];
      return;
    }
    if (s >= edges[n]) {
      out[0] = 0;
      out[1] = 0;
      out[2] = 0;
      return;
    }
    int j = bin(s);
    double b = edges[j + 1];
    double part = counts[j] * (b - s) / (b - edges[j]);
    out[0] = tailCount[j + 1] + part;
    out[1] = tailMoment[j + 1] + part * (s + b) / 2;
    out[2] = tailSecond[j + 1] + part * (s * s + s * b + b * b) / 3;
  }

  /** The bin j with e[j] ≤ s < e[j+1], for e[0] < s < e[n]. */
  private int bin(double s) {
    int i = Arrays.binarySearch(edges, s);
    return i >= 0 ? i : -i - 2;
  }

  /**
   * OCTAV's MSE model per value, J(s) = f·s²·P(|X| ≤ s) + E[(|X| − s)²·1{|X| > s}], with f the
   * noise factor (4^−B/3 signed, 4^−B/12 unsigned). NaN when the histogram is empty.
   */
  double theoreticalMse(double s, double factor, double[] scratch) {
    above(s, scratch);
    double clipped = scratch[2] - 2 * s * scratch[1] + s * s * scratch[0];
    return (factor * s * s * (total - scratch[0]) + Math.max(0, clipped)) / total;
  }

  /**
   * The MSE per value of actually quantizing the bin centres (weighted by their counts) on the grid
   * {0, Δ, …, L·Δ} with Δ = s/L: q = min(rint(x/Δ), L), error (q·Δ − x)². Round half even.
   */
  double empiricalMse(double s, long levels) {
    if (!(s > 0)) {
      return Double.NaN;
    }
    double step = s / levels;
    double sum = 0;
    for (int j = 0; j < counts.length; j++) {
      if (counts[j] == 0) {
        continue;
      }
      double x = (edges[j] + edges[j + 1]) / 2;
      double q = Math.min(Math.rint(x / step), levels);
      double err = q * step - x;
      sum += counts[j] * err * err;
    }
    return sum / total;
  }
}
