package dev.qcal.core.report;

import java.util.List;

/**
 * One method's search curves of one kind as an SVG: objective against candidate threshold, one line
 * per curve (OCTAV's theoretical and empirical MSE share a plot), a dashed line at the chosen
 * threshold. With {@link YScale#AUTO} the y axis is logarithmic when every objective is positive
 * and the largest is 20 times the smallest or more (KL and MSE curves often span decades), linear
 * otherwise; fractions (a CDF, a coverage) ask for {@link YScale#LINEAR}.
 */
final class CurvePlot {
  static final double WIDTH = 372;
  static final double HEIGHT = 196;
  static final double TOP = 10;

  /** How the objective axis is scaled. */
  enum YScale {
    /** Always linear. */
    LINEAR,
    /** Logarithmic for positive objectives spanning a factor of 20 or more, else linear. */
    AUTO
  }

  /**
   * A named curve, already thinned to at most {@link Curves#MAX_POINTS} finite points: the curve's
   * own arrays, read in place (a point object each cost more than drawing it).
   */
  record Series(String name, double[] thresholds, double[] objectives) {}

  private CurvePlot() {}

  /** True when the curves have at least one finite point to draw. */
  static boolean drawable(List<Series> series) {
    for (Series s : series) {
      if (s.thresholds().length > 0) {
        return true;
      }
    }
    return false;
  }

  /** The x axis title of every search curve: the candidate threshold (amax, or the range's top). */
  static final String X_TITLE = "threshold";

  static void render(
      StringBuilder out,
      List<Series> series,
      double chosen,
      int colour,
      YScale scale,
      String yTitle) {
    // The loops over the points live in small methods of their own: with them inline, C2
    // compiled this whole method on the stack (OSR) with all it inlines, 0.5 s of compilation at
    // the end of a 20 000-tensor run's report (JFR jdk.Compilation).
    double xLo = Double.POSITIVE_INFINITY;
    double xHi = Double.NEGATIVE_INFINITY;
    double yLo = Double.POSITIVE_INFINITY;
    double yHi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      xLo = min(xLo, s.thresholds());
      xHi = max(xHi, s.thresholds());
      yLo = min(yLo, s.objectives());
      yHi = max(yHi, s.objectives());
    }
    boolean log = scale == YScale.AUTO && yLo > 0 && yHi / yLo >= 20;
    double[] yTicks;
    List<String> yLabels;
    if (log) {
      yLo = Math.log10(yLo);
      yHi = Math.log10(yHi);
      yTicks = Plot.decadeTicks(yLo, yHi);
      yLabels = Plot.powerLabels(yTicks);
    } else {
      if (yHi == yLo) {
        yLo -= yLo == 0 ? 1 : Math.abs(yLo) * 0.5;
        yHi += yHi == 0 ? 1 : Math.abs(yHi) * 0.5;
      }
      yTicks = Plot.linearTicks(yLo, yHi, 4);
      yLabels = Plot.labels(yTicks);
    }
    Plot plot = new Plot(WIDTH, HEIGHT, TOP, xLo, xHi, yLo, yHi);
    plot.open(out, "c m" + colour % Palette.SIZE);
    double[] xTicks = Plot.linearTicks(xLo, xHi, 4);
    plot.axes(
        out,
        xTicks,
        Plot.labels(xTicks),
        yTicks,
        yLabels,
        X_TITLE,
        yTitle + (log ? " (log scale)" : ""));
    if (Double.isFinite(chosen)) {
      double u = plot.px(chosen);
      out.append("<path class=\"ch\" d=\"M");
      ReportNumbers.coord(out, u);
      out.append(' ');
      ReportNumbers.coord(out, TOP);
      out.append('V');
      ReportNumbers.coord(out, plot.bottom());
      out.append("\"/>");
    }
    for (int k = 0; k < series.size(); k++) {
      double[] xs = series.get(k).thresholds();
      double[] ys = series.get(k).objectives();
      if (xs.length == 0) {
        continue;
      }
      double[] px = plot.pxs(xs);
      double[] py = plot.pys(ys, log);
      out.append("<path class=\"ln s").append(k % 3).append("\" d=\"");
      if (px.length == 1) {
        // A lone point: a dot, so a one-candidate search still shows.
        out.append('M');
        ReportNumbers.coord(out, px[0]);
        out.append(' ');
        ReportNumbers.coord(out, py[0]);
        out.append("h0.1");
      } else {
        Plot.polyline(out, px, py);
      }
      out.append("\"/>");
    }
    if (series.size() > 1) {
      legend(out, plot, series);
    }
    out.append("</svg>");
  }

  /** The least of {@code from} and {@code values}. */
  private static double min(double from, double[] values) {
    double m = from;
    for (double v : values) {
      m = Math.min(m, v);
    }
    return m;
  }

  /** The greatest of {@code from} and {@code values}. */
  private static double max(double from, double[] values) {
    double m = from;
    for (double v : values) {
      m = Math.max(m, v);
    }
    return m;
  }

  private static void legend(StringBuilder out, Plot plot, List<Series> series) {
    for (int k = 0; k < series.size(); k++) {
      double y = TOP + 12 + 13 * k;
      double x = plot.right() - 120;
      out.append("<path class=\"ln s").append(k % 3).append("\" d=\"M");
      ReportNumbers.coord(out, x);
      out.append(' ');
      ReportNumbers.coord(out, y - 4);
      out.append("h18\"/>");
      out.append("<g class=\"lg\">");
      Plot.text(out, x + 22, y, series.get(k).name());
      out.append("</g>");
    }
  }
}
