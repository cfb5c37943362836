package dev.qcal.core.histogram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.stats.RangeStats;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link HistogramAccumulator} holds a small tensor's counts sparsely and turns them dense when a
 * dense array is no larger or the tensor is large: whichever form each side is in, adds, merges and
 * regrids give the counts of a direct fill, and the merge laws hold for every pair of forms.
 */
class SparseDenseAccumulatorTest {
  private static final int BINS = 2048;

  /** Values that leave the counts sparse, dense by sparsity, and dense by count. */
  private static final int[] SIZES = {0, 1, 37, 300, 4000, 40_000};

  @ParameterizedTest
  @EnumSource(Domain.class)
  void everyFormCountsWhatADirectFillCounts(Domain domain) throws Exception {
    SplittableRandom r = new SplittableRandom(domain.ordinal() + 11);
    for (int size : SIZES) {
      float[] v = values(r, size);
      HistogramSpec spec = spec(domain, v);
      // One slice, many slices, and a slice at a time merged: all equal the reference fill.
      HistogramAccumulator whole = new HistogramAccumulator().add(spec, v, 0, v.length);
      HistogramAccumulator sliced = new HistogramAccumulator(spec);
      HistogramAccumulator merged = new HistogramAccumulator(spec);
      for (int from = 0; from < v.length; from += 97) {
        int to = Math.min(v.length, from + 97);
        sliced.add(spec, v, from, to);
        merged.merge(new HistogramAccumulator().add(spec, v, from, to));
      }
      Histogram expected = ReferenceFill.fill(spec, v, 0, v.length);
      String where = domain + " size " + size;
      assertEquals(expected, whole.snapshot(), where);
      assertEquals(expected, sliced.snapshot(), where);
      assertEquals(expected, merged.snapshot(), where);
      assertEquals(expected, roundTrip(sliced).snapshot(), where);
      assertEquals(expected, new HistogramAccumulator().merge(expected).snapshot(), where);
      for (HistogramAccumulator a : List.of(whole, sliced, merged, roundTrip(sliced))) {
        assertArrayEquals(expected.toBytes(), a.snapshotBytes(), where);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Domain.class)
  void stateBytesAreTheSnapshotsBytesInEitherForm(Domain domain) throws Exception {
    // Counts of one, two and three varint bytes in sparse counts (a few values repeated: sparse
    // below 16 values a bin, so LOG2's 1 024 bins hold two-byte counts at most), the first and
    // last bins, the outside counts; the same values dense; and a layout with nothing added.
    float[] few = {0.001f, 0.5f, 1.999f, -1.999f, Float.NaN, Float.POSITIVE_INFINITY, -0.25f, 0f};
    int many = domain == Domain.LOG2 ? 16_000 : 20_000;
    float[] v = new float[many + 200 + few.length];
    Arrays.fill(v, 0, many, 0.75f);
    Arrays.fill(v, many, many + 200, -0.125f);
    System.arraycopy(few, 0, v, many + 200, few.length);
    HistogramSpec spec = spec(domain, v);
    HistogramAccumulator sparse = new HistogramAccumulator().add(spec, v, 0, v.length);
    HistogramAccumulator dense = new HistogramAccumulator(spec);
    dense.densify();
    dense.add(spec, v, 0, v.length);
    assertTrue(sparse.retainedBytes() < 8 * spec.binCount(), "still sparse");
    for (HistogramAccumulator a : List.of(sparse, dense, new HistogramAccumulator(spec))) {
      assertArrayEquals(a.snapshot().toBytes(), a.snapshotBytes(), domain.toString());
      assertEquals(a.snapshot(), Histogram.fromBytes(a.snapshotBytes()), domain.toString());
    }
    assertThrows(IllegalStateException.class, () -> new HistogramAccumulator().snapshotBytes());
  }

  @ParameterizedTest
  @EnumSource(Domain.class)
  void mergeLawsHoldForEveryPairOfForms(Domain domain) throws Exception {
    SplittableRandom r = new SplittableRandom(domain.ordinal() + 5);
    float[] all = values(r, 50_000);
    HistogramSpec spec = spec(domain, all);
    List<HistogramAccumulator> parts = new ArrayList<>();
    int from = 0;
    for (int size : SIZES) {
      parts.add(new HistogramAccumulator().add(spec, all, from, from + size));
      from += size;
    }
    parts.add(new HistogramAccumulator()); // the identity, with no layout yet
    for (HistogramAccumulator a : parts) {
      for (HistogramAccumulator b : parts) {
        // Commutative.
        assertEquals(merge(a, b), merge(b, a), domain.toString());
        // The empty accumulator is the identity.
        assertEquals(merge(a, new HistogramAccumulator()), merge(new HistogramAccumulator(), a));
        for (HistogramAccumulator c : parts) {
          // Associative.
          HistogramAccumulator left = copy(a).merge(copy(b)).merge(copy(c));
          HistogramAccumulator right = copy(a).merge(copy(b).merge(copy(c)));
          if (left.spec() != null) {
            assertEquals(left.snapshot(), right.snapshot(), domain.toString());
          }
        }
      }
    }
    HistogramAccumulator total = new HistogramAccumulator();
    for (HistogramAccumulator p : parts) {
      total.merge(p);
    }
    assertEquals(ReferenceFill.fill(spec, all, 0, from), total.snapshot(), domain.toString());
  }

  @ParameterizedTest
  @EnumSource(Domain.class)
  void regriddingAndRegriddedMergesAreExactInEitherForm(Domain domain) throws Exception {
    SplittableRandom r = new SplittableRandom(domain.ordinal() + 3);
    for (int size : SIZES) {
      float[] small = values(r, size);
      float[] wide = small.clone();
      for (int i = 0; i < wide.length; i++) {
        wide[i] *= 64;
      }
      HistogramSpec narrow = spec(domain, small);
      HistogramSpec coarse = spec(domain, concat(small, wide));
      Histogram expected = ReferenceFill.fill(narrow, small, 0, small.length).regrid(coarse);
      HistogramAccumulator a = new HistogramAccumulator().add(narrow, small, 0, small.length);
      assertEquals(expected, copy(a).regrid(coarse).snapshot(), domain + " size " + size);
      HistogramAccumulator b = new HistogramAccumulator().add(coarse, wide, 0, wide.length);
      assertEquals(
          expected.merge(ReferenceFill.fill(coarse, wide, 0, wide.length)),
          copy(b).mergeRegridded(a).snapshot(),
          domain + " size " + size);
    }
  }

  /**
   * A regrid that cannot be exact (to narrower bins, or for LOG2 to a range ending below the data)
   * is refused naming both layouts and leaves either form as it was.
   */
  @ParameterizedTest
  @EnumSource(Domain.class)
  void aRefusedRegridChangesNothingInEitherForm(Domain domain) throws Exception {
    SplittableRandom r = new SplittableRandom(domain.ordinal() + 11);
    for (int size : new int[] {37, 40_000}) {
      float[] wide = values(r, size);
      float[] narrow = wide.clone();
      for (int i = 0; i < narrow.length; i++) {
        narrow[i] /= 64;
      }
      HistogramSpec from = spec(domain, wide);
      HistogramSpec finer = spec(domain, narrow);
      HistogramAccumulator a = new HistogramAccumulator().add(from, wide, 0, wide.length);
      Histogram before = a.snapshot();
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> a.regrid(finer));
      assertTrue(
          e.getMessage().contains(from.toString()) && e.getMessage().contains(finer.toString()),
          e.getMessage());
      assertEquals(before, a.snapshot(), domain + " size " + size);
    }
  }

  @ParameterizedTest
  @EnumSource(Domain.class)
  void aSmallTensorShipsItsNonEmptyBinsNotADenseArray(Domain domain) throws Exception {
    float[] v = values(new SplittableRandom(1), 200);
    HistogramSpec spec = spec(domain, v);
    HistogramAccumulator acc = new HistogramAccumulator().add(spec, v, 0, v.length);
    // At most 200 bins of 12 bytes and the layout, against 8 bytes for each of the bins.
    int size = serialize(acc).length;
    assertTrue(size < 200 * 12 + 1024, domain + ": " + size);
    assertTrue(size < 8 * spec.binCount(), domain + ": " + size);
  }

  private static HistogramSpec spec(Domain domain, float[] values) {
    return HistogramSpec.forStats(domain, RangeStats.of(values), BINS, HistogramLayout.GRID);
  }

  /** Gaussian values with a few specials (NaN, ±∞, zeros; negatives fall under LOG2's range). */
  private static float[] values(SplittableRandom r, int size) {
    float[] v = new float[size];
    for (int i = 0; i < size; i++) {
      int kind = r.nextInt(200);
      v[i] =
          kind == 0
              ? Float.NaN
              : kind == 1 ? Float.NEGATIVE_INFINITY : kind == 2 ? 0f : (float) gaussian(r);
    }
    return v;
  }

  private static double gaussian(SplittableRandom r) {
    double u = r.nextDouble(Double.MIN_VALUE, 1.0);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
  }

  private static float[] concat(float[] a, float[] b) {
    float[] out = new float[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** What merging copies of both gives (null when neither has a layout). */
  private static Histogram merge(HistogramAccumulator a, HistogramAccumulator b) throws Exception {
    HistogramAccumulator m = copy(a).merge(copy(b));
    return m.spec() == null ? null : m.snapshot();
  }

  private static HistogramAccumulator copy(HistogramAccumulator a) throws Exception {
    return roundTrip(a);
  }

  private static HistogramAccumulator roundTrip(HistogramAccumulator a)
      throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialize(a)))) {
      return (HistogramAccumulator) in.readObject();
    }
  }

  private static byte[] serialize(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }
}
