package dev.qcal.core.histogram;

import static dev.qcal.core.testing.Throwing.assertThrowsSaying;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HistogramSetAccumulatorTest {
  private static final HistogramSpec ABS = HistogramSpec.absolute(4.0, 8);
  private static final HistogramSpec SIGNED = HistogramSpec.signed(-4.0, 4.0, 8);
  private static final HistogramSpec[] BOTH = {ABS, SIGNED};

  @Test
  void binsEveryDomainAndSplitsMergeToTheWhole() {
    float[] values = {-3.5f, -0.25f, 0f, 0.75f, 2f, 4f, 5f, Float.NaN};
    Map<Domain, Histogram> whole = new HistogramSetAccumulator().add(BOTH, values, 0, 8).snapshot();
    HistogramSetAccumulator left = new HistogramSetAccumulator().add(BOTH, values, 0, 3);
    HistogramSetAccumulator right = new HistogramSetAccumulator().add(BOTH, values, 3, 8);
    assertEquals(whole, new HistogramSetAccumulator().merge(left).merge(right).snapshot());
    assertEquals(whole, right.merge(left).snapshot());
    // |x| over [0, 4] in 8 bins of 0.5: 3.5 → 7, 0.25 → 0, 0 → 0, 0.75 → 1, 2 → 4, 4 → 7 (closed).
    assertEquals(new HistogramAccumulator(ABS).add(values).snapshot(), whole.get(Domain.ABSOLUTE));
    assertEquals(1, whole.get(Domain.SIGNED).above());
    assertEquals(1, whole.get(Domain.SIGNED).nan());
  }

  @Test
  void emptyIsTheIdentityAndSnapshotsNothing() {
    assertTrue(new HistogramSetAccumulator().snapshot().isEmpty());
    HistogramSetAccumulator a = new HistogramSetAccumulator().add(BOTH, new float[] {1f}, 0, 1);
    assertEquals(
        a.snapshot(),
        new HistogramSetAccumulator()
            .add(BOTH, new float[] {1f}, 0, 1)
            .merge(new HistogramSetAccumulator())
            .snapshot());
  }

  @Test
  void refusesOtherLayouts() {
    HistogramSetAccumulator a = new HistogramSetAccumulator().add(BOTH, new float[] {1f}, 0, 1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> a.add(new HistogramSpec[] {ABS}, new float[] {1f}, 0, 1));
    assertEquals(
        "Cannot add values: 1 specs given to an accumulator of [ABSOLUTE, SIGNED]", e.getMessage());
    HistogramSetAccumulator other =
        new HistogramSetAccumulator().add(new HistogramSpec[] {ABS}, new float[] {1f}, 0, 1);
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> a.merge(other),
        "different domains: [ABSOLUTE, SIGNED] and [ABSOLUTE]");
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> new HistogramSetAccumulator().add(new HistogramSpec[] {ABS, ABS}, new float[0], 0, 0),
        "two absolute specs given");
  }
}
