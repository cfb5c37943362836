package dev.qcal.jobs.scan;

import dev.qcal.core.channel.ChannelSplit;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import scala.Tuple2;

/**
 * A dump as Spark partitions of (tensor, float chunk) slices, folded per partition into one
 * accumulator per tensor: the map side of both passes. Each partition emits each of its tensors
 * once, so the shuffle carries (partitions × tensors) small states, never a chunk.
 */
public abstract class ChunkScan implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The reader's name, for the summary ({@code spark} or {@code pages}). */
  public abstract String reader();

  /** (tensor, accumulator) pairs: one per tensor per partition, not yet merged. */
  public abstract <A> JavaPairRDD<String, A> aggregate(TensorFold<A> fold);

  /** A sink that folds into {@code accumulators}, creating one per new tensor. */
  static <A> ChunkSink folding(TensorFold<A> fold, Map<String, A> accumulators) {
    return new ChunkSink() {
      @Override
      public void accept(String tensor, float[] values, int from, int to) {
        fold.add(accumulator(tensor), values, from, to);
      }

      @Override
      public void nulls(String tensor, long elements, long rows) {
        fold.addNulls(accumulator(tensor), elements, rows);
      }

      @Override
      public void channelRow(
          String tensor,
          ChannelSplit split,
          int channel,
          float[] values,
          int count,
          boolean[] isNull) {
        fold.addChannels(accumulator(tensor), split, channel, values, count, isNull);
      }

      private A accumulator(String tensor) {
        A acc = accumulators.get(tensor);
        if (acc == null) {
          acc = fold.create(tensor);
          accumulators.put(tensor, acc);
        }
        return acc;
      }
    };
  }

  /** The accumulators of a partition as pairs. */
  static <A> List<Tuple2<String, A>> pairs(Map<String, A> accumulators) {
    List<Tuple2<String, A>> out = new ArrayList<>(accumulators.size());
    accumulators.forEach((k, v) -> out.add(new Tuple2<>(k, v)));
    return out;
  }

  static <A> Map<String, A> newMap() {
    return new HashMap<>();
  }
}
