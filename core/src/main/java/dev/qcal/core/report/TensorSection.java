package dev.qcal.core.report;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.PrimaryGap;
import dev.qcal.core.table.TensorFlag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One tensor's collapsible section: its statistics, a table of every method's choice with notes,
 * the histogram with a threshold line per method, and each method's search curves.
 */
final class TensorSection {
  private TensorSection() {}

  /** The flag shown on a tensor far from the best (also what the filter box finds). */
  static final String FAR_FLAG = "far_from_best";

  static void render(
      StringBuilder out,
      int index,
      ReportTensor t,
      Optional<PrimaryGap> gap,
      List<String> methods) {
    RangeStats s = t.row().stats();
    out.append("<details class=\"t\" id=\"t")
        .append(index)
        .append("\"><summary><span class=\"nm\">");
    Html.nameTo(out, t.name());
    out.append("</span>");
    flags(out, t, gap);
    out.append(" <small>");
    Html.escapeTo(out, ReportNumbers.count(s.count()) + " values");
    if (!s.hasNoFiniteValue()) {
      Html.escapeTo(
          out, " in [" + ReportNumbers.num(s.min()) + ", " + ReportNumbers.num(s.max()) + "]");
    }
    out.append("</small></summary>\n");
    if (s.nanCount() + s.posInfCount() + s.negInfCount() > 0) {
      out.append("<p class=\"facts\">");
      Html.escapeTo(
          out,
          // Concatenation, not String.format: a Formatter per section cost more than the text.
          "finite "
              + ReportNumbers.count(s.finiteCount())
              + " · NaN "
              + ReportNumbers.count(s.nanCount())
              + " · +Inf "
              + ReportNumbers.count(s.posInfCount())
              + " · −Inf "
              + ReportNumbers.count(s.negInfCount()));
      out.append("</p>\n");
    }
    if (s.hasNulls()) {
      out.append("<p class=\"facts\">");
      Html.escapeTo(
          out,
          "null elements "
              + ReportNumbers.count(s.nullCount())
              + " · null rows "
              + ReportNumbers.count(s.nullRows())
              + " (written by the dump's writer; not values)");
      out.append("</p>\n");
    }
    PlotCurves curves = t.curves(); // thinned once: a row without a plot's curves thins its own
    methodTable(out, t, curves, gap, methods);
    out.append("<div class=\"plots\">");
    histogram(out, t, curves, methods);
    curves(out, t, curves, methods);
    out.append("</div></details>\n");
  }

  /**
   * The tensor's flags, and {@value #FAR_FLAG} with its gap when its primary method is far from the
   * best.
   */
  static void flags(StringBuilder out, ReportTensor t, Optional<PrimaryGap> gap) {
    for (TensorFlag f : t.row().flags()) {
      out.append(" <span class=\"fl\">");
      Html.escapeTo(out, f.key());
      out.append("</span>");
    }
    if (gap.isPresent() && gap.get().isFar()) {
      out.append(" <span class=\"fl far\" title=\"");
      Html.escapeTo(
          out,
          "the primary method "
              + gap.get().primary()
              + " is "
              + ReportNumbers.db(gap.get().gapDb())
              + " dB of measured SQNR below "
              + String.join(", ", gap.get().best()));
      out.append("\">");
      Html.escapeTo(out, FAR_FLAG);
      out.append("</span>");
    }
  }

  /** Whether {@code method} gets the best mark: among the row's best, with a measured SQNR. */
  static boolean isBest(Optional<PrimaryGap> gap, String method, MethodMetrics m) {
    return gap.isPresent()
        && gap.get().best().contains(method)
        && !Double.isNaN(m.noise().sqnrDb());
  }

