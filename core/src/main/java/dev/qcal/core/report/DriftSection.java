package dev.qcal.core.report;

import dev.qcal.core.drift.DriftReport;
import dev.qcal.core.drift.MethodDrift;
import dev.qcal.core.drift.TensorDrift;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The report's drift section, when the run was compared with a baseline ({@code --baseline}): the
 * baseline, the limit and whether the gate tripped, the counts {@code drift.json} has, and the
 * compared tensors by their change, largest (and unbounded) first, those over the limit marked: at
 * most {@value HtmlReport#DETAILED} of them and every one over the limit ({@code drift.json} has
 * them all). The appeared and disappeared tensors are named up to the same number.
 */
final class DriftSection {
  private DriftSection() {}

  static void render(StringBuilder out, ReportModel.Drift drift) {
    DriftReport d = drift.report();
    out.append("<h2 id=\"drift\">Drift</h2>\n<p class=\"status\">");
    String limit = d.limit().isPresent() ? ReportNumbers.num(d.limit().getAsDouble()) : null;
    Html.escapeTo(
        out,
        (d.exceedsLimit()
                ? d.exceeded().size()
                    + " of "
                    + d.tensors().size()
                    + " tensors moved more than the limit "
                    + limit
                    + " (drift.json): the gate tripped, exit 4"
                : d.tensors().size()
                    + " tensors compared"
                    + (limit != null
                        ? ", none over the limit " + limit
                        : " (no limit: reported only)"))
            + " · "
            + d.appeared().size()
            + " appeared · "
            + d.disappeared().size()
            + " disappeared");
    out.append("</p>\n<dl><dt>baseline</dt><dd>");
    Html.escapeTo(out, drift.baseline());
    out.append("</dd><dt>methods compared</dt><dd>");
    Html.escapeTo(out, d.methods().isEmpty() ? ReportNumbers.NONE : String.join(", ", d.methods()));
    out.append("</dd>");
    names(out, "appeared", d.appeared());
    names(out, "disappeared", d.disappeared());
    out.append("</dl>\n");
    if (d.tensors().isEmpty()) {
      return;
    }
    List<TensorDrift> rows = new ArrayList<>(d.tensors());
    // Largest change first, unbounded (+Infinity) before any number, unmeasured (NaN) last; ties by
    // name.
    rows.sort(
        Comparator.comparingDouble(
                (TensorDrift t) -> Double.isNaN(t.change()) ? Double.NEGATIVE_INFINITY : t.change())
            .reversed()
            .thenComparing(TensorDrift::name));
    out.append(
            "<table"
                + " class=\"mt\"><thead><tr><th>tensor</th><th>change</th><th>method</th><th>measure</th>")
        .append("<th>over the limit</th></tr></thead><tbody>\n");
    int shown = 0;
    for (TensorDrift t : rows) {
      if (shown >= HtmlReport.DETAILED && !t.exceeds()) {
        continue;
      }
      shown++;
      MethodDrift m = t.worstMethod().orElse(null);
      out.append("<tr><td class=\"nm\">");
      Html.escapeTo(out, t.name());
      out.append("</td><td>");
      Html.escapeTo(out, ReportNumbers.num(t.change()));
      out.append("</td><td class=\"l\">");
      Html.escapeTo(out, m == null ? ReportNumbers.NONE : m.method());
      out.append("</td><td class=\"l\">");
      Html.escapeTo(out, m == null ? ReportNumbers.NONE : m.measure().key());
      out.append("</td><td class=\"l\">")
          .append(t.exceeds() ? "<span class=\"fl\">exceeds</span>" : "")
          .append("</td></tr>\n");
    }
    out.append("</tbody></table>\n");
    if (shown < rows.size()) {
      out.append("<p class=\"status\">");
      Html.escapeTo(
          out,
          (rows.size() - shown)
              + " more tensors moved less (within the limit); drift.json lists every tensor.");
      out.append("</p>\n");
    }
  }

  private static void names(StringBuilder out, String what, List<String> names) {
    if (names.isEmpty()) {
      return;
    }
    out.append("<dt>").append(what).append("</dt><dd>");
    int named = Math.min(names.size(), HtmlReport.DETAILED);
    for (int i = 0; i < named; i++) {
      out.append(i == 0 ? "" : ", ").append("<span class=\"nm\">");
      Html.escapeTo(out, names.get(i));
      out.append("</span>");
    }
    if (named < names.size()) {
      Html.escapeTo(out, " and " + (names.size() - named) + " more (drift.json)");
    }
    out.append("</dd>");
  }
}
