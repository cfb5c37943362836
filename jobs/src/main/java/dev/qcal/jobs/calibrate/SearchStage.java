package dev.qcal.jobs.calibrate;

import dev.qcal.core.calib.TensorCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.channel.ChannelCalibrator;
import dev.qcal.core.channel.ChannelStates;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.report.HtmlReport;
import dev.qcal.core.report.ReportTensor;
import dev.qcal.core.report.TensorPlot;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.jobs.Version;
import dev.qcal.jobs.state.RunState;
import dev.qcal.jobs.state.StateMeta;
import dev.qcal.jobs.state.TensorState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * What {@code calibrate} and {@code recompute} share after the range statistics are known: the
 * layouts chosen on the driver, the histograms (from a scan, from persisted states, or both) merged
 * per tensor on the executors, the searches run there, and the per-tensor states kept (persisted)
 * for the output's {@code state/} when asked.
 */
final class SearchStage {
  private SearchStage() {}

  /** The rows, and the states when kept (else null). */
  record Result(List<ReportTensor> rows, RunState state) {}

  /** Every tensor's layouts in {@code domains}. */
  static Map<String, HistogramSpec[]> specs(
      Map<String, RangeStats> ranges, Set<Domain> domains, int bins, HistogramLayout layout) {
    Map<String, HistogramSpec[]> specs = new HashMap<>();
    ranges.forEach(
        (name, stats) -> {
          List<HistogramSpec> list = new ArrayList<>();
          for (Domain d : domains) {
            list.add(HistogramSpec.forStats(d, stats, bins, layout));
          }
          specs.put(name, list.toArray(new HistogramSpec[0]));
        });
    return specs;
  }

