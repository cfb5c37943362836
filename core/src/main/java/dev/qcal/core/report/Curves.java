package dev.qcal.core.report;

import dev.qcal.core.calib.SearchPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Thins search curves for plotting, deterministically: at most {@value #MAX_POINTS} points per
 * curve, then only the points a reader could see at the plot's resolution.
 */
final class Curves {
  /** Most points plotted per curve. */
  static final int MAX_POINTS = 400;

  private Curves() {}

  /** The points with a finite threshold and objective, in their order. */
  static List<SearchPoint> finite(List<SearchPoint> points) {
    List<SearchPoint> out = new ArrayList<>(points.size());
    for (SearchPoint p : points) {
      if (Double.isFinite(p.threshold()) && Double.isFinite(p.objective())) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * At most {@code max} (≥ 4) of the points, in their order: the first and the last, and from each
   * of {@code (max − 2) / 2} equal runs of the points between, the one with the smallest and the
   * one with the largest objective (the first of equal ones). Unlike taking every k-th point, this
   * keeps each run's extremes, so the minimum a search chose and the spikes around it stay visible.
   */
  static List<SearchPoint> downsample(List<SearchPoint> points, int max) {
    if (max < 4) {
      throw new IllegalArgumentException(
          "Cannot downsample a curve to fewer than 4 points (" + max + ")");
    }
    int n = points.size();
    if (n <= max) {
      return points;
    }
    int buckets = (max - 2) / 2;
    int inner = n - 2;
    List<SearchPoint> out = new ArrayList<>(max);
    out.add(points.get(0));
    for (int b = 0; b < buckets; b++) {
      int from = 1 + (int) ((long) inner * b / buckets);
      int to = 1 + (int) ((long) inner * (b + 1) / buckets);
      int lo = from;
      int hi = from;
      for (int i = from + 1; i < to; i++) {
        double y = points.get(i).objective();
        if (y < points.get(lo).objective()) {
          lo = i;
        }
        if (y > points.get(hi).objective()) {
          hi = i;
        }
      }
      out.add(points.get(Math.min(lo, hi)));
      if (lo != hi) {
        out.add(points.get(Math.max(lo, hi)));
      }
    }
    out.add(points.get(n - 1));
    return out;
  }

  /**
   * Which points of a polyline (in plot units) to keep so that no dropped point is farther than
   * {@code tolerance} from the kept line (Ramer–Douglas–Peucker, Douglas and Peucker 1973); the
   * first and last are always kept. Iterative, so long curves cannot overflow the stack.
   */
  static boolean[] simplify(double[] x, double[] y, double tolerance) {
    int n = x.length;
    boolean[] keep = new boolean[n];
    if (n == 0) {
      return keep;
    }
    keep[0] = true;
    keep[n - 1] = true;
    int[] stack = new int[2 * n];
    int top = 0;
    stack[top++] = 0;
    stack[top++] = n - 1;
    while (top > 0) {
      int last = stack[--top];
      int first = stack[--top];
      double dx = x[last] - x[first];
      double dy = y[last] - y[first];
      double len = Math.hypot(dx, dy);
      double worst = -1;
      int at = -1;
      for (int i = first + 1; i < last; i++) {
        double d =
            len == 0
                ? Math.hypot(x[i] - x[first], y[i] - y[first])
                : Math.abs(dy * (x[i] - x[first]) - dx * (y[i] - y[first])) / len;
        if (d > worst) {
          worst = d;
          at = i;
        }
      }
      if (at >= 0 && worst > tolerance) {
        keep[at] = true;
        stack[top++] = first;
        stack[top++] = at;
        stack[top++] = at;
        stack[top++] = last;
      }
    }
    return keep;
  }
}
