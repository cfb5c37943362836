package dev.qcal.jobs.calibrate;

import dev.qcal.core.calib.TensorCalibrator;
import dev.qcal.core.channel.ChannelGridAccumulator;
import dev.qcal.core.channel.ChannelSplit;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.GrowingGridAccumulator;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.report.ReportTensor;
import dev.qcal.jobs.Version;
import dev.qcal.jobs.scan.ChunkScan;
import dev.qcal.jobs.scan.TensorFold;
import dev.qcal.jobs.state.StateMeta;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * The grid layout's single scan: each task folds its chunks into one {@link GrowingGridAccumulator}
 * per tensor (range statistics and grid histograms whose layouts grow with the data), persisted
 * states join as accumulators of their own, they are merged per tensor ({@link
 * ShuffledAccumulators}: the shuffle carries them as byte batches), and the searches run on the
 * executors in the same Spark job. Coarsening a grid histogram is exact and the final layout is the
 * grid layout of the merged statistics, so the histograms (and the tables) are bit for bit those of
 * the two passes, for any partitioning and order. Per-channel tensors are folded in the same scan,
 * channel by channel the same way ({@link ChannelGridAccumulator}).
 */
final class OneScan {
  private OneScan() {}

  /** The job description, the INFO lines' and summary's stage name. */
  static final String STAGE =
      "scan (range statistics and grid histograms) and calibration searches";

  /** {@link #STAGE} of a run that needs no histogram ({@code max} alone). */
  static final String RANGE_STAGE = "scan (range statistics) and calibration searches";

  /** The stage name of a run building the histograms of {@code domains}. */
  static String stage(Set<Domain> domains) {
    return domains.isEmpty() ? RANGE_STAGE : STAGE;
  }

  /**
   * The scan's accumulators and the states' merged per tensor, on the executors, in {@link
   * SearchPartitions} partitions.
   *
   * @param channels what is calibrated per channel in the same scan, or null
   */
  static JavaPairRDD<String, TensorAccumulator> merged(
      ChunkScan chunks,
      Set<Domain> domains,
      int bins,
      ChannelPlan channels,
      StateMerge states,
      LongAccumulator opened) {
    JavaPairRDD<String, TensorAccumulator> all =
        chunks.aggregate(new OneScanFold(domains, bins, channels, opened));
    if (states != null) {
      all = all.union(states.accumulators(domains, bins, channels));
    }
    return ShuffledAccumulators.merged(all, SearchPartitions.of(all));
  }

  /**
   * The scan, the merge and the searches (per channel too when {@code channels} is given): one
   * Spark job.
   */
  static SearchStage.Result run(
      SparkSession spark,
      ChunkScan chunks,
      Set<Domain> domains,
      int bins,
      ChannelPlan channels,
      StateMerge states,
      LongAccumulator opened,
      TensorCalibrator calibrator,
      SearchStage.Plots plots,
      boolean keepState,
      StateCoverage coverage) {
    int defaultAxis = channels == null ? 0 : channels.rows().defaultAxis();
    JavaPairRDD<String, TensorAccumulator> merged =
        merged(chunks, domains, bins, channels, states, opened);
    return SearchStage.search(
        spark,
        merged.mapValues(a -> a.state(defaultAxis)),
        merged.map(t -> t._2().row(t._1(), defaultAxis)),
        new ArrayList<>(),
        domains.isEmpty(),
        calibrator,
        channels == null ? null : channels.calibrator(),
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
              rows.size(),
              channels == null ? 0 : channels.bins());
        });
  }

  /**
   * The scan's fold: one growing grid accumulator per tensor and task (range statistics and grid
   * histograms in the run's domains, each task's layouts growing with its data, merged per tensor
   * on the executors into exactly the histograms the two passes build: see {@link
   * GrowingGridAccumulator}), and for a per-channel tensor one per channel as well. {@code opened}
   * counts the (task, tensor) accumulators made, so the driver can tell an empty scan from one
   * whose tensors came only from persisted states.
   */
  private static final class OneScanFold implements TensorFold<TensorAccumulator> {
    private static final long serialVersionUID = 1L;
    private final Set<Domain> domains;
    private final int bins;
    private final ChannelPlan channels;
    private final Set<Domain> channelDomains;
    private final LongAccumulator opened;

    OneScanFold(Set<Domain> domains, int bins, ChannelPlan channels, LongAccumulator opened) {
      this.domains = domains.isEmpty() ? EnumSet.noneOf(Domain.class) : EnumSet.copyOf(domains);
      this.bins = bins;
      this.channels = channels;
      this.channelDomains = channels == null ? null : channels.calibrator().domains();
      this.opened = opened;
    }

    @Override
    public TensorAccumulator create(String tensor) {
      opened.add(1);
      return new TensorAccumulator(
          new GrowingGridAccumulator(domains, bins),
          channels != null && channels.rows().selects(tensor)
              ? new ChannelGridAccumulator(tensor, channelDomains, channels.bins())
              : null);
    }

    @Override
    public void add(TensorAccumulator acc, float[] values, int from, int to) {
      acc.tensor().add(values, from, to);
    }

    @Override
    public void addNulls(TensorAccumulator acc, long elements, long rows) {
      acc.tensor().addNulls(elements, rows);
    }

    @Override
    public void addChannels(
        TensorAccumulator acc,
        ChannelSplit split,
        int channel,
        float[] values,
        int count,
        boolean[] isNull) {
      if (split != null) {
        acc.channels().add(split, values, 0, isNull);
      } else {
        acc.channels().add(channel, values, count, isNull);
      }
    }
  }
}
