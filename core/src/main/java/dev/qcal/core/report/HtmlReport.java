package dev.qcal.core.report;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.PrimaryGap;
import dev.qcal.core.table.TensorFlag;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a {@link ReportModel} as one self-contained HTML page: inline CSS, inline SVG plots and a
 * little inline script (sorting, filtering, opening sections); no network access, no external file,
 * no template engine, no fonts. The output depends only on the model (numbers formatted without
 * locale, tensors sorted by name, ids from positions, no timestamp), so the same model gives the
 * same bytes. Every string passes through one escaping helper, and the data the script reads is
 * JSON escaped for a script block.
 *
 * <p>Size: about 6 KB per tensor with four methods and their curves (measured in {@code
 * HtmlReportSizeTest}), so a thousand tensors take about 6 MB; sections start collapsed, and a
 * closed {@code <details>} is not laid out, so the page stays responsive. Models with tens of
 * thousands of tensors (mixture-of-experts) keep a row each in the summary table (about 0.7 KB),
 * but only the first {@value #DETAILED} tensors in the model's order, those whose primary method is
 * farthest from the best, get a section with plots; the page says so.
 */
public final class HtmlReport {
  /** Most tensors that get a detailed section (plots and curves); every tensor gets a row. */
  public static final int DETAILED = 1000;

  private HtmlReport() {}

  /**
   * The names of the tensors that get a detailed section: the first {@value #DETAILED} in the
   * {@link ReportModel}'s order. A job collects the search curves and plot histograms of these only
   * ({@link ReportTensor#summaryOnly} for the others); the order depends on neither.
   *
   * @throws IllegalArgumentException if two tensors share a name
   */
  public static Set<String> detailedTensors(List<ReportTensor> tensors) {
    return detailedTensors(tensors, DETAILED);
  }

  /** The names of the first {@code detailed} tensors in the report's order. */
  static Set<String> detailedTensors(List<ReportTensor> tensors, int detailed) {
    List<ReportTensor> ordered = new ReportModel(tensors, RunSummary.EMPTY).tensors();
    Set<String> names = new HashSet<>();
    for (ReportTensor t : ordered.subList(0, Math.min(detailed, ordered.size()))) {
      names.add(t.name());
    }
    return names;
  }

  /** The page. */
  public static String render(ReportModel model) {
    return render(model, DETAILED).toString();
  }

  /** The page, with detailed sections for the first {@code detailed} tensors of the model. */
  static Page render(ReportModel model, int detailed) {
    List<String> methods = model.methods();
    int total = model.tensors().size();
    int sections = Math.min(total, detailed);
    // The calling thread's text: the head, the summary table's header, the script's data.
    Page page = new Page(65536 + 128 * total);
    StringBuilder out = page.text();
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
        .append("<title>qcal calibration report</title>\n<style>\n")
        .append(Assets.CSS)
        .append(Palette.css())
        .append("</style></head>\n<body>\n<h1>qcal calibration report</h1>\n<p class=\"status\">");
    Html.escapeTo(
        out,
        model.tensors().size()
            + " tensors · methods: "
            + (methods.isEmpty() ? ReportNumbers.NONE : String.join(", ", methods)));
    out.append("</p>\n");
    PrimaryText.render(out, model);
    run(out, model);
    if (model.drift() != null) {
      DriftSection.render(out, model.drift());
    }
    out.append("<h2>Tensors</h2>\n");
    PrimaryText.measure(out);
    out.append("<div class=\"tools\"><input id=\"filter\" type=\"search\"")
        .append(" placeholder=\"Filter by name or flag\" aria-label=\"Filter tensors\">")
        .append("<button id=\"expand\" type=\"button\">Expand all</button>")
        .append("<button id=\"collapse\" type=\"button\">Collapse all</button>")
        .append("<small id=\"shown\"></small></div>\n");
    SummaryTable.render(page, model, methods, sections);
    if (sections < total) {
      out.append("<p><button id=\"more\" type=\"button\">Show 1000 more rows</button></p>\n");
    }
    out.append("<h2>Per tensor</h2>\n");
    if (sections < total) {
      out.append("<p class=\"status\" id=\"detail\">");
      Html.escapeTo(
          out,
          "Detailed sections for the first "
              + ReportNumbers.count(sections)
              + " of "
              + ReportNumbers.count(total)
              + " tensors in the summary table's order (the largest gap between the primary method"
              + " and the best method of the row first, then by name): the ones to look at. The"
              + " summary table has every tensor; a name without a link has no section.");
      out.append("</p>\n");
    }
    out.append("<p class=\"status\">Histograms: count on a log scale, one")
        .append(" line per method at its threshold. Search curves: the objective against the")
        .append(" candidate threshold; dashed: the chosen threshold.</p>\n");
    PrimaryText.objectives(out);
    page.parallel(
        0,
        sections,
        8192, // a section with four methods' curves: about 5 000 characters, at most 6 200
        (chunk, i) -> {
          ReportTensor t = model.tensors().get(i);
          TensorSection.render(chunk, i, t, model.gap(t), methods);
        });
    List<String> laterKeys = List.of();
    if (sections < total) {
      out.append("<script type=\"text/x-qcal-rows\" id=\"qcal-rows\">");
      laterKeys = SummaryTable.laterRows(page, model, methods, sections);
      out.append("</script>\n");
    }
    out.append("<script type=\"application/json\" id=\"qcal-data\">");
    data(page, model, laterKeys);
    out.append("</script>\n")
        .append("<script>\n")
        .append(Assets.JS)
        .append("</script>\n</body></html>\n");
    return page;
  }

  /**
   * Writes the page to {@code out} in UTF-8 (the stream is flushed, not closed), once it is
   * rendered: a failure while rendering writes nothing.
   */
  public static void write(ReportModel model, OutputStream out) throws IOException {
    render(model, DETAILED).writeTo(out);
    out.flush();
  }

  /**
   * What the script reads, as JSON ({@link ScriptJson}): every tensor's name and flags (what the
   * filter box searches; a per-channel tensor says so), and the sort keys of the rows not parsed
   * with the page. Each array is rendered in chunks on two threads, like the rows.
   */
  private static void data(Page page, ReportModel model, List<String> laterKeys) {
    List<ReportTensor> tensors = model.tensors();
    page.text().append("{\"names\":");
    array(
        page, tensors.size(), 64, (chunk, i) -> ScriptJson.stringTo(chunk, tensors.get(i).name()));
    page.text().append(",\"flags\":");
    array(page, tensors.size(), 32, (chunk, i) -> flags(chunk, model, tensors.get(i)));
    if (!laterKeys.isEmpty()) {
      page.text().append(",\"keys\":");
      array(
          page, laterKeys.size(), 128, (chunk, i) -> ScriptJson.stringTo(chunk, laterKeys.get(i)));
    }
    page.text().append('}');
  }

  /**
   * A JSON array of {@code count} elements of about {@code charsPerElement} characters each,
   * written by {@code element} in chunks on two threads ({@link Page#parallel(int, int, int,
   * Chunks.Part)}).
   */
  private static void array(Page page, int count, int charsPerElement, Chunks.Part element) {
    page.text().append('[');
    page.parallel(
        0,
        count,
        charsPerElement,
        (chunk, i) -> {
          if (i > 0) {
            chunk.append(',');
          }
          element.render(chunk, i);
        });
    page.text().append(']');
  }

  /** A tensor's flags for the filter box, as one string literal: the keys joined by spaces. */
  private static void flags(StringBuilder out, ReportModel model, ReportTensor t) {
    out.append('"');
    boolean first = true;
    for (TensorFlag f : t.row().flags()) {
      first = space(out, first);
      ScriptJson.charsTo(out, f.key());
    }
    if (model.gap(t).map(PrimaryGap::isFar).orElse(false)) {
      first = space(out, first);
      ScriptJson.charsTo(out, TensorSection.FAR_FLAG);
    }
    if (t.row().channels().isPresent()) {
      space(out, first);
      ScriptJson.charsTo(out, SummaryTable.channelFlag(t.row().channels().get()));
    }
    out.append('"');
  }

  /** A space before every key but the first; returns false (no longer the first). */
  private static boolean space(StringBuilder out, boolean first) {
    if (!first) {
      out.append(' ');
    }
    return false;
  }

  private static void run(StringBuilder out, ReportModel model) {
    RunSummary s = model.summary();
    List<String[]> facts = new ArrayList<>();
    for (String input : s.inputs()) {
      facts.add(new String[] {"input", input});
    }
    s.rows().ifPresent(v -> facts.add(new String[] {"rows", ReportNumbers.count(v)}));
    s.values().ifPresent(v -> facts.add(new String[] {"values", ReportNumbers.count(v)}));
    s.nanValues().ifPresent(v -> facts.add(new String[] {"NaN values", ReportNumbers.count(v)}));
    s.infValues().ifPresent(v -> facts.add(new String[] {"±Inf values", ReportNumbers.count(v)}));
    QuantSpec quant = s.quant().orElseGet(() -> firstQuant(model));
    if (quant != null) {
      facts.add(new String[] {"quantizer", quant.toString()});
    }
    Duration total = Duration.ZERO;
    for (Map.Entry<String, Duration> stage : s.stages().entrySet()) {
      facts.add(new String[] {"time: " + stage.getKey(), ReportNumbers.seconds(stage.getValue())});
      total = total.plus(stage.getValue());
    }
    if (s.stages().size() > 1) {
      facts.add(new String[] {"time: total", ReportNumbers.seconds(total)});
    }
    s.qcalVersion().ifPresent(v -> facts.add(new String[] {"qcal", v}));
    s.sparkVersion().ifPresent(v -> facts.add(new String[] {"Spark", v}));
    s.extra().forEach((k, v) -> facts.add(new String[] {k, v}));
    // One pass over the tensors for both sums (it runs once, mostly in the interpreter).
    long nan = 0;
    long inf = 0;
    long nullCount = 0;
    long nullRows = 0;
    for (ReportTensor t : model.tensors()) {
      RangeStats r = t.row().stats();
      nan += r.nanCount();
      inf += r.posInfCount() + r.negInfCount();
      nullCount += r.nullCount();
      nullRows += r.nullRows();
    }
    if (s.nanValues().isEmpty() && (nan > 0 || inf > 0)) {
      facts.add(
          new String[] {
            "NaN / ±Inf values", ReportNumbers.count(nan) + " / " + ReportNumbers.count(inf)
          });
    }
    if (nullCount + nullRows > 0) {
      facts.add(
          new String[] {
            "null elements / null rows",
            ReportNumbers.count(nullCount) + " / " + ReportNumbers.count(nullRows)
          });
    }
    out.append("<h2>Run</h2>\n");
    if (facts.isEmpty()) {
      out.append("<p class=\"none\">No run information.</p>\n");
      return;
    }
    out.append("<dl>");
    for (String[] f : facts) {
      out.append("<dt>");
      Html.escapeTo(out, f[0]);
      out.append("</dt><dd>");
      Html.escapeTo(out, f[1]);
      out.append("</dd>");
    }
    out.append("</dl>\n");
  }

  private static QuantSpec firstQuant(ReportModel model) {
    for (ReportTensor t : model.tensors()) {
      for (CalibrationResult r : t.row().results().values()) {
        return r.quant();
      }
    }
    return null;
  }
}
