package dev.qcal.core.histogram;

import static dev.qcal.core.testing.Throwing.assertThrowsSaying;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.stats.RangeStats;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both fills of {@link HistogramAccumulator} (through the thread's scratch histogram, and direct)
 * give exactly the histogram of the one-value-at-a-time {@link ReferenceFill} loops: same counts,
 * below, above and NaN, on seeded random data with every awkward value (NaN, ±Inf, ±0, subnormals,
 * exact edges and their neighbours, {@code hi} itself), for every domain, several bin counts, and
 * arbitrary slices.
 */
class HistogramFillEquivalenceTest {
  private static final int SEEDS = 4;
  private static final int LENGTH = 20_000;

  /** Kinds of test data. */
  private enum Data {
    GAUSSIAN,
    RELU,
    HEAVY,
    SPECIALS,
    EDGES,
    LOG_UNIFORM
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (Data data : Data.values()) {
      for (int seed = 0; seed < SEEDS; seed++) {
        for (HistogramSpec spec : specs(seed)) {
          cases.add(Arguments.of(data, seed, spec));
        }
      }
    }
    return cases.stream();
  }

  /**
   * The loops {@link SliceFill} runs: picked by slice length (as the accumulator does), or forced.
   */
  enum Loops {
    BY_LENGTH,
    SCRATCH,
    DIRECT
  }

  /** Every case under each choice of loops. */
  static Stream<Arguments> casesByPath() {
    return cases()
        .flatMap(
            c ->
                Stream.of(Loops.values())
                    .map(p -> Arguments.of(c.get()[0], c.get()[1], c.get()[2], p)));
  }

  /** Counts filled slice by slice through {@link SliceFill} with the given loops. */
  private static final class Filled {
    private final HistogramSpec spec;
    private final long[] counts;
    private long below;
    private long above;
    private long nan;

    Filled(HistogramSpec spec) {
      this.spec = spec;
      this.counts = new long[spec.binCount()];
    }

    Filled add(float[] v, int from, int to, Loops loops) {
      SliceFill fill = new SliceFill(spec, counts);
      fill.add(
          v,
          from,
          to,
          loops == Loops.BY_LENGTH ? fill.scratchPays(to - from) : loops == Loops.SCRATCH);
      below += fill.below();
      above += fill.above();
      nan += fill.nan();
      return this;
    }

    Histogram histogram() {
      return Histogram.of(spec, counts, below, above, nan);
    }
  }

  private static List<HistogramSpec> specs(int seed) {
    List<HistogramSpec> specs = new ArrayList<>();
    int[] bins = {8, 2048, 8001, 1 << 20};
    int n = bins[seed % bins.length];
    float[] sample = gaussian(new SplittableRandom(seed), 1000);
    RangeStats stats = RangeStats.of(sample);
    // Layouts from the data (hi is the largest |x| of a first sample, so later values fall above).
    specs.add(HistogramSpec.forStats(Domain.ABSOLUTE, stats, n));
    specs.add(HistogramSpec.forStats(Domain.SIGNED, stats, n));
    specs.add(HistogramSpec.forStats(Domain.LOG2, stats, n));
    // Ranges that are not float32 values, and asymmetric ones.
    specs.add(HistogramSpec.absolute(0.1, n));
    specs.add(HistogramSpec.absolute(1.7, 8001));
    specs.add(HistogramSpec.signed(-0.7, 2.3, n));
    // ABSOLUTE grids (half-open, n/hi a power of two), the narrowest among them; ranges whose
    // n/hi overflows to +Inf or sits near the smallest doubles, and one reaching Float.MAX_VALUE.
    specs.add(HistogramSpec.grid(Domain.ABSOLUTE, stats.absMax(), n));
    specs.add(HistogramSpec.grid(Domain.ABSOLUTE, 0, n));
    specs.add(HistogramSpec.absolute(1e-306, 2048));
    specs.add(HistogramSpec.absolute(3 * Float.MIN_VALUE, 2048));
    specs.add(HistogramSpec.absolute(Float.MAX_VALUE, 2048));
    specs.add(HistogramSpec.signed(0.25, 1.0, 2048));
    // Log layouts reaching the subnormals and the top of the float range.
    specs.add(new HistogramSpec(Domain.LOG2, -150, -86, 1024));
    specs.add(new HistogramSpec(Domain.LOG2, 64, 129, 65 * 16));
    specs.add(new HistogramSpec(Domain.LOG2, -2, -1, 16));
    specs.add(new HistogramSpec(Domain.LOG2, -150, 130, 280 * 16));
    return specs;
  }

  @ParameterizedTest(name = "{0} seed {1} {2} {3}")
  @MethodSource("casesByPath")
  void wholeArrayMatchesTheReference(Data data, int seed, HistogramSpec spec, Loops loops) {
    float[] v = values(data, seed, spec);
    Histogram expected = ReferenceFill.fill(spec, v, 0, v.length);
    Filled filled = new Filled(spec);
    assertEquals(expected, filled.add(v, 0, v.length, loops).histogram());
    // Twice: the thread's scratch histogram was left clear by the first call.
    assertEquals(expected.merge(expected), filled.add(v, 0, v.length, loops).histogram());
    if (loops == Loops.BY_LENGTH) {
      HistogramAccumulator acc = new HistogramAccumulator(spec);
      assertEquals(expected, acc.add(spec, v, 0, v.length).snapshot());
      assertEquals(expected.merge(expected), acc.add(spec, v, 0, v.length).snapshot());
    }
  }

  @ParameterizedTest(name = "{0} seed {1} {2} {3}")
  @MethodSource("casesByPath")
  void slicesAddUpToTheReference(Data data, int seed, HistogramSpec spec, Loops loops) {
    float[] v = values(data, seed, spec);
    SplittableRandom random = new SplittableRandom(seed * 31L + 7);
    HistogramAccumulator acc = new HistogramAccumulator();
    Filled filled = new Filled(spec);
    Histogram expected = Histogram.empty(spec);
    for (int k = 0; k < 12; k++) {
      // Odd offsets and lengths (0, 1, 2, 3 included) so every unrolled tail runs.
      int from = random.nextInt(v.length);
      int to = Math.min(v.length, from + (k < 4 ? k : random.nextInt(v.length / 3)));
      filled.add(v, from, to, loops);
      acc.add(spec, v, from, to);
      expected = expected.merge(ReferenceFill.fill(spec, v, from, to));
      if (k % 5 == 4) {
        assertEquals(expected, filled.histogram(), "after slice " + k);
      }
    }
    assertEquals(expected, filled.histogram());
    assertEquals(expected, acc.snapshot());
  }

  @ParameterizedTest(name = "{0} seed {1} {2}")
  @MethodSource("cases")
  void mergeAndSerializationKeepEveryCount(Data data, int seed, HistogramSpec spec)
      throws IOException, ClassNotFoundException {
    float[] v = values(data, seed, spec);
    int half = v.length / 2 + seed;
    HistogramAccumulator a = new HistogramAccumulator().add(spec, v, 0, half);
    HistogramAccumulator b = new HistogramAccumulator().add(spec, v, half, v.length);
    // Java serialization, as Spark ships accumulators.
    HistogramAccumulator shipped = roundTrip(b);
    HistogramAccumulator merged = roundTrip(a).merge(shipped);
    shipped.add(spec, v, 0, 10); // a deserialized accumulator keeps working
    assertEquals(ReferenceFill.fill(spec, v, 0, v.length), merged.snapshot());
    assertEquals(
        ReferenceFill.fill(spec, v, half, v.length).merge(ReferenceFill.fill(spec, v, 0, 10)),
        shipped.snapshot());
    // The receiver of a merge is not disturbed either.
    HistogramAccumulator c = new HistogramAccumulator().add(spec, v, 0, half);
    c.merge(new HistogramAccumulator().add(spec, v, half, v.length));
    c.merge(b.snapshot().merge(Histogram.empty(spec)));
    assertEquals(
        ReferenceFill.fill(spec, v, 0, v.length).merge(ReferenceFill.fill(spec, v, half, v.length)),
        c.snapshot());
  }

  @Test
  void mergingWithItselfDoublesEverything() {
    for (HistogramSpec spec : specs(1)) {
      float[] v = values(Data.SPECIALS, 1, spec);
      HistogramAccumulator acc = new HistogramAccumulator().add(spec, v, 0, v.length);
      Histogram once = ReferenceFill.fill(spec, v, 0, v.length);
      assertEquals(once.merge(once), acc.merge(acc).snapshot(), spec.toString());
    }
  }

  @Test
  void serializedFormHoldsOnlyTheCounts() throws IOException {
    HistogramSpec spec = HistogramSpec.absolute(1.0, 1 << 10);
    HistogramAccumulator empty = new HistogramAccumulator(spec);
    HistogramAccumulator filled = new HistogramAccumulator(spec);
    float[] v = gaussian(new SplittableRandom(1), 10_000);
    filled.add(spec, v, 0, v.length); // 10 000 values in 1024 bins: through the scratch
    // An empty accumulator ships no bin; a filled one at most 1024 longs and a little, whether or
    // not values went through the scratch.
    assertTrue(serialize(empty).length < 1024, "" + serialize(empty).length);
    assertTrue(serialize(filled).length < 8 * 1024 + 1024, "" + serialize(filled).length);
  }

  /**
   * The unrolled loops take values four or two at a time and leave a remainder to the one-at-a-time
   * loop: each awkward value at every position of slices of 1 to 13 values (every remainder, and
   * each lane of the unrolled step), through both loops, in range and grid layouts whose top edge
   * and last bin the values reach.
   */
  @Test
  void anAwkwardValueInEveryLaneAndRemainderMatchesTheReference() {
    float[] awkward = {
      Float.NaN,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      -0f,
      Float.MIN_VALUE,
      -Float.MIN_VALUE,
      Math.nextDown(Float.MIN_NORMAL),
      2f,
      -2f,
      Math.nextDown(2f),
      3f
    };
    HistogramSpec[] specs = {
      HistogramSpec.absolute(2, 8),
      HistogramSpec.grid(Domain.ABSOLUTE, 1.9, 8),
      HistogramSpec.signed(-2, 2, 8),
      new HistogramSpec(Domain.LOG2, -2, 1, 48)
    };
    for (HistogramSpec spec : specs) {
      for (int length = 1; length <= 13; length++) {
        for (int at = 0; at < length; at++) {
          for (float x : awkward) {
            float[] v = new float[length];
            for (int i = 0; i < length; i++) {
              v[i] = (i % 2 == 0 ? 1 : -1) * (0.1f + 0.13f * i);
            }
            v[at] = x;
            Histogram expected = ReferenceFill.fill(spec, v, 0, length);
            for (Loops loops : new Loops[] {Loops.SCRATCH, Loops.DIRECT}) {
              assertEquals(
                  expected,
                  new Filled(spec).add(v, 0, length, loops).histogram(),
                  spec + " " + loops + ": " + x + " at " + at + " of " + length);
            }
          }
        }
      }
    }
  }

  @Test
  void aSliceOutsideTheArrayAddsNothingAndLeavesTheScratchClear() {
    for (HistogramSpec spec : specs(1)) {
      float[] v = values(Data.SPECIALS, 1, spec);
      HistogramAccumulator acc = new HistogramAccumulator(spec);
      assertThrowsSaying(
          IndexOutOfBoundsException.class,
          () -> acc.add(spec, v, 5, v.length + 1),
          "Range [5, " + (v.length + 1) + ")");
      assertThrowsSaying(
          IndexOutOfBoundsException.class, () -> acc.add(spec, v, -1, 5), "Range [-1, 5)");
      assertEquals(Histogram.empty(spec), acc.snapshot());
      acc.add(spec, v, 7, 3); // empty slice: nothing, as before
      acc.add(spec, v, 0, v.length);
      assertEquals(ReferenceFill.fill(spec, v, 0, v.length), acc.snapshot(), spec.toString());
      // The scratch loops, run next on this thread, find their scratch clear.
      Filled scratch = new Filled(spec).add(v, 0, v.length, Loops.SCRATCH);
      assertEquals(ReferenceFill.fill(spec, v, 0, v.length), scratch.histogram(), spec.toString());
    }
  }

  @Test
  void thresholdsOfTheLogBinsMatchTheDefinition() {
    for (int e = -149; e < 128; e++) {
      for (int k = 1; k < 16; k++) {
        float t = Math.scalb(ReferenceFill.threshold(k), e);
        for (float x : new float[] {Math.nextDown(t), t, Math.nextUp(t)}) {
          if (x > 0 && Float.isFinite(x)) {
            assertEquals(ReferenceFill.subOctaveIndex(x), Log2Bins.subOctaveIndex(x), "x=" + x);
          }
        }
      }
    }
  }

  private static HistogramAccumulator roundTrip(HistogramAccumulator acc)
      throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialize(acc)))) {
      return (HistogramAccumulator) in.readObject();
    }
  }

  private static byte[] serialize(HistogramAccumulator acc) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(acc);
    }
    return bytes.toByteArray();
  }

  private static float[] values(Data data, int seed, HistogramSpec spec) {
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + data.ordinal());
    float scale = spec.domain() == Domain.LOG2 ? (float) Math.pow(2.0, spec.hi() - 3) : 1f;
    float[] v;
    switch (data) {
      case GAUSSIAN:
        v = gaussian(random, LENGTH);
        break;
      case RELU:
        v = gaussian(random, LENGTH);
        for (int i = 0; i < v.length; i++) {
          v[i] = Math.max(0f, v[i]);
        }
        break;
      case HEAVY:
        v = new float[LENGTH];
        for (int i = 0; i < v.length; i++) {
          // Cauchy: far beyond any range fixed from a first sample.
          v[i] = (float) Math.tan(Math.PI * (random.nextDouble() - 0.5));
        }
        break;
      case SPECIALS:
        v = gaussian(random, LENGTH);
        float[] specials = {
          Float.NaN,
          Float.POSITIVE_INFINITY,
          Float.NEGATIVE_INFINITY,
          0f,
          -0f,
          Float.MIN_VALUE,
          -Float.MIN_VALUE,
          Float.MIN_NORMAL,
          Math.nextDown(Float.MIN_NORMAL),
          Float.MAX_VALUE,
          -Float.MAX_VALUE,
          (float) spec.hi(),
          (float) -spec.hi(),
          (float) spec.lo(),
          Math.nextUp((float) spec.hi()),
          Math.nextDown((float) spec.hi()),
          Math.nextDown((float) spec.lo()),
          Math.nextUp((float) spec.lo()),
          Float.intBitsToFloat(0x7fc00001),
          Float.intBitsToFloat(0xffc00000)
        };
        for (int i = 0; i < v.length; i++) {
          if (random.nextInt(8) == 0) {
            v[i] = specials[random.nextInt(specials.length)];
          }
        }
        break;
      case EDGES:
        v = new float[LENGTH];
        double[] edges = spec.edges();
        for (int i = 0; i < v.length; i++) {
          float e = (float) edges[random.nextInt(edges.length)];
          switch (random.nextInt(4)) {
            case 0:
              v[i] = Math.nextDown(e);
              break;
            case 1:
              v[i] = Math.nextUp(e);
              break;
            case 2:
              v[i] = -e;
              break;
            default:
              v[i] = e;
          }
        }
        return v;
      case LOG_UNIFORM:
        v = new float[LENGTH];
        for (int i = 0; i < v.length; i++) {
          // Every octave of float32, subnormals included, both signs.
          float x = (float) Math.pow(2.0, -152 + 282 * random.nextDouble());
          v[i] = random.nextInt(4) == 0 ? -x : x;
        }
        return v;
      default:
        throw new AssertionError(data);
    }
    for (int i = 0; i < v.length; i++) {
      v[i] *= scale;
    }
    return v;
  }

  private static float[] gaussian(SplittableRandom random, int count) {
    float[] v = new float[count];
    for (int i = 0; i < count; i++) {
      double u = 1 - random.nextDouble();
      v[i] = (float) (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()));
    }
    return v;
  }
}
