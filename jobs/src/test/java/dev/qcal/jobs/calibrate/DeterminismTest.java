package dev.qcal.jobs.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.io.CalibrationJson;
import dev.qcal.core.report.HtmlReport;
import dev.qcal.core.report.TensorPlot;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.jobs.dump.Layout;
import dev.qcal.jobs.generate.DumpGenerator;
import dev.qcal.jobs.testing.SharedSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same values give a byte-identical calibration.json for 1, 2, 7 and 64 input partitions (one
 * Parquet file per partition); speculative execution is checked on the real cluster (ClusterIT),
 * since local mode never speculates. And every Spark job of a run carries a "qcal: " description
 * (the Spark UI and event log name each stage).
 */
@ExtendWith(SharedSpark.class)
class DeterminismTest {
  static final int TENSORS = 7;
  static final int VALUES = 6400;
  @TempDir Path tmp;

  private CalibrationRun run(SparkSession spark, int files) {
    Path dir = tmp.resolve("files-" + files);
    new DumpGenerator(TENSORS, VALUES, Layout.LONG, 11, 100, files, false)
        .write(spark, dir.toString(), SaveMode.ErrorIfExists);
    assertEquals(
        files, spark.read().parquet(dir.toString()).rdd().getNumPartitions(), "partitions");
    return Calibration.builder().input(dir.toString()).build().run(spark);
  }

  @Test
  void oneTwoSevenAndSixtyFourPartitionsGiveTheSameBytes(SparkSession spark) {
    // One file per partition: an open cost this high stops Spark packing small files together.
    spark.conf().set("spark.sql.files.openCostInBytes", String.valueOf(128L << 20));
    try {
      CalibrationRun oneRun = run(spark, 1);
      CalibrationTable one = oneRun.table();
      assertTrue(
          oneRun.plots().values().stream()
              .anyMatch(p -> p.curves().isPresent() && !p.curves().get().isEmpty()),
          "the run keeps its search curves (thinned for the report)");
      for (int files : new int[] {2, 7, 64}) {
        CalibrationRun otherRun = run(spark, files);
        CalibrationTable other = otherRun.table();
        assertEquals(
            CalibrationJson.toJson(one), CalibrationJson.toJson(other), files + " partitions");
        // calibration.json leaves details and the report's plots out: every method's whole result
        // and every plot (histogram, metrics, curves) must match.
        for (int t = 0; t < TENSORS; t++) {
          TensorCalibration row = one.tensors().get(t);
          String where = files + " partitions, tensor " + row.name();
          assertEquals(row.results(), other.tensors().get(t).results(), where);
          TensorPlot a = oneRun.plots().get(row.name());
          TensorPlot b = otherRun.plots().get(row.name());
          assertEquals(a.histogram(), b.histogram(), where);
          assertEquals(a.metrics(), b.metrics(), where);
          assertEquals(a.curves(), b.curves(), where);
        }
      }
    } finally {
      spark.conf().unset("spark.sql.files.openCostInBytes");
    }
  }

  @Test
  void theReportDetailsTheSameTensorsWithOneOrManySearchPartitions(SparkSession spark) {
    // More tensors than the report details: which get a plot is decided from the summaries of all
    // (gap, then name), so one search partition and sixteen detail the same tensors alike.
    int tensors = HtmlReport.DETAILED + 100;
    spark.conf().set("spark.sql.files.openCostInBytes", String.valueOf(128L << 20));
    try {
      Map<String, TensorPlot> one = null;
      for (int files : new int[] {1, 16}) {
        Path dir = tmp.resolve("many-" + files);
        new DumpGenerator(tensors, 40, Layout.LONG, 5, 40, files, false)
            .write(spark, dir.toString(), SaveMode.ErrorIfExists);
        CalibrationRun run =
            Calibration.builder()
                .input(dir.toString())
                .methods("percentile", "max")
                .build()
                .run(spark);
        Map<String, TensorPlot> plots = run.plots();
        long detailed = plots.values().stream().filter(p -> p.histogram().isPresent()).count();
        assertEquals(HtmlReport.DETAILED, detailed, files + " files: tensors with a plot");
        if (one == null) {
          one = plots;
        } else {
          assertEquals(one.keySet(), plots.keySet(), files + " search partitions");
          for (Map.Entry<String, TensorPlot> e : one.entrySet()) {
            String where = files + " search partitions, tensor " + e.getKey();
            TensorPlot other = plots.get(e.getKey());
            assertEquals(e.getValue().histogram(), other.histogram(), where);
            assertEquals(e.getValue().metrics(), other.metrics(), where);
            assertEquals(e.getValue().curves(), other.curves(), where);
          }
        }
      }
    } finally {
      spark.conf().unset("spark.sql.files.openCostInBytes");
    }
  }

  @Test
  void everySparkJobOfARunIsDescribed(SparkSession spark) throws Exception {
    Path dir = tmp.resolve("described");
    new DumpGenerator(3, 1000, Layout.LONG, 3, 100, 2, false)
        .write(spark, dir.toString(), SaveMode.ErrorIfExists);
    List<String> descriptions = new ArrayList<>();
    SparkListener listener =
        new SparkListener() {
          @Override
          public void onJobStart(SparkListenerJobStart job) {
            synchronized (descriptions) {
              descriptions.add(
                  String.valueOf(job.properties().getProperty("spark.job.description")));
            }
          }
        };
    spark.sparkContext().addSparkListener(listener);
    try {
      Calibration.builder().input(dir.toString()).build().run(spark);
      Calibration.builder().input(dir.toString()).methods("max").build().run(spark); // no histogram
      Calibration.builder()
          .input(dir.toString())
          .methods("max")
          .histogramLayout(HistogramLayout.RANGE)
          .build()
          .run(spark);
      Calibration.builder()
          .input(dir.toString())
          .histogramLayout(HistogramLayout.RANGE)
          .build()
          .run(spark);
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
    assertTrue(descriptions.size() >= 4, descriptions::toString);
    for (String d : descriptions) {
      assertTrue(d.startsWith("qcal: "), "a job without a qcal description: " + descriptions);
    }
    // The grid layout (default): one scan, the searches in the same job.
    assertTrue(
        descriptions.contains(
            "qcal: scan (range statistics and grid histograms) and calibration searches"),
        descriptions::toString);
    // No histogram (max): one scan of range statistics, the searches in the same job.
    assertTrue(
        descriptions.contains("qcal: scan (range statistics) and calibration searches"),
        descriptions::toString);
    // The range layout: range statistics first.
    assertTrue(descriptions.contains("qcal: pass 1 range statistics"), descriptions::toString);
    assertTrue(
        descriptions.contains("qcal: pass 2 histograms and calibration searches"),
        descriptions::toString);
    assertTrue(
        descriptions.contains("qcal: calibration searches (no histogram needed)"),
        descriptions::toString);
  }
}
