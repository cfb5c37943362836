package dev.qcal.jobs.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.channel.ChannelGridAccumulator;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.GrowingGridAccumulator;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.jobs.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * A state is written from rows collected in one job when the run has few tensors, from rows the
 * searches encoded beside their own (in the order their tasks finished), and from sorted name
 * ranges when it has many: the same states give the same files every way.
 */
@ExtendWith(SharedSpark.class)
class StateWritePathsTest {
  private static final Set<Domain> DOMAINS = EnumSet.of(Domain.ABSOLUTE, Domain.SIGNED);

  /** 600 tensors in no order, every tenth per channel too. */
  private static List<Tuple2<String, TensorState>> states() {
    List<Tuple2<String, TensorState>> out = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      int k = (i * 337) % 600;
      GrowingGridAccumulator tensor = new GrowingGridAccumulator(DOMAINS, 64);
      tensor.add(new float[] {k * 0.25f, -k, 1f / (k + 1), k % 7 == 0 ? Float.NaN : 3f});
      ChannelGridAccumulator channels = null;
      if (k % 10 == 0) {
        channels = new ChannelGridAccumulator("c" + k, EnumSet.of(Domain.ABSOLUTE), 32);
        channels.add(0, new float[] {k, 1f}, 0, 2);
        channels.add(1, new float[] {-k, 2f}, 0, 2);
      }
      // Names of several lengths, and beyond ASCII: UTF-8 bytes sort U+FF21 before U+1F600, which
      // UTF-16 (String.compareTo) puts first; both after 'z', like U+00E9.
      String name =
          switch (k) {
            case 5 -> "\u00e9";
            case 6 -> "\uff21";
            case 7 -> "\ud83d\ude00";
            default -> "layer." + k + (k % 3 == 0 ? ".weight" : ".in");
          };
      out.add(
          new Tuple2<>(
              name,
              new TensorState(
                  tensor.stats(),
                  tensor.histograms(),
                  channels == null ? null : channels.states(0))));
    }
    return out;
  }

  private static StateMeta meta() {
    return new StateMeta(
        "test", 64, HistogramLayout.GRID, DOMAINS, List.of("dump"), List.of(), 2400, 600, 32);
  }

  @Test
  void fewTensorsCollectedWholeOrEncodedBySearchesGiveTheBytesOfSortedRanges(
      SparkSession spark, @TempDir java.nio.file.Path tmp) throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Tuple2<String, TensorState>> states = states();
    JavaPairRDD<String, TensorState> rdd = jsc.parallelizePairs(states, 3);
    List<String> names = new ArrayList<>();
    states.forEach(t -> names.add(t._1()));
    // The run's names cut the ranges: 600 fit in one collect; with 5 500 names of tensors that
    // hold no state beside them the same states go through the sort, in ranges.
    List<String> manyNames = new ArrayList<>(names);
    for (int i = 0; i < 5500; i++) {
      manyNames.add("absent." + i);
    }
    java.nio.file.Path whole = tmp.resolve("whole");
    java.nio.file.Path ranges = tmp.resolve("ranges");
    java.nio.file.Path encoded = tmp.resolve("encoded");
    KeptStates kept = new KeptStates(KeptStates.rows(rdd));
    StateFiles.write(spark, kept, meta(), names, new Path(whole.toUri()));
    StateFiles.write(spark, kept, meta(), manyNames, new Path(ranges.toUri()));
    // The kept rows decode to the very states they encode, all of them or some by name.
    assertEquals(600, kept.count());
    assertEquals(encoded(states), encoded(kept.states().collect()));
    Set<String> some = Set.of(names.get(7), names.get(300), "absent.3");
    assertEquals(
        encoded(states.stream().filter(t -> some.contains(t._1())).toList()),
        encoded(kept.only(some).collect()));
    kept.release();
    List<StateRow> rows = new ArrayList<>(rdd.map(t -> StateRow.of(t._1(), t._2())).collect());
    Collections.reverse(rows);
    StateFiles.write(spark, rows, meta(), new Path(encoded.toUri()));
    for (String f : List.of(StateFiles.DATA_FILE, StateFiles.META)) {
      assertArrayEquals(
          Files.readAllBytes(ranges.resolve(f)), Files.readAllBytes(whole.resolve(f)), f);
      assertArrayEquals(
          Files.readAllBytes(ranges.resolve(f)), Files.readAllBytes(encoded.resolve(f)), f);
    }
    // And the file holds every state, in name order, as read back.
    List<Tuple2<String, TensorState>> back =
        StateFiles.open(whole.toString(), spark.sparkContext().hadoopConfiguration())
            .read(spark)
            .collect();
    assertEquals(600, back.size());
    for (int i = 1; i < back.size(); i++) {
      assertTrue(
          new StateParquet.NameOrder()
                  .compare(
                      back.get(i - 1)._1().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                      back.get(i)._1().getBytes(java.nio.charset.StandardCharsets.UTF_8))
              < 0);
    }
    assertEquals(
        List.of("\u00e9", "\uff21", "\ud83d\ude00"),
        back.subList(back.size() - 3, back.size()).stream().map(Tuple2::_1).toList());
  }

  /** Each state's row bytes by name: equal exactly when the states encode alike. */
  private static Map<String, List<String>> encoded(List<Tuple2<String, TensorState>> states) {
    Map<String, List<String>> out = new TreeMap<>();
    for (Tuple2<String, TensorState> t : states) {
      StateRow r = StateRow.of(t._1(), t._2());
      List<String> parts = new ArrayList<>();
      parts.add(Arrays.toString(r.stats()));
      for (byte[] h : r.histograms()) {
        parts.add(Arrays.toString(h));
      }
      parts.add(Arrays.toString(r.channels()));
      assertEquals(null, out.put(t._1(), parts), t._1());
    }
    return out;
  }
}