  /**
   * @param scan today's histograms per tensor for the broadcast layouts, or null (recompute)
   * @param states persisted states to add, or null
   * @param channels per-channel states of the tensors calibrated per channel, or null
   * @param channelCalibrator the per-channel searches (with {@code channels}), or null
   * @param channelBins the per-channel bins the kept state records (0: none)
   * @param coverage what the kept state covers ({@code _STATE.json})
   */
  static Result run(
      SparkSession spark,
      Map<String, RangeStats> ranges,
      Set<Domain> domains,
      int bins,
      HistogramLayout layout,
      Function<Broadcast<Map<String, HistogramSpec[]>>, JavaPairRDD<String, PassTwoHistograms>>
          scan,
      StateMerge states,
      JavaPairRDD<String, ChannelStates> channels,
      ChannelCalibrator channelCalibrator,
      int channelBins,
      TensorCalibrator calibrator,
      Plots plots,
      boolean keepState,
      StateCoverage coverage) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Map<String, HistogramSpec[]> specs = specs(ranges, domains, bins, layout);
    if (states != null) {
      states.checkExact(specs);
    }
    List<Runnable> release = new ArrayList<>();
    JavaPairRDD<String, TensorState> tensors;
    if (domains.isEmpty()) {
      List<Tuple2<String, TensorState>> list = new ArrayList<>();
      ranges.forEach(
          (name, stats) -> list.add(new Tuple2<>(name, new TensorState(stats, Map.of()))));
      int slices = Math.max(1, Math.min(list.size(), jsc.defaultParallelism()));
      tensors = jsc.parallelizePairs(list, slices);
    } else {
      Broadcast<Map<String, HistogramSpec[]>> specBroadcast = jsc.broadcast(specs);
      Broadcast<Map<String, RangeStats>> rangeBroadcast = jsc.broadcast(ranges);
      release.add(specBroadcast::destroy);
      release.add(rangeBroadcast::destroy);
      JavaPairRDD<String, PassTwoHistograms> h = scan != null ? scan.apply(specBroadcast) : null;
      if (states != null) {
        JavaPairRDD<String, PassTwoHistograms> s = states.histograms(specBroadcast);
        h = (h == null ? s : h.union(s)).reduceByKey(PassTwoHistograms::merge);
      }
      tensors =
          h.mapToPair(
              t ->
                  new Tuple2<>(
                      t._1(),
                      new TensorState(rangeBroadcast.value().get(t._1()), t._2().set.snapshot())));
    }
    if (channels != null) {
      tensors =
          tensors
              .leftOuterJoin(channels)
              .mapValues(
                  v ->
                      v._2().isPresent()
                          ? new TensorState(v._1().stats(), v._1().histograms(), v._2().get())
                          : v._1());
    }
    long values = 0;
    for (RangeStats s : ranges.values()) {
      values += s.count();
    }
    StateMeta meta =
        new StateMeta(
            Version.qcal(),
            bins,
            layout,
            domains,
            coverage.inputs(),
            coverage.files(),
            values,
            ranges.size(),
            channels == null ? 0 : channelBins);
    return search(
        spark,
        tensors,
        release,
        domains.isEmpty(),
        calibrator,
        channels == null ? null : channelCalibrator,
        plots,
        keepState,
        rows -> meta);
  }

  /**
   * The searches over merged per-tensor states, on the executors (only the rows are collected, see
   * {@link Plots#collect}), the states kept (persisted) for {@code state/} when asked. {@code
   * release} frees what the states depend on (broadcasts); it runs when the searches fail, when
   * nothing is kept, or when the kept state is released.
   *
   * @param channels the per-channel searches, run on the tensors whose state has channels, or null
   * @param meta what {@code _STATE.json} says, from the collected rows (used when kept)
   */
  static Result search(
      SparkSession spark,
      JavaPairRDD<String, TensorState> merged,
      List<Runnable> release,
      boolean noHistograms,
      TensorCalibrator calibrator,
      ChannelCalibrator channels,
      Plots plots,
      boolean keepState,
      Function<List<ReportTensor>, StateMeta> meta) {
    JavaPairRDD<String, TensorState> tensors = merged;
    if (keepState) {
      tensors = tensors.persist(StorageLevel.MEMORY_AND_DISK_SER());
      JavaPairRDD<String, TensorState> kept = tensors;
      release.add(0, () -> kept.unpersist(false));
    }
    List<ReportTensor> rows;
    try {
      rows =
          plots.collect(
              tensors.map(
                  t -> {
                    TensorStatistics stats =
                        TensorStatistics.of(t._2().stats(), t._2().histograms());
                    TensorCalibration row = calibrator.calibrate(t._1(), stats);
                    if (channels != null && t._2().channels() != null) {
                      row = row.withChannels(channels.calibrate(t._1(), t._2().channels()));
                    }
                    return noHistograms
                        ? new ReportTensor(row, TensorPlot.NONE)
                        : plots.row(row, stats);
                  }));
    } catch (Throwable e) { // Spark's checked SparkException too (precise rethrow)
      release.forEach(Runnable::run);
      throw e;
    }
    Runnable releaseAll = () -> release.forEach(Runnable::run);
    if (!keepState) {
      releaseAll.run();
      return new Result(rows, null);
    }
    return new Result(rows, new RunState(spark, tensors, meta.apply(rows), releaseAll));
  }

  /**
   * Whether the executors build each tensor's report plot beside its row (its coarse histogram,
   * metrics and search curves thinned for drawing: a few KB each; the row then travels without its
   * full curves).
   */
  enum Plots {
    /** Build the plot: the report is written. */
    BUILD,
    /** No plot: nothing extra reaches the driver. */
    SKIP;

    ReportTensor row(TensorCalibration row, TensorStatistics stats) {
      if (this == BUILD) {
        return new ReportTensor(row.withoutCurves(), TensorPlot.of(row, stats));
      }
      // No report: the search curves (thousands of points per tensor and method) would only cost
      // serialization on the executors and the driver (≈2M objects for 500 tensors, JFR).
      return new ReportTensor(row.withoutCurves(), TensorPlot.NONE);
    }

    /**
     * The rows on the driver. With the report, only the tensors it details ({@link
     * HtmlReport#detailedTensors}, 1 000 at most) come with their plot histogram and thinned curves
     * (about 10 KB each); the others come {@link ReportTensor#summaryOnly} (20 000 full rows
     * overflowed {@code spark.driver.maxResultSize}).
     *
     * <p>The report's order is a total order on each row alone (gap, then name), so the run's first
     * 1 000 are among the first 1 000 of their partition. Over at most {@value #ONE_JOB_PARTITIONS}
     * partitions (a local run) one job brings every partition's own first 1 000 with their plots;
     * over more, a first job brings the summaries and a second the plots of the tensors detailed,
     * from the results kept on disk between the two, so each search runs once.
     */
    List<ReportTensor> collect(JavaRDD<ReportTensor> results) {
      if (this == SKIP) {
        return results.collect();
      }
      if (results.getNumPartitions() <= ONE_JOB_PARTITIONS) {
        List<ReportTensor> rows =
            new ArrayList<>(results.mapPartitions(Plots::firstOfPartition).collect());
        keepDetailed(rows);
        return rows;
      }
      JavaRDD<ReportTensor> kept = results.persist(StorageLevel.DISK_ONLY());
      try {
        List<ReportTensor> rows = kept.map(ReportTensor::summaryOnly).collect();
        Set<String> detailed = HtmlReport.detailedTensors(rows);
        Map<String, ReportTensor> full = new HashMap<>();
        for (ReportTensor t : kept.filter(t -> detailed.contains(t.name())).collect()) {
          full.put(t.name(), t);
        }
        List<ReportTensor> out = new ArrayList<>(rows.size());
        for (ReportTensor t : rows) {
          out.add(full.getOrDefault(t.name(), t));
        }
        return out;
      } finally {
        kept.unpersist(false);
      }
    }

    /**
     * Most search partitions whose own first 1 000 rows one job collects with their plots: at most
     * 8 000 rows of about 10 KB, far below {@code spark.driver.maxResultSize}.
     */
    private static final int ONE_JOB_PARTITIONS = 8;

    /**
     * A partition's rows, those outside its first {@link HtmlReport#DETAILED} in the report's order
     * as summaries; at most twice that many keep their plots at any time.
     */
    private static Iterator<ReportTensor> firstOfPartition(Iterator<ReportTensor> results) {
      List<ReportTensor> rows = new ArrayList<>();
      int withPlots = 0;
      while (results.hasNext()) {
        rows.add(results.next());
        if (++withPlots == 2 * HtmlReport.DETAILED) {
          withPlots = keepDetailed(rows);
        }
      }
      keepDetailed(rows);
      return rows.iterator();
    }

    /**
     * Replaces every row outside the first {@link HtmlReport#DETAILED} of {@code rows} in the
     * report's order by its summary; returns how many keep their plots.
     */
    private static int keepDetailed(List<ReportTensor> rows) {
      Set<String> detailed = HtmlReport.detailedTensors(rows);
      rows.replaceAll(t -> detailed.contains(t.name()) ? t : t.summaryOnly());
      return detailed.size();
    }
  }
}
