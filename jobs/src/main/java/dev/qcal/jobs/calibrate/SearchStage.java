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
import dev.qcal.core.report.ReportTensorBytes;
import dev.qcal.core.report.TensorPlot;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.jobs.Version;
import dev.qcal.jobs.state.KeptStates;
import dev.qcal.jobs.state.RunState;
import dev.qcal.jobs.state.StateFiles;
import dev.qcal.jobs.state.StateMeta;
import dev.qcal.jobs.state.StateRow;
import dev.qcal.jobs.state.TensorState;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
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
        JavaPairRDD<String, PassTwoHistograms> all = h == null ? s : h.union(s);
        h = all.reduceByKey(PassTwoHistograms::merge, SearchPartitions.of(all));
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
        KeptStates.rows(tensors),
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
   * @param stateRows the same states as their rows of {@code state/} (computed only when kept)
   * @param channels the per-channel searches, run on the tensors whose state has channels, or null
   * @param meta what {@code _STATE.json} says, from the collected rows (used when kept)
   */
  static Result search(
      SparkSession spark,
      JavaPairRDD<String, TensorState> merged,
      JavaRDD<StateRow> stateRows,
      List<Runnable> release,
      boolean noHistograms,
      TensorCalibrator calibrator,
      ChannelCalibrator channels,
      Plots plots,
      boolean keepState,
      Function<List<ReportTensor>, StateMeta> meta) {
    KeptStates kept = keepState ? new KeptStates(stateRows) : null;
    if (kept != null) {
      release.add(0, kept::release);
    }
    Collected found;
    try {
      Searches searches = new Searches(calibrator, channels, noHistograms);
      found = kept != null ? plots.collect(kept, searches) : plots.collect(merged, searches);
    } catch (Throwable e) { // Spark's checked SparkException too (precise rethrow)
      release.forEach(Runnable::run);
      throw e;
    }
    List<ReportTensor> rows = found.rows();
    Runnable releaseAll = () -> release.forEach(Runnable::run);
    if (!keepState) {
      releaseAll.run();
      return new Result(rows, null);
    }
    return new Result(
        rows, new RunState(spark, kept, meta.apply(rows), releaseAll, found.states()));
  }

  /**
   * The rows on the driver, and every kept state's row when the searches encoded them beside their
   * own (else null).
   */
  private record Collected(List<ReportTensor> rows, List<StateRow> states) {}

  /** How much of a tensor's report the executors build beside its row. */
  private enum Detail {
    /** The row without curves, no plot: no report is written. */
    NONE,
    /** The row without curves and the summary table's metrics: a tensor the report only lists. */
    SUMMARY,
    /** The row and its full plot (histogram, metrics, thinned curves): a detailed section. */
    FULL
  }

  /** The searches of one tensor on the executors, to the detail its report needs. */
  private static final class Searches implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TensorCalibrator calibrator;
    private final ChannelCalibrator channels;
    private final boolean noHistograms;

    Searches(TensorCalibrator calibrator, ChannelCalibrator channels, boolean noHistograms) {
      this.calibrator = calibrator;
      this.channels = channels;
      this.noHistograms = noHistograms;
    }

    /**
     * The rows of {@code tensors} on the driver, in their order: each task returns its rows in one
     * byte array ({@link ReportTensorBytes}), not as Java object graphs: 20 000 summary rows were
     * 22 MB of them, and serializing, reading and compiling them about 1 s of the run's CPU.
     */
    List<ReportTensor> rows(JavaPairRDD<String, TensorState> tensors, Detail detail) {
      // Two call sites, not one with the detail as a flag: HotSpot compiles a method for the
      // branches it has seen taken, so the detailed tensors' pass would deoptimize the summary
      // pass's compiled rows and recompile them with both paths inlined (JFR's compilations).
      List<byte[]> parts =
          detail == Detail.FULL
              ? tensors
                  .mapPartitions(
                      it -> {
                        ReportTensorBytes out = new ReportTensorBytes();
                        it.forEachRemaining(t -> out.add(full(t)));
                        return List.of(out.toByteArray()).iterator();
                      })
                  .collect()
              : tensors
                  .mapPartitions(
                      it -> {
                        ReportTensorBytes out = new ReportTensorBytes();
                        it.forEachRemaining(t -> out.add(summary(t, detail)));
                        return List.of(out.toByteArray()).iterator();
                      })
                  .collect();
      List<ReportTensor> rows = new ArrayList<>();
      for (byte[] part : parts) {
        rows.addAll(ReportTensorBytes.rows(part));
      }
      return rows;
    }

    /** The row with its full plot: a detailed section (or no histogram: no plot). */
    ReportTensor full(Tuple2<String, TensorState> t) {
      TensorStatistics stats = TensorStatistics.of(t._2().stats(), t._2().histograms());
      TensorCalibration row = withChannels(t, calibrator.calibrate(t._1(), stats));
      return noHistograms
          ? new ReportTensor(row, TensorPlot.NONE)
          : new ReportTensor(row.withoutCurves(), TensorPlot.of(row, stats));
    }

    /**
     * The row without curves ({@link Detail#NONE} or {@link Detail#SUMMARY}): without a detailed
     * section the curves are never drawn, and a search that need not value every candidate only
     * finds the pick (mse: most of the CPU at 20 000 small tensors, JFR).
     */
    ReportTensor summary(Tuple2<String, TensorState> t, Detail detail) {
      TensorStatistics stats = TensorStatistics.of(t._2().stats(), t._2().histograms());
      TensorCalibration row = withChannels(t, calibrator.calibrateWithoutCurves(t._1(), stats));
      return noHistograms || detail == Detail.NONE
          ? new ReportTensor(row, TensorPlot.NONE)
          : new ReportTensor(row, TensorPlot.summaryOf(row, stats));
    }

    private TensorCalibration withChannels(Tuple2<String, TensorState> t, TensorCalibration row) {
      return channels != null && t._2().channels() != null
          ? row.withChannels(channels.calibrate(t._1(), t._2().channels()))
          : row;
    }
  }

  /**
   * Whether the executors build each tensor's report plot beside its row (its coarse histogram,
   * metrics and search curves thinned for drawing: a few KB each; the row then travels without its
   * full curves).
   */
  enum Plots {
    /** Build the plot: the report is written. */
    BUILD,
    /** No plot: nothing extra reaches the driver, and no search values every candidate. */
    SKIP;

    /**
     * The rows on the driver, the states kept for {@code state/}. With the report, when it details
     * every tensor ({@link HtmlReport#detailedTensors}, 1 000 at most) each comes with its plot
     * histogram and thinned curves (about 10 KB each); with more tensors, all are first searched
     * for the summary table alone ({@link ReportTensor#summaryOnly}: 20 000 full rows overflowed
     * {@code spark.driver.maxResultSize}, and their curves cost most of the searches), then the
     * tensors the report details are searched again with their curves (the others are not even
     * decoded). Kept states the driver will hold whole ({@link StateFiles#collectsWhole}) come with
     * the rows of every tensor's search, in the same job: writing {@code state/} then needs no job
     * of its own.
     */
    Collected collect(KeptStates kept, Searches searches) {
      if (this == SKIP) {
        return new Collected(searches.rows(kept.states(), Detail.NONE), null);
      }
      long count = kept.count();
      if (count > HtmlReport.DETAILED || !StateFiles.collectsWhole(count)) {
        return collect(count, kept.states(), kept::only, searches);
      }
      List<Tuple2<byte[], StateRow>> both =
          kept.withRows(t -> ReportTensorBytes.of(searches.full(t)));
      List<ReportTensor> rows = new ArrayList<>(both.size());
      List<StateRow> states = new ArrayList<>(both.size());
      for (Tuple2<byte[], StateRow> t : both) {
        rows.addAll(ReportTensorBytes.rows(t._1()));
        states.add(t._2());
      }
      return new Collected(rows, states);
    }

    /**
     * The rows on the driver, as {@link #collect(KeptStates, Searches)}, of states nothing keeps:
     * persisted serialized for the searches' passes only, so the scan runs once.
     */
    Collected collect(JavaPairRDD<String, TensorState> tensors, Searches searches) {
      if (this == SKIP) {
        return new Collected(searches.rows(tensors, Detail.NONE), null);
      }
      JavaPairRDD<String, TensorState> kept = tensors.persist(StorageLevel.MEMORY_AND_DISK_SER());
      try {
        return collect(
            kept.count(), kept, names -> kept.filter(t -> names.contains(t._1())), searches);
      } finally {
        kept.unpersist(false);
      }
    }

    /** The rows of the {@code count} tensors of {@code all}; {@code only} gives some of them. */
    private static Collected collect(
        long count,
        JavaPairRDD<String, TensorState> all,
        java.util.function.Function<Set<String>, JavaPairRDD<String, TensorState>> only,
        Searches searches) {
      if (count <= HtmlReport.DETAILED) {
        return new Collected(searches.rows(all, Detail.FULL), null);
      }
      List<ReportTensor> rows = searches.rows(all, Detail.SUMMARY);
      Set<String> detailed = HtmlReport.detailedTensors(rows);
      Map<String, ReportTensor> full = new HashMap<>();
      for (ReportTensor t : searches.rows(only.apply(detailed), Detail.FULL)) {
        full.put(t.name(), t);
      }
      List<ReportTensor> out = new ArrayList<>(rows.size());
      for (ReportTensor t : rows) {
        out.add(full.getOrDefault(t.name(), t));
      }
      return new Collected(out, null);
    }
  }
}
