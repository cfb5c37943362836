package dev.qcal.jobs.scan;

import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.stats.RangeStatsAccumulator;
import java.util.HashMap;
import java.util.Map;

/**
 * Range statistics per tensor over a scan, merged on the executors and collected (a few dozen bytes
 * a tensor): pass 1 of a two-pass run, and what the benchmark's check lays its histograms out from.
 */
public final class TensorRanges {
  private TensorRanges() {}

  /**
   * Each partition folds its chunks into one accumulator per tensor; the shuffle merges those.
   *
   * @return every tensor's range statistics, by name
   */
  public static Map<String, RangeStats> of(ChunkScan scan) {
    return new HashMap<>(
        scan.aggregate(new RangeFold())
            .reduceByKey(RangeStatsAccumulator::merge)
            .mapValues(RangeStatsAccumulator::snapshot)
            .collectAsMap());
  }

  /** The fold into range statistics. */
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
}
