package dev.qcal.core.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.SearchPoint;
import dev.qcal.core.calib.TensorCalibrator;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.TensorCalibration;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
  private static final String SCRIPT_NAME = "<script>alert(1)</script>";
  private static final String JSON_OPEN = "<script type=\"application/json\" id=\"qcal-data\">";

  private static ReportModel named(String... names) {
    Random random = new Random(ReportFixtures.SEED);
    TensorCalibrator calibrator = new TensorCalibrator(List.of("max", "mse"), ReportFixtures.INT8);
    List<ReportTensor> tensors = new ArrayList<>();
    for (String name : names) {
      tensors.add(
          ReportFixtures.tensor(name, ReportFixtures.gaussian(random, 2000, 1), calibrator));
    }
    return new ReportModel(tensors, RunSummary.EMPTY);
  }

  private static String json(String html) {
    int from = html.indexOf(JSON_OPEN) + JSON_OPEN.length();
    return html.substring(from, html.indexOf("</script>", from));
  }

  /**
   * Past the detail limit every tensor keeps its summary row, only the first ones in the model's
   * order (the worst gap first) get a section and a link to it, and the page says which.
   */
  @Test
  void onlyTheWorstTensorsGetDetailedSections() {
    ReportModel model = ReportFixtures.sample();
    String html = HtmlReport.render(model, 2).toString();
    assertEquals(4, count(html, "<tr data-i="), "a summary row per tensor");
    assertEquals(2, count(html, "<details class=\"t\""), "sections");
    assertEquals(2, count(html, "<a class=\"nm\" href=\"#t\\d\">"), "links to sections");
    for (int i = 0; i < 4; i++) {
      String name = Html.escape(model.tensors().get(i).name());
      assertEquals(i < 2, html.contains("<details class=\"t\" id=\"t" + i + "\""), name);
    }
    assertTrue(
        html.contains("Detailed sections for the first 2 of 4 tensors in the summary table"),
        "the page says which tensors got a section");
    String all = HtmlReport.render(model);
    assertEquals(4, count(all, "<details class=\"t\""));
    assertFalse(all.contains("id=\"detail\""), "no note when every tensor has its section");
  }

  /**
   * A job collects curves and plot histograms only for the tensors the page details: the page of
   * the thinned tensors is the page of the full ones, byte for byte.
   */
  @Test
  void tensorsWithoutASectionNeedNeitherCurvesNorPlotHistogram() {
    ReportModel model = ReportFixtures.sample();
    Set<String> detailed = HtmlReport.detailedTensors(model.tensors(), 2);
    assertEquals(
        Set.of(model.tensors().get(0).name(), model.tensors().get(1).name()),
        detailed,
        "the first two in the page's order");
    List<ReportTensor> thinned = new ArrayList<>();
    for (ReportTensor t : model.tensors()) {
      ReportTensor summary = t.summaryOnly();
      assertTrue(summary.row().results().values().stream().allMatch(r -> r.curves().isEmpty()));
      assertTrue(summary.plot().histogram().isEmpty());
      thinned.add(detailed.contains(t.name()) ? t : summary);
    }
    assertTrue(
        model.tensors().stream()
            .anyMatch(
                t -> t.row().results().values().stream().anyMatch(r -> !r.curves().isEmpty())),
        "the fixture has curves to drop");
    Collections.reverse(thinned);
    assertEquals(
        HtmlReport.render(model, 2).toString(),
        HtmlReport.render(new ReportModel(thinned, model.summary()), 2).toString());
  }

  /** The chunked write gives the rendered page's UTF-8 bytes, surrogate pairs across chunks too. */
  @Test
  void writeGivesTheRenderedBytesWhateverTheChunkBoundaries() throws Exception {
    ReportTensor base = ReportFixtures.sample().tensors().get(0);
    List<ReportTensor> tensors = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      String name = "\uD83D\uDE00".repeat(40) + i; // 😀: a surrogate pair every two chars
      tensors.add(
          new ReportTensor(
              new TensorCalibration(name, base.row().stats(), base.row().results()), base.plot()));
    }
    ReportModel model = new ReportModel(tensors, RunSummary.EMPTY);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HtmlReport.write(model, out);
    assertArrayEquals(HtmlReport.render(model).getBytes(StandardCharsets.UTF_8), out.toByteArray());
  }

  @Test
  void nullsAreShownApartFromNanWithTheirFlag() {
    ReportModel model = named("plain", "with nulls");
    List<ReportTensor> tensors = new ArrayList<>();
    for (ReportTensor t : model.tensors()) {
      TensorCalibration row = t.row();
      tensors.add(
          t.name().equals("with nulls")
              ? new ReportTensor(
                  new TensorCalibration(row.name(), row.stats().withNulls(7, 2), row.results()),
                  t.plot())
              : t);
    }
    String html = HtmlReport.render(new ReportModel(tensors, RunSummary.EMPTY));
    assertEquals(1, count(html, "null elements 7 · null rows 2"), "the tensor's facts");
    assertTrue(
        html.contains("<dt>null elements / null rows</dt><dd>7 / 2</dd>"), "the run's facts");
    assertEquals(2, count(html, "<span class=\"fl\">has_null</span>"), "summary row and section");
    assertFalse(HtmlReport.render(model).contains("null elements"));
  }

  @Test
  void scriptNameIsShownAsText() {
    String html = HtmlReport.render(named(SCRIPT_NAME));
    assertFalse(html.contains("<script>alert"), "raw script tag in the page");
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // Only the page's own two script elements exist.
    assertEquals(2, count(html, "<script"));
  }

  @Test
  void quotesCannotLeaveAnAttribute() {
    String html = HtmlReport.render(named("a\"b'c onload=x"));
    assertTrue(html.contains("aria-label=\"histogram of a&quot;b&#39;c onload=x\""), html);
    // Outside the JSON block (where \" is JSON's own escape and ' needs none) no quote survives.
    String markup = html.replace(json(html), "");
    assertFalse(markup.contains("a\"b"));
    assertFalse(markup.contains("b'c"));
  }

  @Test
  void jsonDataCannotCloseItsScriptBlock() throws Exception {
    String hostile = "</script><!--<script>&\u2028\u2029x";
    ReportModel model = named(hostile, "plain");
    String html = HtmlReport.render(model);
    String json = json(html);
    assertFalse(json.contains("<"), json);
    assertFalse(json.contains(">"), json);
    assertFalse(json.contains("&"), json);
    assertFalse(json.contains("\u2028") || json.contains("\u2029"), json);
    assertTrue(
        json.contains("\\u003c/script\\u003e\\u003c!--\\u003cscript\\u003e\\u0026\\u2028\\u2029x"),
        json);
    // JSON.parse (here Jackson) reads back the names exactly, in the order of the rows.
    JsonNode data = new ObjectMapper().readTree(json);
    assertEquals(model.tensors().get(0).name(), data.get("names").get(0).asText());
    assertEquals(model.tensors().get(1).name(), data.get("names").get(1).asText());
    assertTrue(List.of(hostile, "plain").contains(data.get("names").get(0).asText()));
  }

  @Test
  void controlCharactersQuotesAndNonAsciiRenderSafely() throws Exception {
    String odd = "line1\nline2\ttab \"q\" ünï ✓ 😀";
    String html = HtmlReport.render(named(odd));
    assertTrue(
        html.contains("line1\u240aline2\u2409tab &quot;q&quot; ünï ✓ 😀"),
        "visible control pictures");
    assertFalse(html.contains("line1\n"));
    assertEquals(odd, new ObjectMapper().readTree(json(html)).get("names").get(0).asText());
    // The page is pure UTF-8: encoding round-trips.
    byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
    assertEquals(html, new String(bytes, StandardCharsets.UTF_8));
  }

  @Test
  void sameModelSameBytesWhateverTheInputOrder() throws Exception {
    ReportModel model = ReportFixtures.sample();
    String once = HtmlReport.render(model);
    assertEquals(once, HtmlReport.render(model));
    List<ReportTensor> shuffled = new ArrayList<>(model.tensors());
    Collections.reverse(shuffled);
    Collections.swap(shuffled, 0, 2);
    assertEquals(once, HtmlReport.render(new ReportModel(shuffled, model.summary())));
    // A second, independent calibration of the same data gives the same bytes too.
    assertEquals(once, HtmlReport.render(ReportFixtures.sample()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HtmlReport.write(model, out);
    assertArrayEquals(once.getBytes(StandardCharsets.UTF_8), out.toByteArray());
  }

  @Test
  void selfContained() {
    String html = HtmlReport.render(ReportFixtures.sample());
    assertFalse(Pattern.compile("(src|href)=\"(?!#)").matcher(html).find(), "external reference");
    assertFalse(html.contains("http://") || html.contains("https://"), "network address");
    assertFalse(html.contains("@import") || html.contains("url("), "external style");
  }

  @Test
  void everyTensorHasASectionWithAHistogramAndALinePerMethod() {
    ReportModel model = ReportFixtures.sample();
    String html = HtmlReport.render(model);
    String[] sections = html.split("<details class=\"t\"");
    assertEquals(model.tensors().size() + 1, sections.length);
    for (int i = 1; i < sections.length; i++) {
      String s = sections[i].substring(0, sections[i].indexOf("</details>"));
      ReportTensor t = model.tensors().get(i - 1);
      assertTrue(s.startsWith(" id=\"t" + (i - 1) + "\""), s.substring(0, 40));
      assertTrue(s.contains(Html.escape(t.name())), t.name());
      assertEquals(1, count(s, "<svg class=\"h\""), "histogram of " + t.name());
      assertEquals(
          ReportFixtures.METHODS.size(),
          count(s, "<g class=\"thr m\\d\">"),
          "lines of " + t.name());
      // max has no curve; percentile (cdf), mse and octav (both MSE curves in one plot) have one
      // each.
      int curves = t.row().stats().isConstant() ? 0 : 3;
      assertEquals(curves, count(s, "<svg class=\"c m\\d\""), "curve plots of " + t.name());
    }
    assertEquals(model.tensors().size(), count(html, "<tr data-i=\""));
    // OCTAV's plot has both curves and a legend naming them.
    assertTrue(html.contains(">theoretical</text>") && html.contains(">empirical</text>"));
  }

  @Test
  void thresholdLinesAreLabelledWithMethodAndObjective() {
    String html = HtmlReport.render(ReportFixtures.sample());
    assertTrue(
        Pattern.compile(
                "<g class=\"thr m2\"><path d=\"[^\"]+\"/><text [^>]*>mse  MSE [0-9.e-]+</text>")
            .matcher(html)
            .find());
    assertTrue(
        Pattern.compile("<g class=\"thr m0\"><path d=\"[^\"]+\"/><text [^>]*>max</text>")
            .matcher(html)
            .find());
  }

  @Test
  void nonFiniteObjectivesShowAsDashAndInfinity() {
    RangeStats stats = RangeStats.of(1f, -2f, 3f);
    Map<String, CalibrationResult> results = new LinkedHashMap<>();
    results.put(
        "kl-inf",
        CalibrationResult.builder("kl-inf", ClipRange.symmetric(3), ReportFixtures.INT8)
            .objective(Double.POSITIVE_INFINITY)
            .curve(
                "kl",
                List.of(
                    new SearchPoint(1, Double.POSITIVE_INFINITY),
                    new SearchPoint(2, 0.5),
                    new SearchPoint(3, Double.NaN)))
            .build());
    results.put(
        "none",
        CalibrationResult.builder("none", ClipRange.symmetric(3), ReportFixtures.INT8).build());
    ReportModel model =
        new ReportModel(
            List.of(new ReportTensor(new TensorCalibration("t", stats, results), TensorPlot.NONE)),
            RunSummary.EMPTY);
    String html = HtmlReport.render(model);
    assertTrue(html.contains("<td>KL \u221e</td>"), html);
    assertTrue(html.contains(">kl-inf  KL \u221e<") || !html.contains("<svg class=\"h\""));
    assertTrue(html.contains("kl-inf: kl (2 non-finite points not drawn)"));
    assertTrue(html.contains("No histogram"));
    // The objective column of "none" and its metrics are dashes.
    assertTrue(html.contains("<td>\u2014</td>"));
    assertFalse(html.contains("NaN<") || html.contains("Infinity<"), "raw non-finite number");
  }

  @Test
  void runSummaryShowsWhatIsKnown() {
    String html = HtmlReport.render(ReportFixtures.sample());
    assertTrue(html.contains("<dt>input</dt><dd>data/sample/activations.parquet</dd>"));
    assertTrue(html.contains("<dt>time: scan</dt><dd>1.234 s</dd>"));
    assertTrue(html.contains("<dt>time: total</dt><dd>3.924 s</dd>"));
    assertTrue(html.contains("<dt>Spark</dt><dd>4.0.0</dd>"));
    assertTrue(html.contains("<dt>quantizer</dt><dd>symmetric8</dd>"));
    String empty = HtmlReport.render(new ReportModel(List.of(), RunSummary.EMPTY));
    assertTrue(empty.contains("No run information."));
    assertTrue(empty.contains("0 tensors"));
  }

  /**
   * A heavy tail whose primary method (percentile@99) clips hard, and a uniform tensor it suits.
   */
  private static ReportModel farModel(RunSummary summary) {
    Random random = new Random(ReportFixtures.SEED);
    TensorCalibrator calibrator =
        new TensorCalibrator(List.of("percentile@99", "mse", "max"), ReportFixtures.INT8);
    float[] heavy = ReportFixtures.gaussian(random, 20_000, 1);
    for (int i = 0; i < 400; i++) {
      heavy[i] *= 30;
    }
    float[] uniform = new float[20_000];
    for (int i = 0; i < uniform.length; i++) {
      uniform[i] = 2 * random.nextFloat() - 1;
    }
    return new ReportModel(
        List.of(
            ReportFixtures.tensor("a uniform", uniform, calibrator),
            ReportFixtures.tensor("fc heavy tail", heavy, calibrator)),
        summary);
  }

  @Test
  void tensorsFarFromTheBestAreFlaggedNamedAndListedFirst() throws Exception {
    ReportModel model =
        farModel(RunSummary.builder().primaryFiles(List.of("calibration.cache")).build());
    assertEquals("fc heavy tail", model.tensors().get(0).name(), "largest gap first");
    double gap = model.gap(model.tensors().get(0)).orElseThrow().gapDb();
    assertTrue(gap > 3, "gap " + gap);
    assertTrue(model.gap(model.tensors().get(1)).orElseThrow().gapDb() <= 3);
    String html = HtmlReport.render(model);
    assertTrue(
        html.contains(
            "Primary method: <b>percentile@99</b>, the first of the run&#39;s methods."
                + " calibration.cache carries its ranges; calibration.json and calibration.csv"
                + " carry every method."),
        html);
    assertTrue(
        html.contains(
            "<p class=\"far\">1 tensor loses more than 3 dB of measured SQNR with percentile@99"
                + " against the best method of its row (flag far_from_best, listed first): fc heavy"
                + " tail (−"),
        html);
    assertEquals(
        2,
        count(html, "<span class=\"fl far\" title=\"the primary method percentile@99 is "),
        "flag in the table and the section");
    // The filter box finds the flag: it is in the script's data for the first row only.
    JsonNode flags = new ObjectMapper().readTree(json(html)).get("flags");
    assertEquals("far_from_best", flags.get(0).asText());
    assertEquals("", flags.get(1).asText());
    // The gap column is sorted, largest first, and each row's best SQNR carries a star.
    assertTrue(html.contains("data-c=\"4\" data-n aria-sort=\"descending\""));
    assertEquals(
        2,
        count(html, " \u2605</td>") - count(html, "<td>[0-9.e-]+ \u2605</td>"),
        "one best SQNR per row");
    // The measure and the objectives are explained.
    assertTrue(html.contains("clipping error counts"));
    assertTrue(
        html.contains("the objective says how a method chose, not how well its choice quantizes"));
  }

  @Test
  void thePrimaryMethodSaysWhichFileCarriesIt() {
    String unknown = HtmlReport.render(farModel(RunSummary.EMPTY));
    assertTrue(
        unknown.contains(
            "The single-method formats (calibration.cache by default) carry its ranges"));
    String none = HtmlReport.render(farModel(RunSummary.builder().primaryFiles(List.of()).build()));
    assertTrue(none.contains("No file of this run carries it alone (see the run&#39;s warnings)"));
    String two =
        HtmlReport.render(
            farModel(
                RunSummary.builder()
                    .primaryFiles(List.of("calibration.cache", "ncnn.table"))
                    .build()));
    assertTrue(two.contains("calibration.cache, ncnn.table carry its ranges"));
    // Nothing far: one sentence says so.
    String near = HtmlReport.render(ReportFixtures.sample());
    assertTrue(
        near.contains(
            "On every tensor the primary method is within 3 dB of measured SQNR of the best"),
        near);
  }

  @Test
  void plotAxesAreLabelled() {
    String html = HtmlReport.render(ReportFixtures.sample());
    assertEquals(
        4,
        count(
            html,
            "<text class=\"xt\" [^>]*>\\|x\\|</text><text class=\"ay\" [^>]*>count \\(log"
                + " scale\\)</text>"));
    assertTrue(
        count(
                html,
                "<text class=\"xt\" [^>]*>threshold</text><text class=\"ay\" [^>]*>(MSE|CDF|MSE per"
                    + " value)( \\(log scale\\))?</text>")
            >= 9);
  }

  @Test
  void namesWrapOnlyAtSeparators() {
    StringBuilder out = new StringBuilder();
    Html.nameTo(out, "layer.0/out:1 <script>x(1)</script> 层");
    assertEquals(
        "layer.<wbr>0/<wbr>out:<wbr>1 <span class=\"nw\">&lt;script&gt;x(1)&lt;/</span><wbr>"
            + "<span class=\"nw\">script&gt;</span> 层",
        out.toString());
  }

  static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
