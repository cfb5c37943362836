package dev.qcal.core.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The frame of one SVG plot: its size, the data ranges mapped onto it, and the axes with their tick
 * labels. Plots append to a shared {@link StringBuilder}; coordinates are written to a tenth of a
 * unit ({@link ReportNumbers#coord}) so the same data always gives the same bytes.
 */
final class Plot {
  static final double LEFT = 54;
  static final double RIGHT = 14;
  static final double BOTTOM = 44;

  final double width;
  final double height;
  final double top;
  private final double x0;
  private final double x1;
  private final double y0;
  private final double y1;

  /** A frame of the given size whose data x range is [x0, x1] and y range [y0, y1]. */
  Plot(double width, double height, double top, double x0, double x1, double y0, double y1) {
    this.width = width;
    this.height = height;
    this.top = top;
    this.x0 = x0;
    this.x1 = x1 > x0 ? x1 : x0 + 1;
    this.y0 = y0;
    this.y1 = y1 > y0 ? y1 : y0 + 1;
  }

  double left() {
    return LEFT;
  }

  double right() {
    return width - RIGHT;
  }

  double bottom() {
    return height - BOTTOM;
  }

  /** Plot units of data x, clamped to the frame. */
  double px(double x) {
    double u = LEFT + (x - x0) / (x1 - x0) * (right() - LEFT);
    return Math.max(LEFT, Math.min(right(), u));
  }

  /** Plot units of data y, clamped to the frame. */
  double py(double y) {
    double u = bottom() - (y - y0) / (y1 - y0) * (bottom() - top);
    return Math.max(top, Math.min(bottom(), u));
  }

  /** {@link #px} of each of {@code xs}. */
  double[] pxs(double[] xs) {
    double[] u = new double[xs.length];
    for (int i = 0; i < u.length; i++) {
      u[i] = px(xs[i]);
    }
    return u;
  }

  /** {@link #py} of each of {@code ys}, or of its base-10 logarithm ({@code log}). */
  double[] pys(double[] ys, boolean log) {
    double[] u = new double[ys.length];
    for (int i = 0; i < u.length; i++) {
      u[i] = py(log ? Math.log10(ys[i]) : ys[i]);
    }
    return u;
  }

  /** Opens an {@code <svg>} element that its figure's caption describes. */
  void open(StringBuilder out, String cssClass) {
    out.append("<svg class=\"").append(cssClass).append("\" viewBox=\"0 0 ");
    ReportNumbers.coord(out, width);
    out.append(' ');
    ReportNumbers.coord(out, height);
    out.append("\">");
  }

  /** Opens the {@code <svg>} element, labelled for screen readers. */
  void open(StringBuilder out, String cssClass, String label) {
    out.append("<svg class=\"").append(cssClass).append("\" viewBox=\"0 0 ");
    ReportNumbers.coord(out, width);
    out.append(' ');
    ReportNumbers.coord(out, height);
    out.append("\" role=\"img\" aria-label=\"");
    Html.escapeTo(out, label);
    out.append("\">");
  }

  /**
   * Axes, grid lines at the y ticks, tick labels and the axis titles; {@code xTicks}/{@code yTicks}
   * are data values, {@code xLabels}/{@code yLabels} their texts, {@code xTitle} is centred under
   * the x tick labels and {@code yTitle} runs up the left edge.
   */
  void axes(
      StringBuilder out,
      double[] xTicks,
      List<String> xLabels,
      double[] yTicks,
      List<String> yLabels,
      String xTitle,
      String yTitle) {
    out.append("<path class=\"gr\" d=\"");
    for (double y : yTicks) {
      out.append('M');
      ReportNumbers.coord(out, LEFT);
      out.append(' ');
      ReportNumbers.coord(out, py(y));
      out.append('H');
      ReportNumbers.coord(out, right());
    }
    out.append("\"/><path class=\"ax\" d=\"M");
    ReportNumbers.coord(out, LEFT);
    out.append(' ');
    ReportNumbers.coord(out, top);
    out.append('V');
    ReportNumbers.coord(out, bottom());
    out.append('H');
    ReportNumbers.coord(out, right());
    for (double x : xTicks) {
      out.append('M');
      ReportNumbers.coord(out, px(x));
      out.append(' ');
      ReportNumbers.coord(out, bottom());
      out.append("v4");
    }
    out.append("\"/>");
    out.append("<g class=\"tx\">");
    for (int i = 0; i < xTicks.length; i++) {
      text(out, px(xTicks[i]), bottom() + 15, xLabels.get(i));
    }
    out.append("</g><g class=\"ty\">");
    for (int i = 0; i < yTicks.length; i++) {
      text(out, LEFT - 4, py(yTicks[i]) + 4, yLabels.get(i));
    }
    // Axis titles: x (class xt) centred under the tick labels; y (class ay) turned a quarter by
    // the style sheet, about the origin (hence the negated x), centred on the plot's height.
    out.append("</g><text class=\"xt\" x=\"");
    ReportNumbers.coord(out, 0.5 * (LEFT + right()));
    out.append("\" y=\"");
    ReportNumbers.coord(out, bottom() + 31);
    out.append("\">");
    Html.escapeTo(out, xTitle);
    out.append("</text><text class=\"ay\" x=\"");
    ReportNumbers.coord(out, -0.5 * (top + bottom()));
    out.append("\" y=\"11\">");
    Html.escapeTo(out, yTitle);
    out.append("</text>");
  }

  /** A {@code <text>} at (x, y), styled by its group. */
  static void text(StringBuilder out, double x, double y, String s) {
    out.append("<text x=\"");
    ReportNumbers.coord(out, x);
    out.append("\" y=\"");
    ReportNumbers.coord(out, y);
    out.append("\">");
    Html.escapeTo(out, s);
    out.append("</text>");
  }

  /**
   * Appends a path through the points, thinned to what shows at half a unit ({@link
   * Curves#simplify}), as one absolute move and then relative lines between the rounded points
   * (exact in tenths, so no rounding drift), about a third shorter than absolute coordinates.
   */
  static void polyline(StringBuilder out, double[] x, double[] y) {
    polyline(out, x, y, 10);
  }

  /**
   * The same at {@code perUnit} steps per unit: 10 for smooth curves, 1 (whole units) for a dense
   * histogram outline, where half a unit of height cannot be seen and the path halves.
   */
  static void polyline(StringBuilder out, double[] x, double[] y, int perUnit) {
    boolean[] keep = Curves.simplify(x, y, 0.5);
    long lastX = 0;
    long lastY = 0;
    boolean first = true;
    for (int i = 0; i < x.length; i++) {
      if (!keep[i]) {
        continue;
      }
      long tx = (long) Math.rint(x[i] * perUnit);
      long ty = (long) Math.rint(y[i] * perUnit);
      if (first) {
        out.append('M');
        steps(out, tx, perUnit);
        out.append(' ');
        steps(out, ty, perUnit);
        out.append('l');
        first = false;
      } else {
        if (out.charAt(out.length() - 1) != 'l') {
          out.append(' ');
        }
        steps(out, tx - lastX, perUnit);
        if (ty - lastY >= 0) {
          out.append(' ');
        }
        steps(out, ty - lastY, perUnit);
      }
      lastX = tx;
      lastY = ty;
    }
    if (!first && out.charAt(out.length() - 1) == 'l') {
      out.setLength(out.length() - 1);
    }
  }

  /** Appends {@code n} steps of 1/perUnit as a decimal ({@code -12} tenths → {@code -1.2}). */
  private static void steps(StringBuilder out, long n, int perUnit) {
    if (perUnit == 1) {
      out.append(n);
    } else {
      ReportNumbers.coord(out, (double) n / perUnit);
    }
  }

  /** About {@code target} round values (1, 2 or 5 times a power of ten) covering [lo, hi]. */
  static double[] linearTicks(double lo, double hi, int target) {
    if (!(hi > lo)) {
      return new double[] {lo};
    }
    double raw = (hi - lo) / target;
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double r = raw / magnitude;
    double step = (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * magnitude;
    double first = Math.ceil(lo / step - 1e-9);
    List<Double> ticks = new ArrayList<>();
    for (int k = 0; first + k <= hi / step + 1e-9; k++) {
      // Multiply, not accumulate, so 0.1 + 0.1 + 0.1 never drifts into a label.
      ticks.add((first + k) * step);
    }
    return ticks.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * Whole exponents between lo and hi, at most about six: every one, or every k-th, at multiples of
   * k (so 0, the exponent of 1, is among them when it is in range).
   */
  static double[] decadeTicks(double lo, double hi) {
    double first = Math.ceil(lo - 1e-9);
    double last = Math.floor(hi + 1e-9);
    if (last < first) {
      return new double[] {lo};
    }
    int stride = (int) Math.max(1, Math.ceil((last - first + 1) / 6));
    double start = Math.ceil(first / stride) * stride;
    int n = (int) Math.floor((last - start) / stride) + 1;
    double[] ticks = new double[n];
    for (int k = 0; k < n; k++) {
      ticks[k] = start + (double) k * stride;
    }
    return ticks;
  }

  /** Labels of linear ticks, 3 significant digits. */
  static List<String> labels(double[] ticks) {
    List<String> out = new ArrayList<>(ticks.length);
    for (double t : ticks) {
      out.add(ReportNumbers.num(Math.abs(t) < 1e-12 ? 0 : t, 3));
    }
    return out;
  }

  /** Labels of decade exponents: 1, 10, 100, 1000, then 1e4, ... and 0.01, then 1e-3, .... */
  static List<String> powerLabels(double[] exponents) {
    List<String> out = new ArrayList<>(exponents.length);
    for (double e : exponents) {
      int k = (int) e;
      out.add(
          (k >= 0 && k < 4) || (k < 0 && k > -3) ? ReportNumbers.num(Math.pow(10, k)) : "1e" + k);
    }
    return out;
  }
}
