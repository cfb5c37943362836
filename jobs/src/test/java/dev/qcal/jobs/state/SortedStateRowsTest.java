package dev.qcal.jobs.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.jobs.testing.SharedSpark;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** How the state's rows are cut into ranges and brought to the driver in order. */
@ExtendWith(SharedSpark.class)
class SortedStateRowsTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void rangesHoldConsecutiveNamesOfAboutTheSameCount() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      names.add(String.format("layer%05d", (i * 7919) % 2500)); // not in order
    }
    NameRanges ranges = NameRanges.of(names, 1000, 3);
    assertEquals(3, ranges.numPartitions());
    int[] counts = new int[3];
    int previous = 0;
    List<String> sorted = new ArrayList<>(names);
    sorted.sort(null);
    for (String n : sorted) {
      int p = ranges.getPartition(utf8(n));
      assertTrue(p >= previous, n + " went back to range " + p);
      previous = p;
      counts[p]++;
    }
    assertEquals(List.of(834, 834, 832), Arrays.stream(counts).boxed().toList());
    // Names it was not built from land in order too: before the first, between, after the last.
    assertEquals(0, ranges.getPartition(utf8("a")));
    assertEquals(1, ranges.getPartition(utf8("layer00833x")));
    assertEquals(2, ranges.getPartition(utf8("zzz")));
    // The order is the UTF-8 bytes', unsigned (Spark's string order): é (0xC3 0xA9) after z.
    assertEquals(2, ranges.getPartition(utf8("\u00e9")));
  }

  @Test
  void fewNamesAreCutIntoAsManyRangesAsAskedForAtLeast() {
    NameRanges ranges = NameRanges.of(List.of("e", "a", "d", "b", "c"), 1000, 4);
    assertEquals(4, ranges.numPartitions());
    int[] counts = new int[4];
    for (String n : List.of("a", "b", "c", "d", "e")) {
      counts[ranges.getPartition(utf8(n))]++;
    }
    assertEquals(List.of(2, 2, 1, 0), Arrays.stream(counts).boxed().toList());
    assertEquals(2, NameRanges.of(List.of("b", "a"), 1000, 3).numPartitions());
  }

  @Test
  void noNamesGiveOneRange() {
    NameRanges ranges = NameRanges.of(List.of(), 1000, 3);
    assertEquals(1, ranges.numPartitions());
    assertEquals(0, ranges.getPartition(utf8("anything")));
  }

  @Test
  void slicesOfAPartitionsSortedRowsAreItsRowsOfEachRange() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      names.add("layer" + (i * 7) % 50);
    }
    names.add("\u00e9");
    NameRanges ranges = NameRanges.of(names, 7, 3);
    // One partition's rows: every third name and a name the ranges were not built from.
    List<StateRow> held = new ArrayList<>();
    for (int i = 0; i < names.size(); i += 3) {
      held.add(new StateRow(utf8(names.get(i)), new byte[0], new byte[0][], null));
    }
    held.add(new StateRow(utf8("layer25x"), new byte[0], new byte[0][], null));
    StateRow[] sorted = held.toArray(new StateRow[0]);
    Arrays.sort(sorted, (a, b) -> Arrays.compareUnsigned(a.tensor(), b.tensor()));
    List<StateRow> all = new ArrayList<>();
    for (int r = 0; r < ranges.numPartitions(); r++) {
      for (StateRow row : KeptStates.slice(sorted, ranges, r)) {
        assertEquals(r, ranges.getPartition(row.tensor()), new String(row.tensor(), UTF_8));
        all.add(row);
      }
    }
    assertEquals(Arrays.asList(sorted), all);
    assertEquals(0, KeptStates.slice(new StateRow[0], ranges, 1).length);
  }

  @Test
  void partitionsComeInOrderWithTheNextOnesCollectedMeanwhile(SparkSession spark) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Integer> values = IntStream.range(0, 10_000).boxed().toList();
    JavaRDD<Integer> rdd = sc.parallelize(values, 7);
    List<Integer> seen = new ArrayList<>();
    try (InOrderPartitions<Integer> it = new InOrderPartitions<>(rdd, 2)) {
      it.forEachRemaining(seen::add);
    }
    assertEquals(values, seen);
  }

  @Test
  void aFailingPartitionFailsTheIteration(SparkSession spark) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<Integer> rdd =
        sc.parallelize(IntStream.range(0, 100).boxed().toList(), 4)
            .map(
                i -> {
                  if (i == 80) {
                    throw new IllegalArgumentException("bad value " + i);
                  }
                  return i;
                });
    try (InOrderPartitions<Integer> it = new InOrderPartitions<>(rdd, 1)) {
      RuntimeException e =
          assertThrows(
              RuntimeException.class,
              () -> {
                while (it.hasNext()) {
                  it.next();
                }
              });
      assertTrue(String.valueOf(e.getMessage()).contains("bad value 80"), e.getMessage());
    }
  }
}
