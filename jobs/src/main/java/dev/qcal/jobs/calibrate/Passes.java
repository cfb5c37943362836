package dev.qcal.jobs.calibrate;

import dev.qcal.core.calib.TensorCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.stats.RangeStatsAccumulator;
import dev.qcal.core.report.ReportTensor;
import dev.qcal.core.report.TensorPlot;
import dev.qcal.core.table.TensorCalibration;
import java.util.ArrayList;
import dev.qcal.core.calib.CalibrationResult;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.qcal.jobs.scan.ChunkScan;
import dev.qcal.jobs.scan.TensorFold;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * The two passes over the chunks, as keyed aggregations merged on the executors. Nothing here
 * touches a value: the accumulators and calibrators of core do.
 */
final class Passes {
  private Passes() {}

  /**
   * Pass 1: range statistics per tensor (a few dozen bytes each, collected). Each partition folds
   * its chunks into one accumulator per tensor; the shuffle merges those.
   */
  static Map<String, RangeStats> ranges(ChunkScan scan) {
    return new HashMap<>(
        scan.aggregate(new RangeFold())
            .reduceByKey(RangeStatsAccumulator::merge)
            .mapValues(RangeStatsAccumulator::snapshot)
            .collectAsMap());
  }

  /** Pass 1's fold. */
  private static final class RangeFold implements TensorFold<RangeStatsAccumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public RangeStatsAccumulator create(String tensor) {
      return new RangeStatsAccumulator();
    }

    @Override
    public void add(RangeStatsAccumulator acc, float[] values, int from, int to) {
      acc.add(values, from, to);
    }
  }

  /** Pass 2's fold: each tensor's accumulator carries its layouts, looked up once per partition. */
  private static final class HistogramFold implements TensorFold<TensorHistograms> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<Map<String, HistogramSpec[]>> specs;

    HistogramFold(Broadcast<Map<String, HistogramSpec[]>> specs) {
      this.specs = specs;
    }

    @Override
    public TensorHistograms create(String tensor) {
      return new TensorHistograms(specOf(specs.value(), tensor));
    }

    @Override
    public void add(TensorHistograms acc, float[] values, int from, int to) {
      acc.add(values, from, to);
    }
  }

  /**
   * Pass 2: histograms per tensor in every domain the methods need, then the searches, on the
   * executors; only the table rows reach the driver.
   */
  static List<ReportTensor> histogramsAndSearches(
      ChunkScan chunks,
      Broadcast<Map<String, HistogramSpec[]>> specs,
      Broadcast<Map<String, RangeStats>> ranges,
      TensorCalibrator calibrator,
      Plots plots) {
    return histograms(chunks, specs)
        .map(
            t -> {
              TensorStatistics stats =
                  TensorStatistics.of(ranges.value().get(t._1()), t._2().set.snapshot());
              return plots.row(calibrator.calibrate(t._1(), stats), stats);
            })
        .collect();
  }

  /** The histograms of pass 2 per tensor, merged on the executors (not yet collected). */
  static JavaPairRDD<String, TensorHistograms> histograms(
      ChunkScan chunks, Broadcast<Map<String, HistogramSpec[]>> specs) {
    return chunks.aggregate(new HistogramFold(specs)).reduceByKey(TensorHistograms::merge);
  }

  /** The searches alone, for methods that need no histogram (pass 2 is skipped). */
  static List<ReportTensor> searchesOnly(
      JavaSparkContext jsc, Map<String, RangeStats> ranges, TensorCalibrator calibrator) {
    List<Tuple2<String, RangeStats>> list = new ArrayList<>();
    ranges.forEach((name, stats) -> list.add(new Tuple2<>(name, stats)));
    int slices = Math.max(1, Math.min(list.size(), jsc.defaultParallelism()));
    return jsc.parallelizePairs(list, slices)
        .map(t -> new ReportTensor(calibrator.calibrate(t._1(), TensorStatistics.of(t._2())), TensorPlot.NONE))
        .collect();
  }

  /** Whether the executors build each tensor's report plot beside its row (a few KB each). */
  enum Plots {
    /** Build the plot: the report is written. */
    BUILD,
    /** No plot: nothing extra reaches the driver. */
    SKIP;

    ReportTensor row(TensorCalibration row, TensorStatistics stats) {
      if (this == BUILD) {
        return new ReportTensor(row, TensorPlot.of(row, stats));
      }
      // No report: the search curves (thousands of points per tensor and method) would only cost
      // serialization on the executors and the driver (≈2M objects for 500 tensors, JFR).
      Map<String, CalibrationResult> results = new LinkedHashMap<>();
      row.results().forEach((method, r) -> results.put(method, r.withoutCurves()));
      return new ReportTensor(new TensorCalibration(row.name(), row.stats(), results), TensorPlot.NONE);
    }
  }

  private static HistogramSpec[] specOf(Map<String, HistogramSpec[]> specs, String tensor) {
    HistogramSpec[] s = specs.get(tensor);
    if (s == null) {
      throw new IllegalStateException(
          "Tensor '" + tensor + "' was not seen in pass 1: did the input change during the run?");
    }
    return s;
  }
}
