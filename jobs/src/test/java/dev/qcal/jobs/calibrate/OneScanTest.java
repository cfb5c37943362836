package dev.qcal.jobs.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.Calibrators;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramAccumulator;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.io.CalibrationCsv;
import dev.qcal.core.io.CalibrationJson;
import dev.qcal.core.io.TensorRtCache;
import dev.qcal.core.io.TensorRtVersion;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.jobs.scan.Reader;
import dev.qcal.jobs.testing.ParquetFiles;
import dev.qcal.jobs.testing.ParquetFiles.Tensor;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The grid layout's one scan against the two passes ({@link TwoPassTable}): byte-identical tables,
 * and histograms equal to a direct fill of each whole tensor in its final layout, on a dump whose
 * tensors grow inside every task (each file holds a tensor's rows in increasing magnitude, up to
 * 2^60 apart, after all-zero, NaN and ±Inf rows), read as 1, 2 and 7 partitions, with every
 * registered method; and persisted states joining the one scan.
 */
@ExtendWith(SharedSpark.class)
class OneScanTest {
  static final int TENSORS = 7;
  static final int ROWS = 21;
  static final int ROW_VALUES = 300;
  static final Set<Domain> ALL = EnumSet.allOf(Domain.class);
  @TempDir static Path tmp;
  static final Map<Integer, Path> DUMPS = new LinkedHashMap<>();
  static final Map<String, float[]> VALUES = new LinkedHashMap<>();

  @BeforeAll
  static void writeDumps(SparkSession spark) throws IOException {
    SplittableRandom r = new SplittableRandom(2024);
    Map<String, List<float[]>> rows = new LinkedHashMap<>();
    for (int t = 0; t < TENSORS; t++) {
      List<float[]> list = new ArrayList<>();
      for (int row = 0; row < ROWS; row++) {
        list.add(row(r, t, row));
      }
      rows.put("model.t" + t, list);
    }
    rows.forEach((name, list) -> VALUES.put(name, concat(list)));
    for (int partitions : new int[] {1, 2, 7}) {
      Path dir = Files.createDirectories(tmp.resolve("p" + partitions));
      // File f holds rows [f·ROWS/p, (f+1)·ROWS/p) of every tensor, tensors interleaved row by row:
      // each task sees its tensors grow, and later files hold the larger values.
      for (int f = 0; f < partitions; f++) {
        List<Tensor> out = new ArrayList<>();
        for (int row = f * ROWS / partitions; row < (f + 1) * ROWS / partitions; row++) {
          for (Map.Entry<String, List<float[]>> e : rows.entrySet()) {
            out.add(new Tensor(e.getKey(), e.getValue().get(row)));
          }
        }
        ParquetFiles.longFloats(dir.resolve(String.format("part-%05d.parquet", f)), out, false);
      }
      DUMPS.put(partitions, dir);
    }
    // One file per partition: an open cost this high stops Spark packing small files together.
    spark.conf().set("spark.sql.files.openCostInBytes", String.valueOf(128L << 20));
  }

  @AfterAll
  static void restore(SparkSession spark) {
    spark.conf().unset("spark.sql.files.openCostInBytes");
  }

