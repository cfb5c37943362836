package dev.qcal.core.report;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.ChannelResult;
import dev.qcal.core.table.PrimaryGap;
import java.util.List;
import java.util.Optional;

/**
 * The summary table: a row per tensor (its values, NaN/Inf, flags, how many dB of SQNR its primary
 * method loses against the best method of the row) and per method its clip range and scale, clipped
 * fraction and SQNR, the best SQNR of the row marked. The rows come in the model's order (largest
 * gap first), and the gap column says it is sorted. Every sortable cell carries its exact value in
 * {@code data-v} so the script sorts numbers as numbers.
 */
final class SummaryTable {
  /** The gap column's title. */
  static final String GAP_TITLE =
      "SQNR of the best method of the row minus the primary method's (dB); over 3 dB the tensor is"
          + " flagged";

  private SummaryTable() {}

  /** The table; the first {@code sections} rows link to their tensor's detailed section. */
  static void render(StringBuilder out, ReportModel model, List<String> methods, int sections) {
    List<ReportTensor> tensors = model.tensors();
    out.append("<table id=\"sum\"><thead><tr>")
        .append("<th rowspan=\"2\" data-c=\"0\">tensor</th>")
        .append("<th rowspan=\"2\" data-c=\"1\" data-n>values</th>")
        .append("<th rowspan=\"2\" data-c=\"2\" data-n>NaN / Inf</th>")
        .append("<th rowspan=\"2\" data-c=\"3\">flags</th>")
        .append("<th rowspan=\"2\" data-c=\"4\" data-n aria-sort=\"descending\" title=\"")
        .append(GAP_TITLE)
        .append("\">gap dB</th>");
    for (int i = 0; i < methods.size(); i++) {
      out.append("<th colspan=\"3\" class=\"m").append(i % Palette.SIZE).append("\">");
      Html.escapeTo(out, methods.get(i));
      out.append("</th>");
    }
    out.append("</tr><tr>");
    for (int i = 0; i < methods.size(); i++) {
      int c = 5 + 3 * i;
      out.append("<th data-c=\"")
          .append(c)
          .append("\" data-n title=\"clip range; sorted by scale\">range · scale</th>")
          .append("<th data-c=\"")
          .append(c + 1)
          .append("\" data-n title=\"share of values outside the clip range\">clipped</th>")
          .append("<th data-c=\"")
          .append(c + 2)
          .append(
              "\" data-n title=\"signal-to-quantization-noise ratio measured on the histogram"
                  + " (\u2605: the best of the row)\">SQNR dB</th>");
    }
    out.append("</tr></thead><tbody>\n");
    for (int t = 0; t < tensors.size(); t++) {
      row(out, t, tensors.get(t), model.gap(tensors.get(t)), methods, t < sections);
    }
    out.append("</tbody></table>\n");
  }

  /** A cell whose sort key is given only when the text does not read as the same number. */
  private static void sortable(StringBuilder out, String key, String text) {
    if (key.equals(text)) {
      out.append("<td>");
    } else {
      out.append("<td data-v=\"");
      Html.escapeTo(out, key);
      out.append("\">");
    }
    Html.escapeTo(out, text);
    out.append("</td>");
  }

  private static void row(
      StringBuilder out,
      int index,
      ReportTensor t,
      Optional<PrimaryGap> gap,
      List<String> methods,
      boolean linked) {
    RangeStats s = t.row().stats();
    out.append("<tr data-i=\"").append(index).append("\"><td>");
    if (linked) {
      out.append("<a class=\"nm\" href=\"#t").append(index).append("\">");
      Html.nameTo(out, t.name());
      out.append("</a>");
    } else {
      out.append("<span class=\"nm\">");
      Html.nameTo(out, t.name());
      out.append("</span>");
    }
    out.append("</td><td data-v=\"").append(s.count()).append("\">");
    Html.escapeTo(out, ReportNumbers.count(s.count()));
    long inf = s.posInfCount() + s.negInfCount();
    out.append("</td><td data-v=\"").append(s.nanCount() + inf).append("\">");
    Html.escapeTo(out, ReportNumbers.count(s.nanCount()) + " / " + ReportNumbers.count(inf));
    out.append("</td><td class=\"l\">");
    TensorSection.flags(out, t, gap);
    if (t.row().channels().isPresent()) {
      // Per-channel tensors say so where the filter box looks (names and flags).
      out.append(" <span class=\"fl\">");
      Html.escapeTo(
          out,
          "per-channel ×"
              + t.row().channels().get().count()
              + " (axis "
              + t.row().channels().get().axis()
              + ")");
      out.append("</span>");
    }
    out.append("</td>");
    double g = gap.map(PrimaryGap::gapDb).orElse(Double.NaN);
    sortable(out, ReportNumbers.key(g), ReportNumbers.db(g));
    for (String method : methods) {
      CalibrationResult r = t.row().results().get(method);
      if (r == null) {
        out.append("<td></td><td></td><td></td>");
        continue;
      }
      MethodMetrics m = t.plot().metrics(method);
      out.append("<td data-v=\"");
      Html.escapeTo(out, ReportNumbers.key(r.params().scale()));
      out.append("\">");
      double lo = r.range().min();
      double hi = r.range().max();
      Html.escapeTo(
          out,
          lo == -hi
              ? "±" + ReportNumbers.num(hi)
              : "[" + ReportNumbers.num(lo) + ", " + ReportNumbers.num(hi) + "]");
      out.append("<br><small>");
      Html.escapeTo(
          out,
          ReportNumbers.num(r.params().scale())
              + (r.params().zeroPoint() != 0 ? " zp " + r.params().zeroPoint() : ""));
      if (t.row().channelResult(method).isPresent()) {
        ChannelResult c = t.row().channelResult(method).get();
        out.append("<br>");
        Html.escapeTo(
            out,
            "per channel: scale "
                + ReportNumbers.num(c.minScale())
                + " … "
                + ReportNumbers.num(c.maxScale()));
      }
      out.append("</small></td>");
      sortable(
          out, ReportNumbers.key(m.clippedFraction()), ReportNumbers.percent(m.clippedFraction()));
      boolean best = TensorSection.isBest(gap, method, m);
      sortable(
          out,
          ReportNumbers.key(m.noise().sqnrDb()),
          ReportNumbers.db(m.noise().sqnrDb()) + (best ? " \u2605" : ""));
    }
    out.append("</tr>\n");
  }
}
