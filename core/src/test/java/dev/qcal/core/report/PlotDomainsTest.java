package dev.qcal.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.TensorCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramAccumulator;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.TensorCalibration;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Histogram plots of the signed and log2 domains. */
class PlotDomainsTest {
  @Test
  void affineMethodsGetALineAtEachEndOfTheirRangeOnASignedHistogram() {
    float[] v = ReportFixtures.relu(new Random(3), 5000);
    for (int i = 0; i < 500; i++) {
      v[i] = -v[i] / 4; // a short negative tail: the affine range is [min, max], not symmetric
    }
    TensorStatistics stats = ReportFixtures.statistics(v, EnumSet.noneOf(Domain.class));
    TensorCalibration row =
        new TensorCalibrator(List.of("max", "percentile:affine"), QuantSpec.affine(8))
            .calibrate("a", stats);
    String html =
        HtmlReport.render(new ReportModel(List.of(ReportTensor.of(row, stats)), RunSummary.EMPTY));
    assertTrue(html.contains("x histogram, 256 bins"), "signed histogram shown");
    Matcher lines = Pattern.compile("<g class=\"thr m\\d\"><path d=\"(M[^\"]+)\"").matcher(html);
    int groups = 0;
    while (lines.find()) {
      groups++;
      assertEquals(2, lines.group(1).split("M", -1).length - 1, "two lines: " + lines.group(1));
    }
    assertEquals(2, groups);
  }

  @Test
  void log2HistogramHasAPowerOfTwoAxis() {
    float[] v = ReportFixtures.relu(new Random(4), 5000);
    RangeStats range = RangeStats.of(v);
    Histogram log2 =
        new HistogramAccumulator(
                HistogramSpec.forStats(Domain.LOG2, range, HistogramSpec.LOG2_BINS))
            .add(v)
            .snapshot();
    TensorStatistics stats = TensorStatistics.of(range, log2);
    TensorCalibration row =
        new TensorCalibrator(List.of("max", "wq:log"), QuantSpec.unsigned(4)).calibrate("w", stats);
    TensorPlot plot = TensorPlot.of(row, stats);
    assertEquals(Domain.LOG2, plot.histogram().orElseThrow().domain());
    String html =
        HtmlReport.render(new ReportModel(List.of(new ReportTensor(row, plot)), RunSummary.EMPTY));
    assertTrue(html.contains("log2 x histogram"), "log2 caption");
    // 1024 log2 bins (64 octaves) coarsened to 256; tick labels are powers of two (…, 0.25, 1, 4,
    // …).
    // Octaves -61..3, every 11th at multiples of 11: 2^-55 … 2^-11, 2^0 = 1.
    Matcher ticks = Pattern.compile("<svg class=\"h\".*?<g class=\"tx\">(.*?)</g>").matcher(html);
    assertTrue(ticks.find());
    assertEquals(
        "2.78e-17 5.68e-14 1.16e-10 2.38e-7 0.000488 1",
        ticks.group(1).replaceAll("<text [^>]*>([^<]+)</text>", "$1 ").trim());
    assertEquals(2, HtmlReportTest.count(html, "<g class=\"thr m\\d\">"));
  }
}
