package dev.qcal.jobs.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.Calibrators;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramAccumulator;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.io.CalibrationJson;
import dev.qcal.core.report.HtmlReport;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.jobs.dump.DumpFiles;
import dev.qcal.jobs.dump.DumpLayout;
import dev.qcal.jobs.dump.DumpSchema;
import dev.qcal.jobs.dump.Layout;
import dev.qcal.jobs.generate.DumpGenerator;
import dev.qcal.jobs.generate.Synthetic;
import dev.qcal.jobs.output.CalibrationOutput;
import dev.qcal.jobs.scan.ChunkScan;
import dev.qcal.jobs.scan.DumpReader;
import dev.qcal.jobs.scan.ReadCounters;
import dev.qcal.jobs.scan.SparkRowScan;
import dev.qcal.jobs.scan.TensorRanges;
import dev.qcal.jobs.testing.SharedSpark;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merge law end to end: the same values read as 1 or 7 partitions give byte-identical tables
 * and identical histograms (integer counts, edges fixed from pass 1).
 */
@ExtendWith(SharedSpark.class)
class PartitioningTest {
  static final long SEED = 7;
  static final int TENSORS = 9;
  static final int VALUES = 6000;
  @TempDir static Path tmp;
  static Path one;
  static Path seven;

  @BeforeAll
  static void writeDumps(SparkSession spark) {
    one = tmp.resolve("one");
    seven = tmp.resolve("seven");
    new DumpGenerator(TENSORS, VALUES, Layout.LONG, SEED, 1000, 1, false)
        .write(spark, one.toString(), SaveMode.ErrorIfExists);
    new DumpGenerator(TENSORS, VALUES, Layout.LONG, SEED, 1000, 7, false)
        .write(spark, seven.toString(), SaveMode.ErrorIfExists);
    // One file per partition: an open cost this high stops Spark packing small files together.
    spark.conf().set("spark.sql.files.openCostInBytes", String.valueOf(128L << 20));
  }

  @AfterAll
  static void restore(SparkSession spark) {
    spark.conf().unset("spark.sql.files.openCostInBytes");
  }

  @Test
  void oneAndSevenPartitionsGiveByteIdenticalTablesForEveryMethod(SparkSession spark) {
    // Every registered method, so pass 2 runs for each histogram domain once they exist.
    List<String> methods = Calibrators.names();
    assertEquals(1, spark.read().parquet(one.toString()).rdd().getNumPartitions());
    assertEquals(7, spark.read().parquet(seven.toString()).rdd().getNumPartitions());
    CalibrationRun a =
        Calibration.builder().input(one.toString()).methods(methods).build().run(spark);
    CalibrationRun b =
        Calibration.builder().input(seven.toString()).methods(methods).build().run(spark);
    assertEquals(CalibrationJson.toJson(a.table()), CalibrationJson.toJson(b.table()));
    // The report too (its input line names each run's own path: compare with that one fact equal).
    CalibrationRun bAsA = new CalibrationRun(b.table(), a.summary(), b.plots());
    assertEquals(
        HtmlReport.render(CalibrationOutput.reportModel(a)),
        HtmlReport.render(CalibrationOutput.reportModel(bAsA)));
  }

  @Test
  void passTwoHistogramsAreTheSameForAnyPartitioningAndEqualTheOneMachineHistogram(
      SparkSession spark) {
    Map<String, Map<Domain, Histogram>> a = histograms(spark, one);
    Map<String, Map<Domain, Histogram>> b = histograms(spark, seven);
    assertEquals(a, b);
    assertEquals(TENSORS, a.size());
    for (int t = 0; t < TENSORS; t++) {
      float[] values = Synthetic.values(SEED, t, 0, VALUES);
      RangeStats stats = RangeStats.of(values);
      for (Domain d : Domain.values()) {
        HistogramSpec spec = HistogramSpec.forStats(d, stats, 512);
        Histogram whole = new HistogramAccumulator(spec).add(values).snapshot();
        assertEquals(whole, a.get(Synthetic.name(t)).get(d), Synthetic.name(t) + " " + d);
      }
    }
    assertTrue(a.get(Synthetic.name(6)).get(Domain.SIGNED).nan() > 0);
  }

  /** Both passes of the job (pass 2 in every domain, 512 bins), histograms collected. */
  private static Map<String, Map<Domain, Histogram>> histograms(SparkSession spark, Path dump) {
    var conf = spark.sparkContext().hadoopConfiguration();
    DumpFiles files = DumpFiles.list(List.of(dump.toString()), conf);
    DumpLayout layout =
        DumpLayout.resolve(
            Layout.AUTO, DumpSchema.read(files.first(), conf), "x", null, null, null);
    ChunkScan chunks =
        new SparkRowScan(
            DumpReader.chunks(
                spark, files, layout, null, 1000, ReadCounters.register(spark.sparkContext())));
    Map<String, RangeStats> ranges = TensorRanges.of(chunks);
    Map<String, HistogramSpec[]> specs = new HashMap<>();
    ranges.forEach(
        (name, s) ->
            specs.put(
                name,
                new HistogramSpec[] {
                  HistogramSpec.forStats(Domain.ABSOLUTE, s, 512),
                  HistogramSpec.forStats(Domain.SIGNED, s, 512),
                  HistogramSpec.forStats(Domain.LOG2, s, 512)
                }));
    var broadcast = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(specs);
    Map<String, Map<Domain, Histogram>> out = new HashMap<>();
    TwoPasses.histograms(chunks, broadcast)
        .mapValues(acc -> acc.set.snapshot())
        .collectAsMap()
        .forEach(out::put);
    return out;
  }
}
