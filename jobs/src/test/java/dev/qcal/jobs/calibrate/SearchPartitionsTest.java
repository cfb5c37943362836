package dev.qcal.jobs.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.jobs.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import scala.Tuple2;

/** The merge's partition count: at least four tasks a core, at most twice the scan's. */
@ExtendWith(SharedSpark.class)
class SearchPartitionsTest {
  @Test
  void raisesTheScansPartitionsToFourACoreButNoMoreThanDouble(SparkSession spark) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int cores = jsc.defaultParallelism();
    int wanted = SearchPartitions.PER_CORE * cores;
    assertEquals(2, SearchPartitions.of(scan(jsc, 1)));
    assertEquals(Math.min(wanted, 10), SearchPartitions.of(scan(jsc, 5)));
    assertEquals(Math.max(wanted, 40), SearchPartitions.of(scan(jsc, 40)));
    assertEquals(wanted + 1, SearchPartitions.of(scan(jsc, wanted + 1)));
  }

  private static JavaPairRDD<String, Integer> scan(JavaSparkContext jsc, int partitions) {
    List<Tuple2<String, Integer>> rows = new ArrayList<>();
    for (int i = 0; i < 3 * partitions; i++) {
      rows.add(new Tuple2<>("t" + i, i));
    }
    return jsc.parallelizePairs(rows, partitions);
  }
}
