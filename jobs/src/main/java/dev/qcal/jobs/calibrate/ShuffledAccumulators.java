package dev.qcal.jobs.calibrate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import scala.Tuple2;

/**
 * The merge of the one scan's accumulators per tensor, {@code reduceByKey(TensorAccumulator::merge,
 * partitions)} in effect, with the shuffle carrying bytes: each map task puts its accumulators into
 * one {@link AccumulatorBatch} per merge partition (the partition {@code reduceByKey}'s hash
 * partitioner gives the tensor's name) and ships those few arrays; each merge task reads its
 * batches and merges per tensor.
 *
 * <p>Why: {@code reduceByKey} shipped one (name, accumulator) record per tensor and task through
 * Spark's Java serialization, whose generic paths ({@code ObjectOutputStream.writeObject0}, {@code
 * ObjectInputStream.readSerialData}) then ran hot enough for C2 to compile them (JFR), and put
 * every record in its map-side combine map, which Spark's {@code SizeEstimator} samples as it
 * grows, though a task emits each tensor once and has nothing to combine. A shuffle without
 * aggregation goes through Spark's bypass writer, a few arrays into a file per partition. 20 000
 * tensors of 5 000 values, alternating runs under load: user + sys CPU 14.95 to 13.58 s and 15.24
 * to 13.28 s (medians of 3), the 500-tensor 1e8 dump 5.77 to 5.49 s (5), same bytes out.
 */
final class ShuffledAccumulators {
  /**
   * The most bytes a batch collects before it is shipped and a new one started (a task of many
   * large tensors still ships arrays far below the 2 GB an array can hold).
   */
  static final int BATCH_BYTES = 16 << 20;

  private ShuffledAccumulators() {}

  /** {@code all}'s accumulators merged per tensor, in {@code partitions} partitions. */
  static JavaPairRDD<String, TensorAccumulator> merged(
      JavaPairRDD<String, TensorAccumulator> all, int partitions) {
    HashPartitioner byName = new HashPartitioner(partitions);
    return all.mapPartitionsToPair(it -> batches(it, byName))
        // The keys are partition numbers, 0 to partitions - 1: the hash partitioner puts each into
        // its own partition (an Integer hashes to itself).
        .partitionBy(byName)
        .mapPartitionsToPair(ShuffledAccumulators::merge);
  }

  /** A task's accumulators as batches keyed by the merge partition of their tensors. */
  private static Iterator<Tuple2<Integer, byte[]>> batches(
      Iterator<Tuple2<String, TensorAccumulator>> it, HashPartitioner byName) {
    AccumulatorBatch[] open = new AccumulatorBatch[byName.numPartitions()];
    List<Tuple2<Integer, byte[]>> out = new ArrayList<>();
    while (it.hasNext()) {
      Tuple2<String, TensorAccumulator> t = it.next();
      int p = byName.getPartition(t._1());
      if (open[p] == null) {
        open[p] = new AccumulatorBatch();
      }
      open[p].add(t._1(), t._2());
      if (open[p].size() >= BATCH_BYTES) {
        out.add(new Tuple2<>(p, open[p].toBytes()));
        open[p] = null;
      }
    }
    for (int p = 0; p < open.length; p++) {
      if (open[p] != null) {
        out.add(new Tuple2<>(p, open[p].toBytes()));
      }
    }
    return out.iterator();
  }

  /** A merge task's batches read and merged per tensor. */
  private static Iterator<Tuple2<String, TensorAccumulator>> merge(
      Iterator<Tuple2<Integer, byte[]>> it) {
    Map<String, TensorAccumulator> merged = new HashMap<>();
    while (it.hasNext()) {
      AccumulatorBatch.forEach(
          it.next()._2(), (name, a) -> merged.merge(name, a, TensorAccumulator::merge));
    }
    List<Tuple2<String, TensorAccumulator>> out = new ArrayList<>(merged.size());
    merged.forEach((name, a) -> out.add(new Tuple2<>(name, a)));
    return out.iterator();
  }
}
