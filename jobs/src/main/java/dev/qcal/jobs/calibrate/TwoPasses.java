package dev.qcal.jobs.calibrate;

import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.jobs.scan.ChunkScan;
import dev.qcal.jobs.scan.TensorFold;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.broadcast.Broadcast;

/**
 * The two passes over the chunks, as keyed aggregations merged on the executors: pass 1 range
 * statistics per tensor ({@link TensorRanges}), then, once the driver has fixed each tensor's
 * layouts from them ({@link SearchStage}), pass 2 histograms in those layouts ({@link
 * #histograms}). The range layout's scan (NVIDIA's edges need the global max first), and a grid
 * run's when it merges states that may not coarsen exactly; otherwise the grid layout scans once
 * ({@link OneScan}). Nothing here touches a value: the accumulators of core do.
 */
final class TwoPasses {
  private TwoPasses() {}

  /** Pass 2's fold: each tensor's accumulator carries its layouts, looked up once per partition. */
  private static final class HistogramFold implements TensorFold<PassTwoHistograms> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<Map<String, HistogramSpec[]>> specs;

    HistogramFold(Broadcast<Map<String, HistogramSpec[]>> specs) {
      this.specs = specs;
    }

    @Override
    public PassTwoHistograms create(String tensor) {
      return new PassTwoHistograms(specOf(specs.value(), tensor));
    }

    @Override
    public void add(PassTwoHistograms acc, float[] values, int from, int to) {
      acc.add(values, from, to);
    }

    @Override
    public void addNulls(PassTwoHistograms acc, long elements, long rows) {
      // A null is no value: pass 1 counted it, no histogram holds it.
    }
  }

  /** The histograms of pass 2 per tensor, merged on the executors (not yet collected). */
  static JavaPairRDD<String, PassTwoHistograms> histograms(
      ChunkScan chunks, Broadcast<Map<String, HistogramSpec[]>> specs) {
    JavaPairRDD<String, PassTwoHistograms> folded = chunks.aggregate(new HistogramFold(specs));
    return folded.reduceByKey(PassTwoHistograms::merge, SearchPartitions.of(folded));
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
