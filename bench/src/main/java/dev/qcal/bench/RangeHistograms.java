package dev.qcal.bench;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.HistogramAccumulator;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.jobs.calibrate.Calibration;
import dev.qcal.jobs.scan.ChunkScan;
import dev.qcal.jobs.scan.ChunkScans;
import dev.qcal.jobs.scan.ReadCounters;
import dev.qcal.jobs.scan.Reader;
import dev.qcal.jobs.scan.TensorFold;
import dev.qcal.jobs.scan.TensorRanges;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * qcal's |x| histograms of every tensor of a dump in the range layout ({@code [0, max|x|]}, the
 * layout DuckDB's peer bins in), collected on the driver for the benchmark's check: the inputs
 * checked and the scan opened through jobs' public API, folded into core's accumulators in two
 * passes as a range-layout run does (range statistics, then histograms laid out from them).
 */
final class RangeHistograms {
  private RangeHistograms() {}

  /**
   * The |x| counts in {@code bins} bins of every tensor of {@code input}, read by {@code reader}.
   */
  static Map<String, long[]> absolute(SparkSession spark, String input, Reader reader, int bins) {
    SparkContext sc = spark.sparkContext();
    var checked = Calibration.builder().input(input).build().check(sc.hadoopConfiguration());
    ChunkScan chunks =
        ChunkScans.open(
            spark,
            reader,
            checked.files(),
            checked.dump(),
            null,
            Calibration.DEFAULT_CHUNK_VALUES,
            null,
            ReadCounters.register(sc));
    Map<String, HistogramSpec> specs = new HashMap<>();
    TensorRanges.of(chunks)
        .forEach(
            (name, stats) ->
                specs.put(
                    name,
                    HistogramSpec.forStats(Domain.ABSOLUTE, stats, bins, HistogramLayout.RANGE)));
    Broadcast<Map<String, HistogramSpec>> layouts =
        JavaSparkContext.fromSparkContext(sc).broadcast(specs);
    try {
      return new HashMap<>(
          chunks
              .aggregate(new HistogramFold(layouts))
              .reduceByKey(HistogramAccumulator::merge)
              .mapValues(h -> h.snapshot().counts())
              .collectAsMap());
    } finally {
      layouts.destroy();
    }
  }

  /** Pass 2: the |x| histogram per tensor, in the layout pass 1 fixed. */
  private static final class HistogramFold implements TensorFold<HistogramAccumulator> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<Map<String, HistogramSpec>> layouts;

    HistogramFold(Broadcast<Map<String, HistogramSpec>> layouts) {
      this.layouts = layouts;
    }

    @Override
    public HistogramAccumulator create(String tensor) {
      return new HistogramAccumulator(layouts.value().get(tensor));
    }

    @Override
    public void add(HistogramAccumulator acc, float[] values, int from, int to) {
      acc.add(acc.spec(), values, from, to);
    }

    @Override
    public void addNulls(HistogramAccumulator acc, long elements, long rows) {
      // A null is no value: pass 1 counted it, no histogram holds it.
    }
  }
}
