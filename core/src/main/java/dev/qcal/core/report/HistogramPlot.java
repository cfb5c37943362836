package dev.qcal.core.report;

import dev.qcal.core.histogram.Domain;
import java.util.List;

/**
 * A tensor's histogram as an SVG: counts on a log scale ({@code log10(1 + count)}, so a single
 * value still shows and an empty bin sits on the axis), value on a linear axis (a log2 axis for a
 * {@link Domain#LOG2} histogram), and one labelled vertical line per method at its threshold.
 */
final class HistogramPlot {
  static final double WIDTH = 760;
  static final double PLOT_HEIGHT = 150;
  static final double LABEL_ROW = 13;
  // Up to this many bins are drawn as steps; more as a polygon through the bin centres, which
  // thins well on smooth stretches and keeps a thousand tensors within a few MB.
  static final int MAX_STEP_BINS = 64;

  /** A method's threshold line: its colour index, label and the x values (value space) to mark. */
  record Marker(int colour, String label, double[] at) {}

  private HistogramPlot() {}

  static void render(StringBuilder out, String name, PlotHistogram h, List<Marker> markers) {
    int n = h.binCount();
    double[] x = new double[n + 1];
    for (int j = 0; j <= n; j++) {
      x[j] = axis(h.domain(), h.edge(j));
    }
    double yMax = Math.log10(1.0 + h.maxCount());
    double top = 8 + LABEL_ROW * markers.size();
    Plot plot = new Plot(WIDTH, top + PLOT_HEIGHT + Plot.BOTTOM, top, x[0], x[n], 0, yMax);
    plot.open(out, "h", "histogram of " + name);

    double[] xTicks;
    List<String> xLabels;
    if (h.domain() == Domain.LOG2) {
      xTicks = Plot.decadeTicks(x[0], x[n]);
      xLabels = new java.util.ArrayList<>();
      for (double t : xTicks) {
        xLabels.add(ReportNumbers.num(Math.pow(2, t), 3));
      }
    } else {
      xTicks = Plot.linearTicks(x[0], x[n], 6);
      xLabels = Plot.labels(xTicks);
    }
    double[] exponents = Plot.decadeTicks(0, Math.log10(Math.max(1, h.maxCount())));
    double[] yTicks = new double[exponents.length];
    for (int k = 0; k < exponents.length; k++) {
      yTicks[k] = Math.log10(1 + Math.pow(10, exponents[k]));
    }
    plot.axes(
        out,
        xTicks,
        xLabels,
        yTicks,
        Plot.powerLabels(exponents),
        xTitle(h.domain()),
        "count (log scale)");

    out.append("<path class=\"bar\" d=\"");
    if (n <= MAX_STEP_BINS) {
      steps(out, plot, h, x);
    } else {
      polygon(out, plot, h, x);
    }
    out.append("\"/>");

    for (int i = 0; i < markers.size(); i++) {
      marker(out, plot, h.domain(), markers.get(i), top - LABEL_ROW * (markers.size() - 1 - i) - 4);
    }
    out.append("</svg>");
  }

  /** What the x axis shows: |x|, x, or x on a log2 axis. */
  static String xTitle(Domain domain) {
    switch (domain) {
      case ABSOLUTE:
        return "|x|";
      case SIGNED:
        return "x";
      default:
        return "x (log2 axis, positive values)";
    }
  }

  private static double axis(Domain domain, double value) {
    return domain == Domain.LOG2 ? Math.log(value) / Math.log(2) : value;
  }

  private static double position(Plot plot, Domain domain, double value) {
    // A threshold at or below 0 has no place on a log2 axis: pin it to the left end.
    return domain == Domain.LOG2 && !(value > 0) ? plot.left() : plot.px(axis(domain, value));
  }

  private static double height(PlotHistogram h, int j) {
    return Math.log10(1.0 + h.count(j));
  }

  private static void steps(StringBuilder out, Plot plot, PlotHistogram h, double[] x) {
    out.append('M');
    ReportNumbers.coord(out, plot.px(x[0]));
    out.append(' ');
    ReportNumbers.coord(out, plot.bottom());
    for (int j = 0; j < h.binCount(); j++) {
      out.append('V');
      ReportNumbers.coord(out, plot.py(height(h, j)));
      out.append('H');
      ReportNumbers.coord(out, plot.px(x[j + 1]));
    }
    out.append('V');
    ReportNumbers.coord(out, plot.bottom());
    out.append('Z');
  }

  private static void polygon(StringBuilder out, Plot plot, PlotHistogram h, double[] x) {
    int n = h.binCount();
    double[] px = new double[n + 2];
    double[] py = new double[n + 2];
    px[0] = plot.px(x[0]);
    py[0] = plot.py(height(h, 0));
    for (int j = 0; j < n; j++) {
      px[j + 1] = plot.px(0.5 * (x[j] + x[j + 1]));
      py[j + 1] = plot.py(height(h, j));
    }
    px[n + 1] = plot.px(x[n]);
    py[n + 1] = plot.py(height(h, n - 1));
    Plot.polyline(out, px, py, 1);
    out.append('V');
    ReportNumbers.coord(out, plot.bottom());
    out.append('H');
    ReportNumbers.coord(out, px[0]);
    out.append('Z');
  }

  private static void marker(StringBuilder out, Plot plot, Domain domain, Marker m, double labelY) {
    out.append("<g class=\"thr m").append(m.colour() % Palette.SIZE).append("\"><path d=\"");
    double last = plot.left();
    for (double v : m.at()) {
      last = position(plot, domain, v);
      out.append('M');
      ReportNumbers.coord(out, last);
      out.append(' ');
      ReportNumbers.coord(out, labelY + 3);
      out.append('V');
      ReportNumbers.coord(out, plot.bottom());
    }
    out.append("\"/>");
    boolean flip = last > plot.left() + 0.7 * (plot.right() - plot.left());
    out.append("<text x=\"");
    ReportNumbers.coord(out, flip ? last - 3 : last + 3);
    out.append("\" y=\"");
    ReportNumbers.coord(out, labelY);
    out.append(flip ? "\" text-anchor=\"end\">" : "\">");
    Html.escapeTo(out, m.label());
    out.append("</text></g>");
  }
}
