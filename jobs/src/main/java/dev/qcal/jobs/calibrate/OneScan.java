package dev.qcal.jobs.calibrate;

import dev.qcal.core.calib.TensorCalibrator;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.GrowingGridAccumulator;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.report.ReportTensor;
import dev.qcal.jobs.Version;
import dev.qcal.jobs.scan.ChunkScan;
import dev.qcal.jobs.scan.TensorFold;
import dev.qcal.jobs.state.StateMeta;
import dev.qcal.jobs.state.TensorState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * The grid layout's single scan: each task folds its chunks into one {@link GrowingGridAccumulator}
 * per tensor (range statistics and grid histograms whose layouts grow with the data), persisted
 * states join as accumulators of their own, {@code reduceByKey} merges them per tensor, and the
 * searches run on the executors in the same Spark job. Coarsening a grid histogram is exact and the
 * final layout is the grid layout of the merged statistics, so the histograms (and the tables) are
 * bit for bit those of the two passes, for any partitioning and order.
 */
final class OneScan {
  private OneScan() {}

  /** The job description, the INFO lines' and summary's stage name. */
  static final String STAGE =
      "scan (range statistics and grid histograms) and calibration searches";

  /** The scan's accumulators and the states' merged per tensor, on the executors. */
  static JavaPairRDD<String, GrowingGridAccumulator> merged(
      ChunkScan chunks, Set<Domain> domains, int bins, StateMerge states, LongAccumulator opened) {
    JavaPairRDD<String, GrowingGridAccumulator> all = folded(chunks, domains, bins, opened);
    if (states != null) {
      all = all.union(states.accumulators(domains, bins));
    }
    return all.reduceByKey(GrowingGridAccumulator::merge);
  }

  /** The scan, the merge and the searches: one Spark job. */
  static SearchStage.Result run(
      SparkSession spark,
      ChunkScan chunks,
      Set<Domain> domains,
      int bins,
      StateMerge states,
      LongAccumulator opened,
      TensorCalibrator calibrator,
      SearchStage.Plots plots,
      boolean keepState,
      StateCoverage coverage) {
    JavaPairRDD<String, TensorState> tensors =
        merged(chunks, domains, bins, states, opened)
            .mapValues(a -> new TensorState(a.stats(), a.histograms()));
    return SearchStage.search(
        spark,
        tensors,
        new ArrayList<>(),
        domains.isEmpty(),
        calibrator,
        plots,
        keepState,
        rows -> {
          long values = 0;
          for (ReportTensor r : rows) {
            values += r.row().stats().count();
          }
          return new StateMeta(
              Version.qcal(),
              bins,
              HistogramLayout.GRID,
              domains,
              coverage.inputs(),
              coverage.files(),
              values,
              rows.size());
        });
  }

  /**
   * The scan: range statistics and grid histograms in {@code domains} per tensor, each task's
   * layouts growing with its data, merged per tensor on the executors into exactly the histograms
   * the two passes build (see {@link GrowingGridAccumulator}). Not yet merged; {@code opened}
   * counts the (task, tensor) accumulators made, so the driver can tell an empty scan from one
   * whose tensors came only from persisted states.
   */
  private static JavaPairRDD<String, GrowingGridAccumulator> folded(
      ChunkScan scan, Set<Domain> domains, int bins, LongAccumulator opened) {
    return scan.aggregate(new OneScanFold(domains, bins, opened));
  }

  /** The scan's fold: one growing grid accumulator per tensor and task. */
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
}
