package dev.qcal.jobs.calibrate;

import dev.qcal.core.calib.TensorCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.GrowingGridAccumulator;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.report.ReportTensor;
import dev.qcal.core.report.TensorPlot;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.stats.RangeStatsAccumulator;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.jobs.scan.ChunkScan;
import dev.qcal.jobs.scan.TensorFold;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * The scans over the chunks, as keyed aggregations merged on the executors: the one scan of the
 * grid layout ({@link #oneScan}), or the two passes of the range layout ({@link #ranges}, then
 * {@link #histograms}). Nothing here touches a value: the accumulators and calibrators of core do.
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

  /**
   * The one scan of the grid layout: range statistics and grid histograms in {@code domains} per
   * tensor, each task's layouts growing with its data, merged per tensor on the executors into
   * exactly the histograms the two passes build (see {@link GrowingGridAccumulator}). Not yet
   * merged; {@code opened} counts the (task, tensor) accumulators made, so the driver can tell an
   * empty scan from one whose tensors came only from persisted states.
   */
  static JavaPairRDD<String, GrowingGridAccumulator> oneScan(
      ChunkScan scan, Set<Domain> domains, int bins, LongAccumulator opened) {
    return scan.aggregate(new OneScanFold(domains, bins, opened));
  }

  /** The one scan's fold. */
  private static final class OneScanFold implements TensorFold<GrowingGridAccumulator> {
    private static final long serialVersionUID = 1L;
    private final Set<Domain> domains;
    private final int bins;
    private final LongAccumulator opened;

    OneScanFold(Set<Domain> domains, int bins, LongAccumulator opened) {
      this.domains = domains.isEmpty() ? EnumSet.noneOf(Domain.class) : EnumSet.copyOf(domains);
      this.bins = bins;
      this.opened = opened;
    }

    @Override
    public GrowingGridAccumulator create(String tensor) {
      opened.add(1);
      return new GrowingGridAccumulator(domains, bins);
    }

    @Override
    public void add(GrowingGridAccumulator acc, float[] values, int from, int to) {
      acc.add(values, from, to);
    }

    @Override
    public void addNulls(GrowingGridAccumulator acc, long elements, long rows) {
      acc.addNulls(elements, rows);
    }
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

    @Override
    public void addNulls(RangeStatsAccumulator acc, long elements, long rows) {
      acc.addNulls(elements).addNullRows(rows);
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

    @Override
    public void addNulls(TensorHistograms acc, long elements, long rows) {
      // A null is no value: pass 1 counted it, no histogram holds it.
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
        .map(
            t ->
                new ReportTensor(
                    calibrator.calibrate(t._1(), TensorStatistics.of(t._2())), TensorPlot.NONE))
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
      return new ReportTensor(row.withoutCurves(), TensorPlot.NONE);
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
