package dev.qcal.jobs.scan;

import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import scala.Tuple2;

/**
 * The scan through Spark's own Parquet reader: the (tensor, float[]) chunks of {@code
 * DumpReader}, folded per partition. Handles every layout and encoding Spark reads.
 */
public final class SparkRowScan extends ChunkScan {
  private static final long serialVersionUID = 1L;

  private final transient JavaPairRDD<String, float[]> chunks;

  /** Folds {@code chunks}. */
  public SparkRowScan(JavaPairRDD<String, float[]> chunks) {
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
            Tuple2<String, float[]> t = it.next();
            sink.accept(t._1(), t._2(), 0, t._2().length);
          }
          return pairs(accumulators).iterator();
        });
  }
}
