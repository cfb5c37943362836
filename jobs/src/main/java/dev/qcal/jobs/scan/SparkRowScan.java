package dev.qcal.jobs.scan;

import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import scala.Tuple2;

/**
 * The scan through Spark's own Parquet reader: the (tensor, chunk) pairs of {@code DumpReader},
 * folded per partition. Handles every layout and encoding Spark reads.
 */
public final class SparkRowScan extends ChunkScan {
  private static final long serialVersionUID = 1L;

  private final transient JavaPairRDD<String, Chunk> chunks;

  /** Folds {@code chunks}. */
  public SparkRowScan(JavaPairRDD<String, Chunk> chunks) {
    this.chunks = chunks;
  }

  @Override
  public String reader() {
    return Reader.SPARK.key();
  }

  @Override
  public <A> JavaPairRDD<String, A> aggregate(TensorFold<A> fold) {
    return chunks.mapPartitionsToPair(
        it -> {
          Map<String, A> accumulators = newMap();
          ChunkSink sink = folding(fold, accumulators);
          while (it.hasNext()) {
            Tuple2<String, Chunk> t = it.next();
            Chunk c = t._2();
            sink.accept(t._1(), c.values(), 0, c.values().length);
            if (c.hasNulls()) {
              sink.nulls(t._1(), c.nulls(), c.nullRows());
            }
          }
          return pairs(accumulators).iterator();
        });
  }
}
