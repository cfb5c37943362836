package dev.qcal.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.drift.DriftComparison;
import dev.qcal.core.drift.DriftReport;
import dev.qcal.core.drift.MethodRange;
import dev.qcal.core.drift.RangeTable;
import dev.qcal.core.drift.TensorRanges;
import dev.qcal.core.quant.Scheme;
import dev.qcal.core.table.TensorFlag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The report's drift section: there when a baseline was compared, the largest change first. */
class DriftSectionTest {
  private static TensorRanges t(String name, Set<TensorFlag> flags, double amax, double scale) {
    Map<String, MethodRange> m = new LinkedHashMap<>();
    m.put("max", new MethodRange(0.0 - amax, amax, scale));
    return TensorRanges.of(name, flags, m);
  }

  private static DriftReport drift() {
    RangeTable base =
        new RangeTable(
            Scheme.SYMMETRIC,
            8,
            List.of("max"),
            List.of(
                t("a", Set.of(), 4, 0.5),
                t("<b>", Set.of(), 4, 0.5),
                t("dead", Set.of(), 2, 0.25),
                t("gone", Set.of(), 1, 0.125)));
    RangeTable now =
        new RangeTable(
            Scheme.SYMMETRIC,
            8,
            List.of("max"),
            List.of(
                t("a", Set.of(), 5, 0.625),
                t("<b>", Set.of(), 4, 0.5),
                t("dead", Set.of(TensorFlag.ALL_ZERO), 0, 1),
                t("new", Set.of(), 1, 0.125)));
    return DriftComparison.compare(base, now, OptionalDouble.of(0.1));
  }

  @Test
  void aComparedRunShowsTheBaselineTheGateAndEveryTensorLargestChangeFirst() {
    ReportModel model =
        new ReportModel(List.of(), RunSummary.EMPTY)
            .withDrift(drift(), "out/run_id=1/calibration.json");
    String html = HtmlReport.render(model);
    int section = html.indexOf("<h2 id=\"drift\">Drift</h2>");
    assertTrue(section > 0, html);
    String drift = html.substring(section, html.indexOf("<h2>Tensors</h2>"));
    assertTrue(
        drift.contains(
            "2 of 3 tensors moved more than the limit 0.1 (drift.json): the gate tripped, exit 4"),
        drift);
    assertTrue(drift.contains("1 appeared · 1 disappeared"), drift);
    assertTrue(drift.contains("<dd>out/run_id=1/calibration.json</dd>"), drift);
    // dead (unbounded) before a (0.25) before <b> (0), names escaped.
    int dead = drift.indexOf(">dead<");
    int a = drift.indexOf(">a<");
    int b = drift.indexOf("&lt;b&gt;");
    assertTrue(dead > 0 && dead < a && a < b, drift);
    assertFalse(drift.contains("<b>"), drift);
    assertEquals(2, drift.split("<span class=\"fl\">exceeds</span>", -1).length - 1, drift);
    assertTrue(drift.contains("degenerate_changed") && drift.contains("\u221e"), drift);
  }

  @Test
  void aRunWithoutBaselineHasNoDriftSection() {
    assertFalse(
        HtmlReport.render(new ReportModel(List.of(), RunSummary.EMPTY)).contains("id=\"drift\""));
  }
}
