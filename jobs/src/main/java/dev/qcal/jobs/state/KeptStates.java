package dev.qcal.jobs.state;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * A run's per-tensor states kept on the executors from the merge to the write of {@code state/},
 * held as the rows {@code state/} will hold: each partition's states encoded once ({@link
 * StateRow#of}, or straight from the merged accumulators), sorted by name and persisted (byte
 * arrays: nothing for Java serialization to walk). The searches decode the rows they need ({@link
 * #states}, {@link #only}: a tensor outside the set is skipped by its name, never decoded), and
 * writing {@code state/} only slices them ({@link #range}): the states are neither serialized for
 * the cache, read back by every pass, nor encoded and sorted again for the write (at 20 000 tensors
 * those passes took about a third of the run after the scan, JFR).
 */
public final class KeptStates {
  private static final Comparator<StateRow> BY_NAME =
      Comparator.comparing(StateRow::tensor, new StateParquet.NameOrder());

  private final JavaRDD<StateRow[]> sorted;

  /**
   * Keeps the states whose rows are {@code rows} (computed when first used: the job that does holds
   * them after).
   */
  public KeptStates(JavaRDD<StateRow> rows) {
    this.sorted =
        rows.mapPartitions(KeptStates::sortedRows)
            // Memory and disk: a partition dropped from memory would be merged again by every use.
            .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** The rows of {@code states}, each encoded where it is ({@link StateRow#of}). */
  public static JavaRDD<StateRow> rows(JavaPairRDD<String, TensorState> states) {
    return states.map(t -> StateRow.of(t._1(), t._2()));
  }

  /** The number of tensors (one job, which computes and keeps the rows). */
  public long count() {
    return sorted.map(rows -> (long) rows.length).fold(0L, Long::sum);
  }

  /** Every state, decoded where it is used. */
  public JavaPairRDD<String, TensorState> states() {
    return sorted.flatMapToPair(rows -> decoded(rows, null));
  }

  /** The states of the tensors named in {@code names}; the others are not decoded. */
  public JavaPairRDD<String, TensorState> only(Set<String> names) {
    return sorted.flatMapToPair(rows -> decoded(rows, names));
  }

  /** {@code f} of every state, each beside its row: every row reaches the driver with it. */
  public <T> List<Tuple2<T, StateRow>> withRows(Function<Tuple2<String, TensorState>, T> f) {
    return sorted
        .flatMap(
            rows -> {
              List<Tuple2<T, StateRow>> out = new ArrayList<>(rows.length);
              for (StateRow r : rows) {
                out.add(new Tuple2<>(f.call(new Tuple2<>(name(r), r.state())), r));
              }
              return out.iterator();
            })
        .collect();
  }

  /** The rows of range {@code r} of {@code ranges}, in name order (one job). */
  List<StateRow> range(NameRanges ranges, int r) {
    List<StateRow[]> slices = sorted.map(rows -> slice(rows, ranges, r)).collect();
    List<StateRow> out = new ArrayList<>();
    for (StateRow[] s : slices) {
      out.addAll(Arrays.asList(s));
    }
    out.sort(BY_NAME); // a merge of the sorted slices
    return out;
  }

  /** Frees the kept rows. */
  public void release() {
    sorted.unpersist(false);
  }

  private static Iterator<StateRow[]> sortedRows(Iterator<StateRow> rows) {
    List<StateRow> all = new ArrayList<>();
    rows.forEachRemaining(all::add);
    StateRow[] out = all.toArray(new StateRow[0]);
    Arrays.sort(out, BY_NAME);
    return Collections.singletonList(out).iterator();
  }

  /** The states of {@code rows} (all when {@code names} is null), decoded one at a time. */
  private static Iterator<Tuple2<String, TensorState>> decoded(StateRow[] rows, Set<String> names) {
    return Arrays.stream(rows)
        .map(r -> new Tuple2<>(name(r), r))
        .filter(t -> names == null || names.contains(t._1()))
        .map(t -> new Tuple2<>(t._1(), t._2().state()))
        .iterator();
  }

  private static String name(StateRow r) {
    return new String(r.tensor(), StandardCharsets.UTF_8);
  }

  /** The rows of {@code sorted} (in name order) that {@code ranges} puts in range {@code r}. */
  static StateRow[] slice(StateRow[] sorted, NameRanges ranges, int r) {
    return Arrays.copyOfRange(sorted, first(sorted, ranges, r), first(sorted, ranges, r + 1));
  }

  /** The index of the first row in range {@code r} or after it (ranges follow name order). */
  private static int first(StateRow[] sorted, NameRanges ranges, int r) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ranges.getPartition(sorted[mid].tensor()) < r) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
