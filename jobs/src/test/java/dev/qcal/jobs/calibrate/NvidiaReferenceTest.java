package dev.qcal.jobs.calibrate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.calib.entropy.NvidiaEntropyCalibrator;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * End to end against NVIDIA's collector: the job's default {@code entropy} amax of a tensor must
 * equal, within one bin, what pytorch-quantization computes when given the same values as one
 * batch. NVIDIA's {@code HistogramCalibrator.collect} (torch_hist=True) histograms |x| with {@code
 * torch.histc(x, 2048, min=0, max=x.max())} — index ⌊x·2048/max⌋ in float32, x = max in the last
 * bin — over edges {@code linspace(0, max, 2049)} in float32; the search itself is checked against
 * NVIDIA's own code by the core vector tests, so this test pins the collector end to end.
 */
@ExtendWith(SharedSpark.class)
class NvidiaReferenceTest {
  private static final int BINS = 2048;

  @Test
  void defaultEntropyAmaxIsWithinOneBinOfNvidiaOnTheSameValues(SparkSession spark) {
    CalibrationTable table =
        Calibration.builder()
            .input(Qcal.SAMPLE.toString())
            .methods(List.of("entropy"))
            .histogramLayout(HistogramLayout.RANGE) // NVIDIA's torch.histc layout
            .build()
            .run(spark)
            .table();
    int compared = 0;
    for (TensorCalibration row : table.tensors()) {
      RangeStats stats = row.stats();
      if (stats.finiteCount() != stats.count() || stats.isConstant()) {
        continue; // NVIDIA's collector fails on NaN/Inf and has no search for constant tensors
      }
      float[] values = valuesOf(spark, row.name());
      double nvidia = nvidiaEntropyAmax(values);
      double qcal = row.result("entropy").amax();
      double bin = stats.absMax() / (double) BINS;
      assertTrue(
          Math.abs(qcal - nvidia) <= bin * (1 + 1e-6),
          String.format(
              "tensor '%s': qcal %s vs NVIDIA %s (bin %s)", row.name(), qcal, nvidia, bin));
      compared++;
    }
    assertTrue(compared >= 5, "compared " + compared + " tensors");
  }

  /** NVIDIA's collector (torch_hist=True, one batch) followed by its entropy search. */
  private static double nvidiaEntropyAmax(float[] values) {
    float max = 0f;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    long[] counts = new long[BINS];
    for (float v : values) {
      float x = Math.abs(v);
      int bin = (int) (x * BINS / max); // float32 arithmetic, as torch.histc on a float tensor
      counts[Math.min(bin, BINS - 1)]++;
    }
    double[] edges = new double[BINS + 1];
    for (int j = 0; j <= BINS; j++) {
      edges[j] = j == BINS ? max : (float) ((double) j * max / BINS); // torch.linspace in float32
    }
    Histogram h = Histogram.withEdges(Domain.ABSOLUTE, edges, counts);
    TensorStatistics stats = TensorStatistics.ofHistogram(h, 0, max);
    CalibrationResult r = new NvidiaEntropyCalibrator().calibrate(stats, QuantSpec.symmetric(8));
    return r.amax();
  }

  private static float[] valuesOf(SparkSession spark, String tensor) {
    List<Row> rows =
        spark
            .read()
            .parquet(Qcal.SAMPLE.toString())
            .where(org.apache.spark.sql.functions.col("tensor").equalTo(tensor))
            .select("values")
            .collectAsList();
    int n = rows.stream().mapToInt(r -> r.getList(0).size()).sum();
    float[] out = new float[n];
    int i = 0;
    for (Row r : rows) {
      for (Object v : r.getList(0)) {
        out[i++] = ((Number) v).floatValue();
      }
    }
    return out;
  }
}
