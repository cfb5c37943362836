package dev.qcal.jobs.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.io.CalibrationJson;
import dev.qcal.core.report.HtmlReport;
import dev.qcal.core.report.TensorPlot;
import dev.qcal.jobs.dump.Layout;
import dev.qcal.jobs.generate.DumpGenerator;
import dev.qcal.jobs.testing.SharedSpark;
import java.nio.file.Path;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * More tensors than the report details: every tensor is first searched without curves, the detailed
 * ones again with them. The table equals a run without the report's plots, and exactly the detailed
 * tensors come with a histogram and curves to draw.
 */
@ExtendWith(SharedSpark.class)
class ManyTensorsReportTest {
  @TempDir static Path tmp;

  @Test
  void summaryTensorsAreSearchedWithoutCurvesAndDetailedOnesWithThem(SparkSession spark) {
    int tensors = HtmlReport.DETAILED + 40;
    Path dump = tmp.resolve("dump");
    new DumpGenerator(tensors, 60, Layout.LONG, 3, 60, 1, false)
        .write(spark, dump.toString(), SaveMode.ErrorIfExists);
    CalibrationRun report = Calibration.builder().input(dump.toString()).build().run(spark);
    CalibrationRun bare =
        Calibration.builder().input(dump.toString()).withoutPlots().build().run(spark);
    assertEquals(CalibrationJson.toJson(bare.table()), CalibrationJson.toJson(report.table()));
    int detailed = 0;
    int drawn = 0;
    for (TensorPlot plot : report.plots().values()) {
      if (plot.curves().isPresent()) {
        detailed++;
        drawn += plot.curves().get().isEmpty() ? 0 : 1;
      } else {
        assertTrue(plot.histogram().isEmpty(), "a summary row has no histogram");
        assertTrue(!plot.metrics().isEmpty(), "a summary row has its metrics");
      }
    }
    assertEquals(HtmlReport.DETAILED, detailed);
    assertTrue(drawn > HtmlReport.DETAILED / 2, "detailed tensors have curves to draw: " + drawn);
    assertEquals(tensors, report.plots().size());
  }
}