  // Range, scale, clipped fraction and SQNR are in the summary table; this adds what is not.
  private static void methodTable(
      StringBuilder out,
      ReportTensor t,
      PlotCurves curves,
      Optional<PrimaryGap> gap,
      List<String> methods) {
    out.append("<table class=\"mt\"><tr><th>method</th>")
        .append(
            "<th title=\"what the method's own search minimised or matched, in its own"
                + " model\">objective</th>")
        .append("<th>zero point</th>")
        .append(
            "<th title=\"measured the same way for every method (see above)\">measured MSE</th>")
        .append("<th>notes</th></tr>\n");
    for (int i = 0; i < methods.size(); i++) {
      CalibrationResult r = t.row().results().get(methods.get(i));
      if (r == null) {
        continue;
      }
      MethodMetrics m = t.plot().metrics(r.method());
      boolean best = isBest(gap, r.method(), m);
      out.append("<tr><td class=\"m").append(i % Palette.SIZE).append("\">");
      Html.escapeTo(out, r.method());
      cell(
          out,
          Double.isNaN(r.objective())
              ? ReportNumbers.NONE
              : Objectives.name(curves.of(r.method()).keySet())
                  + " "
                  + ReportNumbers.num(r.objective()));
      cell(out, Integer.toString(r.params().zeroPoint()));
      cell(out, ReportNumbers.num(m.noise().mse()) + (best ? " \u2605" : ""));
      out.append("</td><td class=\"notes\">");
      Html.escapeTo(out, String.join("; ", r.notes()));
      out.append("</td></tr>\n");
    }
    out.append("</table>\n");
  }

  private static void cell(StringBuilder out, String text) {
    out.append("</td><td>");
    Html.escapeTo(out, text);
  }

  private static void histogram(
      StringBuilder out, ReportTensor t, PlotCurves curves, List<String> methods) {
    if (t.plot().histogram().isEmpty()) {
      out.append("<p class=\"none\">No histogram: the tensor has no finite value in range.</p>");
      return;
    }
    PlotHistogram h = t.plot().histogram().get();
    List<HistogramPlot.Marker> markers = new ArrayList<>();
    for (int i = 0; i < methods.size(); i++) {
      CalibrationResult r = t.row().results().get(methods.get(i));
      if (r != null) {
        String label = Objectives.label(r, curves.of(r.method()).keySet());
        markers.add(new HistogramPlot.Marker(i, label, at(h.domain(), r)));
      }
    }
    out.append("<figure>");
    HistogramPlot.render(out, t.name(), h, markers);
    out.append("<figcaption>");
    Html.escapeTo(
        out,
        (h.domain() == Domain.ABSOLUTE ? "|x|" : h.domain() == Domain.SIGNED ? "x" : "log2 x")
            + " histogram, "
            + h.binCount()
            + " bins, log count · outside the range: "
            + ReportNumbers.count(h.below())
            + " below, "
            + ReportNumbers.count(h.above())
            + " above, "
            + ReportNumbers.count(h.nan())
            + " NaN");
    out.append("</figcaption></figure>\n");
  }

  /** Where a method's line goes: both ends of its range on a signed axis, its amax otherwise. */
  private static double[] at(Domain domain, CalibrationResult r) {
    if (domain != Domain.SIGNED || r.range().min() == r.range().max()) {
      return new double[] {domain == Domain.SIGNED ? r.range().max() : r.amax()};
    }
    return new double[] {r.range().min(), r.range().max()};
  }

  private static void curves(
      StringBuilder out, ReportTensor t, PlotCurves all, List<String> methods) {
    for (int i = 0; i < methods.size(); i++) {
      CalibrationResult r = t.row().results().get(methods.get(i));
      if (r == null) {
        continue;
      }
      Map<String, PlotCurves.Curve> thinned = all.of(r.method());
      for (Map.Entry<String, List<String>> g : Objectives.groups(thinned.keySet()).entrySet()) {
        boolean several = g.getValue().size() > 1;
        List<CurvePlot.Series> series = new ArrayList<>();
        int hidden = 0;
        for (String name : g.getValue()) {
          PlotCurves.Curve c = thinned.get(name);
          // OCTAV's curves share a plot; their legend drops the group's prefix.
          series.add(
              new CurvePlot.Series(
                  several ? name.substring(g.getKey().length() + 1) : name,
                  c.thresholds(),
                  c.objectives()));
          hidden += c.hidden();
        }
        String caption =
            r.method()
                + ": "
                + g.getKey()
                + (hidden > 0 ? " (" + hidden + " non-finite points not drawn)" : "");
        out.append("<figure>");
        if (CurvePlot.drawable(series)) {
          CurvePlot.YScale scale =
              g.getKey().equals("cdf") || g.getKey().equals("coverage")
                  ? CurvePlot.YScale.LINEAR
                  : CurvePlot.YScale.AUTO;
          CurvePlot.render(
              out, series, r.range().max(), i, scale, Objectives.axisTitle(g.getKey()));
        } else {
          out.append("<p class=\"none\">No finite point to draw.</p>");
        }
        out.append("<figcaption>");
        Html.escapeTo(out, caption);
        out.append("</figcaption></figure>\n");
      }
    }
  }
}
