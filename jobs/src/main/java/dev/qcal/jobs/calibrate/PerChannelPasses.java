package dev.qcal.jobs.calibrate;

import dev.qcal.core.channel.ChannelCalibrator;
import dev.qcal.core.channel.ChannelGridAccumulator;
import dev.qcal.core.channel.ChannelHistogramAccumulator;
import dev.qcal.core.channel.ChannelRanges;
import dev.qcal.core.channel.ChannelSpecs;
import dev.qcal.core.channel.ChannelSplit;
import dev.qcal.core.channel.ChannelStates;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.table.ChannelCalibration;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.dump.DumpRowException;
import dev.qcal.jobs.scan.ChannelDump;
import dev.qcal.jobs.scan.ChannelFold;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The two per-channel passes over the rows of the per-channel tensors, after the per-tensor passes,
 * for the runs whose scan does not fold the channels itself ({@link OneScan} with the page decoder
 * does): Spark's reader, two per-tensor passes, or no per-tensor histogram. Pass 1 builds range
 * statistics per (tensor, channel), then per-channel histograms and the per-channel searches on the
 * executors; the histograms are laid out in the run's {@code --histogram-layout} (the grid layout
 * gives exactly what the one scan builds). Shaped like {@link TwoPasses}: each task folds its rows
 * into one accumulator per tensor (an array of per-channel accumulators), {@code reduceByKey}
 * merges them, so the results do not depend on the partitioning. Nothing here touches a value.
 */
final class PerChannelPasses {
  private PerChannelPasses() {}

  /**
   * Per-channel results by tensor name (sorted). Tensors whose rows hold no channel (a zero
   * dimension) are left out: they stay per tensor.
   *
   * @throws JobException (usage) if a tensor's per-channel histograms would exceed the memory bound
   */
  static Map<String, ChannelCalibration> run(
      JavaSparkContext jsc,
      ChannelDump dump,
      ChannelCalibrator calibrator,
      int bins,
      HistogramLayout layout) {
    int defaultAxis = Math.max(0, dump.source().axis());
    Map<String, ChannelRanges> ranges = new TreeMap<>();
    jsc.sc().setJobDescription("qcal: per-channel pass 1 range statistics");
    dump.aggregate(new RangeFold())
        .reduceByKey(PerChannelPasses::mergeRanges)
        .mapValues(a -> a.snapshot(defaultAxis))
        .collectAsMap()
        .forEach(ranges::put);
    Map<String, ChannelCalibration> out = new TreeMap<>();
    if (ranges.values().stream().allMatch(r -> r.count() == 0)) {
      return out;
    }
    Set<Domain> domains = calibrator.domains();
    if (domains.isEmpty()) {
      // max alone needs no histogram: a few arithmetic steps per channel, on the driver.
      ranges.forEach(
          (name, r) -> {
            if (r.count() > 0) {
              out.put(name, calibrator.calibrate(name, noHistograms(r)));
            }
          });
      return out;
    }
    Map<String, ChannelSpecs> specs = new HashMap<>();
    for (Map.Entry<String, ChannelRanges> e : ranges.entrySet()) {
      try {
        specs.put(
            e.getKey(), ChannelSpecs.forRanges(e.getKey(), e.getValue(), domains, bins, layout));
      } catch (IllegalArgumentException x) {
        throw JobException.usage(x.getMessage());
      }
    }
    Broadcast<Map<String, ChannelSpecs>> specBroadcast = jsc.broadcast(specs);
    Broadcast<Map<String, ChannelRanges>> rangeBroadcast = jsc.broadcast(new HashMap<>(ranges));
    try {
      jsc.sc().setJobDescription("qcal: per-channel pass 2 histograms and calibration searches");
      dump.aggregate(new HistogramFold(specBroadcast))
          .reduceByKey(PerChannelPasses::mergeHistograms)
          .filter(t -> t._2().channels() > 0)
          .mapToPair(
              t ->
                  new scala.Tuple2<>(
                      t._1(),
                      calibrator.calibrate(
                          t._1(), t._2().states(rangeBroadcast.value().get(t._1())))))
          .collectAsMap()
          .forEach(out::put);
    } finally {
      specBroadcast.destroy();
      rangeBroadcast.destroy();
    }
    return out;
  }

  private static ChannelStates noHistograms(ChannelRanges ranges) {
    return new ChannelStates(ranges, Collections.nCopies(ranges.count(), Map.of()));
  }

  /** Merges, naming the tensor as an input error when rows disagree (axis, channel count). */
  private static ChannelGridAccumulator mergeRanges(
      ChannelGridAccumulator a, ChannelGridAccumulator b) {
    try {
      return a.merge(b);
    } catch (IllegalArgumentException e) {
      throw new DumpRowException(e.getMessage());
    }
  }

  private static ChannelHistogramAccumulator mergeHistograms(
      ChannelHistogramAccumulator a, ChannelHistogramAccumulator b) {
    try {
      return a.merge(b);
    } catch (IllegalArgumentException e) {
      throw new DumpRowException(e.getMessage());
    }
  }

  /** Pass 1's fold. */
  private static final class RangeFold implements ChannelFold<ChannelGridAccumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public ChannelGridAccumulator create(String tensor) {
      return new ChannelGridAccumulator(tensor);
    }

    @Override
    public void add(ChannelGridAccumulator acc, int channel, float[] values, int from, int to) {
      acc.add(channel, values, from, to);
    }

    @Override
    public void addNulls(ChannelGridAccumulator acc, int channel, long count) {
      acc.addNulls(channel, count);
    }

    @Override
    public void add(
        ChannelGridAccumulator acc,
        ChannelSplit split,
        float[] values,
        int from,
        boolean[] isNull) {
      acc.add(split, values, from, isNull);
    }
  }

  /** Pass 2's fold: each tensor's accumulator carries its layouts, looked up once per task. */
  private static final class HistogramFold implements ChannelFold<ChannelHistogramAccumulator> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<Map<String, ChannelSpecs>> specs;

    HistogramFold(Broadcast<Map<String, ChannelSpecs>> specs) {
      this.specs = specs;
    }

    @Override
    public ChannelHistogramAccumulator create(String tensor) {
      ChannelSpecs s = specs.value().get(tensor);
      if (s == null) {
        throw new IllegalStateException(
            "Tensor '"
                + tensor
                + "' was not seen in per-channel pass 1: did the input change during the run?");
      }
      return new ChannelHistogramAccumulator(tensor, s);
    }

    @Override
    public void add(
        ChannelHistogramAccumulator acc, int channel, float[] values, int from, int to) {
      acc.add(channel, values, from, to);
    }

    @Override
    public void addNulls(ChannelHistogramAccumulator acc, int channel, long count) {
      // A null is no value: pass 1 counted it, no histogram holds it.
    }

    @Override
    public void add(
        ChannelHistogramAccumulator acc,
        ChannelSplit split,
        float[] values,
        int from,
        boolean[] isNull) {
      acc.add(split, values, from, isNull);
    }
  }
}