  /**
   * Row {@code row} of tensor {@code t}: magnitudes growing by 2^3 per row (2^60 over the dump); t0
   * starts with all-zero rows, t1 with NaN and ±Inf rows, t2 is all zeros (degenerate), t3 has
   * subnormals first, t4 empty rows, t5 is a ReLU (exact zeros), t6 shrinks (largest first).
   */
  private static float[] row(SplittableRandom r, int t, int row) {
    int exp = (t == 3 ? -140 : -30) + 3 * (t == 6 ? ROWS - 1 - row : row);
    if (t == 4 && row % 3 == 0) {
      return new float[0];
    }
    float[] v = new float[ROW_VALUES];
    for (int i = 0; i < v.length; i++) {
      double g = Math.scalb(r.nextGaussian(), exp);
      v[i] =
          switch (t) {
            case 0 -> row < 4 ? (i % 2 == 0 ? 0f : -0f) : (float) g;
            case 1 ->
                row < 3
                    ? (i % 3 == 0
                        ? Float.NaN
                        : i % 3 == 1 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY)
                    : (float) g;
            case 2 -> 0f;
            case 5 -> (float) Math.max(0, g);
            default -> (float) g;
          };
    }
    return v;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 7})
  void oneScanAndTwoPassesGiveByteIdenticalTablesForEveryMethod(
      int partitions, SparkSession spark) {
    Path dump = DUMPS.get(partitions);
    assertEquals(partitions, spark.read().parquet(dump.toString()).rdd().getNumPartitions());
    List<String> methods = Calibrators.names();
    CalibrationRun one =
        Calibration.builder().input(dump.toString()).methods(methods).build().run(spark);
    CalibrationTable two = TwoPassTable.table(spark, List.of(dump.toString()), methods, List.of());
    assertTrue(
        one.summary().stageMillis().containsKey(OneScan.STAGE),
        one.summary().stageMillis()::toString);
    assertSameTables(two, one.table());
    // and the same for any partitioning
    CalibrationRun single =
        Calibration.builder().input(DUMPS.get(1).toString()).methods(methods).build().run(spark);
    assertSameTables(single.table(), one.table());
    assertEquals(TENSORS, one.table().tensors().size());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 7})
  void oneScanHistogramsAreTheDirectFillOfTheWholeTensorsLayout(
      int partitions, SparkSession spark) {
    Path dump = DUMPS.get(partitions);
    Map<String, Map<Domain, Histogram>> one =
        ScannedHistograms.oneScan(spark, dump.toString(), Reader.AUTO, null, ALL);
    assertEquals(TENSORS, one.size());
    for (Map.Entry<String, float[]> e : VALUES.entrySet()) {
      RangeStats stats = RangeStats.of(e.getValue());
      for (Domain d : ALL) {
        HistogramSpec spec =
            HistogramSpec.forStats(d, stats, HistogramSpec.DEFAULT_BINS, HistogramLayout.GRID);
        Histogram direct = new HistogramAccumulator(spec).add(e.getValue()).snapshot();
        assertEquals(direct, one.get(e.getKey()).get(d), e.getKey() + " " + d);
      }
    }
  }

  @Test
  void statesWithAsManyBinsOrMoreJoinTheOneScanAndFewerBinsStillRefuseOnTheDriver(
      SparkSession spark) throws IOException {
    Path dumpA = DUMPS.get(2).resolve("part-00000.parquet");
    Path dumpB = DUMPS.get(2).resolve("part-00001.parquet");
    String methods = "entropy,percentile,mse,entropy:ort,wq:log";
    Path state4096 = tmp.resolve("state-4096");
    Qcal.Result a =
        Qcal.run(
            "calibrate",
            "--input",
            dumpA.toString(),
            "--output",
            state4096.toString(),
            "--bins",
            "4096",
            "--methods",
            methods,
            "--no-report");
    assertEquals(0, a.code(), a::toString);
    // B ∪ state(A) in one scan == A ∪ B scanned once == B ∪ state(A) in two passes
    List<String> m = List.of(methods.split(","));
    CalibrationRun union =
        Calibration.builder()
            .input(dumpA.toString(), dumpB.toString())
            .methods(m)
            .build()
            .run(spark);
    CalibrationRun merged =
        Calibration.builder()
            .input(dumpB.toString())
            .methods(m)
            .mergeState(List.of(state4096.toString()))
            .build()
            .run(spark);
    CalibrationTable mergedTwo =
        TwoPassTable.table(spark, List.of(dumpB.toString()), m, List.of(state4096.toString()));
    assertTrue(merged.summary().stageMillis().containsKey(OneScan.STAGE));
    assertSameTables(union.table(), merged.table());
    assertSameTables(union.table(), mergedTwo);

    // A state with fewer bins than the run: whether it merges exactly depends on today's data, so
    // the run takes two passes and the driver refuses it before any histogram is read.
    Path state512 = tmp.resolve("state-512");
    Qcal.Result small =
        Qcal.run(
            "calibrate",
            "--input",
            dumpA.toString(),
            "--output",
            state512.toString(),
            "--bins",
            "512",
            "--methods",
            methods,
            "--no-report");
    assertEquals(0, small.code(), small::toString);
    Qcal.Result refused =
        Qcal.run(
            "calibrate",
            "--input",
            dumpB.toString(),
            "--output",
            tmp.resolve("refused").toString(),
            "--merge-state",
            state512.toString(),
            "--methods",
            methods);
    assertEquals(2, refused.code(), refused::toString);
    assertTrue(refused.err().contains("give --bins 512 or fewer"), refused::toString);
  }

  private static void assertSameTables(CalibrationTable expected, CalibrationTable actual) {
    assertEquals(CalibrationJson.toJson(expected), CalibrationJson.toJson(actual));
    assertEquals(CalibrationCsv.toCsv(expected), CalibrationCsv.toCsv(actual));
    String primary = expected.methods().get(0);
    TensorRtVersion v = TensorRtVersion.DEFAULT;
    assertArrayEquals(
        TensorRtCache.toText(expected, primary, v)
            .getBytes(java.nio.charset.StandardCharsets.UTF_8),
        TensorRtCache.toText(actual, primary, v).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static float[] concat(List<float[]> parts) {
    int n = 0;
    for (float[] p : parts) {
      n += p.length;
    }
    float[] out = new float[n];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
