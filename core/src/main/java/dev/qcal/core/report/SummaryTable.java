package dev.qcal.core.report;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.ChannelCalibration;
import dev.qcal.core.table.ChannelResult;
import dev.qcal.core.table.PrimaryGap;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The summary table: a row per tensor (its values, NaN/Inf, flags, how many dB of SQNR its primary
 * method loses against the best method of the row) and per method its clip range and scale, clipped
 * fraction and SQNR, the best SQNR of the row marked. The rows come in the model's order (largest
 * gap first), and the gap column says it is sorted. Every sortable cell carries its exact value in
 * {@code data-v} so the script sorts numbers as numbers.
 *
 * <p>Only the first rows (those with a detailed section, {@link HtmlReport#DETAILED} at most) are
 * parsed with the page. The others wait as raw text in a {@code <script type="text/x-qcal-rows">}
 * block with their sort keys in the script's data ({@link #laterRows}), and the script turns a page
 * of them into table rows when the reader asks for more: a table of 100 000 rows (tens of thousands
 * of DOM nodes each thousand) is what made a 20 000-tensor report take minutes to open.
 */
final class SummaryTable {
  /** The gap column's title. */
  static final String GAP_TITLE =
      "SQNR of the best method of the row minus the primary method's (dB); over 3 dB the tensor is"
          + " flagged";

  /** About the most characters a row takes with four methods (680 on average, 860 at most). */
  private static final int ROW_CHARS = 1024;

  private SummaryTable() {}

  /**
   * The table with its first {@code sections} rows, each linking to its tensor's detailed section.
   */
  static void render(Page page, ReportModel model, List<String> methods, int sections) {
    StringBuilder out = page.text();
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
    page.parallel(
        0,
        Math.min(sections, tensors.size()),
        ROW_CHARS,
        (chunk, t) ->
            row(chunk, null, t, tensors.get(t), model.gap(tensors.get(t)), methods, true));
    out.append("</tbody></table>\n");
  }

  /**
   * Writes the rows after the first {@code sections} as HTML text for a raw-text script block
   * (every name and note is escaped, so no row holds {@code </script}; each ends with {@code
   * </tr>}), and returns their sort keys: per row, the {@code data-v} (or text) of every numeric
   * column (values, NaN / Inf, gap, then per method scale, clipped and SQNR), comma-separated,
   * empty where the row has no value. The script sorts rows it has not built yet by these.
   */
  static List<String> laterRows(Page page, ReportModel model, List<String> methods, int sections) {
    List<ReportTensor> tensors = model.tensors();
    String[] keys = new String[Math.max(0, tensors.size() - sections)];
    page.parallel(
        sections,
        tensors.size(),
        ROW_CHARS,
        (chunk, t) -> {
          StringBuilder k = new StringBuilder(128);
          row(chunk, k, t, tensors.get(t), model.gap(tensors.get(t)), methods, false);
          keys[t - sections] = k.toString();
        });
    return Arrays.asList(keys);
  }

  /**
   * A cell whose sort key is given only when the text does not read as the same number. Both are
   * {@link ReportNumbers}' text (digits, signs, {@code . e %}, "∞", "—", "★"), which {@link
   * Html#escape} leaves as it is: appended without the pass.
   */
  private static void sortable(StringBuilder out, StringBuilder keys, String key, String text) {
    key(keys, key);
    if (key.equals(text)) {
      out.append("<td>");
    } else {
      out.append("<td data-v=\"").append(key).append("\">");
    }
    out.append(text).append("</td>");
  }

  /** What a per-channel tensor's flags say (the filter box finds it too). */
  static String channelFlag(ChannelCalibration channels) {
    return "per-channel ×" + channels.count() + " (axis " + channels.axis() + ")";
  }

  /** Adds a numeric column's sort key to {@code keys} (when collected). */
  private static void key(StringBuilder keys, String key) {
    if (keys != null) {
      if (keys.length() > 0) { // the first key, the values' count, is never empty
        keys.append(',');
      }
      keys.append(key);
    }
  }

  /** Adds a count's sort key, its decimal digits, to {@code keys} (when collected). */
  private static void key(StringBuilder keys, long count) {
    if (keys != null) {
      if (keys.length() > 0) {
        keys.append(',');
      }
      keys.append(count);
    }
  }

  /** One row; its numeric sort keys go to {@code keys} when it is not null. */
  private static void row(
      StringBuilder out,
      StringBuilder keys,
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
    // Numbers are appended as ReportNumbers writes them: none holds a character to escape.
    out.append("</td><td data-v=\"").append(s.count()).append("\">");
    key(keys, s.count());
    out.append(ReportNumbers.count(s.count()));
    long inf = s.posInfCount() + s.negInfCount();
    out.append("</td><td data-v=\"").append(s.nanCount() + inf).append("\">");
    key(keys, s.nanCount() + inf);
    out.append(ReportNumbers.count(s.nanCount()))
        .append(" / ")
        .append(ReportNumbers.count(inf))
        .append("</td><td class=\"l\">");
    TensorSection.flags(out, t, gap);
    if (t.row().channels().isPresent()) {
      // Per-channel tensors say so where the filter box looks (names and flags).
      out.append(" <span class=\"fl\">");
      Html.escapeTo(out, channelFlag(t.row().channels().get()));
      out.append("</span>");
    }
    out.append("</td>");
    double g = gap.map(PrimaryGap::gapDb).orElse(Double.NaN);
    sortable(out, keys, ReportNumbers.key(g), ReportNumbers.db(g));
    for (String method : methods) {
      CalibrationResult r = t.row().results().get(method);
      if (r == null) {
        out.append("<td></td><td></td><td></td>");
        key(keys, "");
        key(keys, "");
        key(keys, "");
        continue;
      }
      MethodMetrics m = t.plot().metrics(method);
      double scale = r.params().scale();
      String scaleKey = ReportNumbers.key(scale);
      key(keys, scaleKey);
      out.append("<td data-v=\"").append(scaleKey).append("\">");
      double lo = r.range().min();
      double hi = r.range().max();
      if (lo == -hi) {
        out.append('±').append(ReportNumbers.num(hi));
      } else {
        out.append('[')
            .append(ReportNumbers.num(lo))
            .append(", ")
            .append(ReportNumbers.num(hi))
            .append(']');
      }
      out.append("<br><small>").append(ReportNumbers.num(scale));
      if (r.params().zeroPoint() != 0) {
        out.append(" zp ").append(r.params().zeroPoint());
      }
      Optional<ChannelResult> channel = t.row().channelResult(method);
      if (channel.isPresent()) {
        out.append("<br>per channel: scale ")
            .append(ReportNumbers.num(channel.get().minScale()))
            .append(" … ")
            .append(ReportNumbers.num(channel.get().maxScale()));
      }
      out.append("</small></td>");
      sortable(
          out,
          keys,
          ReportNumbers.key(m.clippedFraction()),
          ReportNumbers.percent(m.clippedFraction()));
      boolean best = TensorSection.isBest(gap, method, m);
      sortable(
          out,
          keys,
          ReportNumbers.key(m.noise().sqnrDb()),
          ReportNumbers.db(m.noise().sqnrDb()) + (best ? " \u2605" : ""));
    }
    out.append("</tr>\n");
  }
}
