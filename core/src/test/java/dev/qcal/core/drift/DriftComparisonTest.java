package dev.qcal.core.drift;

import static dev.qcal.core.testing.Throwing.assertThrowsSaying;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.MaxCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.Scheme;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.core.table.TensorFlag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The drift arithmetic on hand-built tables; every expected change is derived by hand. */
class DriftComparisonTest {
  private static final OptionalDouble NO_LIMIT = OptionalDouble.empty();

  private static MethodRange sym(double amax, double scale) {
    return new MethodRange(0.0 - amax, amax, scale);
  }

  private static TensorRanges tensor(String name, Set<TensorFlag> flags, Object... methodAndRange) {
    Map<String, MethodRange> m = new LinkedHashMap<>();
    for (int i = 0; i < methodAndRange.length; i += 2) {
      m.put((String) methodAndRange[i], (MethodRange) methodAndRange[i + 1]);
    }
    return TensorRanges.of(name, flags, m);
  }

  private static RangeTable symmetric(List<String> methods, TensorRanges... tensors) {
    return new RangeTable(Scheme.SYMMETRIC, 8, methods, List.of(tensors));
  }

  private static TensorDrift only(DriftReport r, String name) {
    return r.tensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void symmetricSchemesCompareTheScale() {
    // int8: scale = float32(amax) / 127f. amax 2 -> 2.5: both scales are float32 roundings of
    // amax/127, and (2.5f/127f - 2f/127f) / (2f/127f) is exactly 0.25 in double (checked with
    // numpy).
    double s0 = 2f / 127f;
    double s1 = 2.5f / 127f;
    RangeTable base =
        symmetric(
            List.of("max"),
            tensor("a", Set.of(), "max", sym(2.0, s0)),
            tensor("b", Set.of(), "max", sym(1.0, 0.5)));
    RangeTable now =
        symmetric(
            List.of("max"),
            tensor("a", Set.of(), "max", sym(2.5, s1)),
            tensor("b", Set.of(), "max", sym(1.0, 0.5)));

    DriftReport r = DriftComparison.compare(base, now, OptionalDouble.of(0.2));
    MethodDrift a = only(r, "a").methods().get(0);
    assertEquals(Measure.SCALE, a.measure());
    assertEquals(0.25, a.change());
    assertTrue(Double.isNaN(a.changeMin()));
    assertEquals(0.0, only(r, "b").change());
    assertEquals(List.of("a"), r.exceeded().stream().map(TensorDrift::name).toList());
    assertTrue(r.exceedsLimit());
    assertEquals("a", r.worst().orElseThrow().name());
  }

  @Test
  void theLimitIsExceededOnlyByAGreaterChange() {
    RangeTable base = symmetric(List.of("max"), tensor("a", Set.of(), "max", sym(4.0, 0.5)));
    RangeTable now = symmetric(List.of("max"), tensor("a", Set.of(), "max", sym(5.0, 0.625)));
    assertFalse(
        DriftComparison.compare(base, now, OptionalDouble.of(0.25)).exceedsLimit(),
        "0.25 is not more than 0.25");
    assertTrue(DriftComparison.compare(base, now, OptionalDouble.of(0.2499)).exceedsLimit());
    // A shrinking scale counts the same: |0.375 - 0.5| / 0.5 = 0.25.
    RangeTable smaller = symmetric(List.of("max"), tensor("a", Set.of(), "max", sym(3.0, 0.375)));
    assertEquals(0.25, DriftComparison.compare(base, smaller, NO_LIMIT).tensors().get(0).change());
  }

  @Test
  void withoutALimitNothingExceedsButTheWorstIsKnown() {
    RangeTable base = symmetric(List.of("max"), tensor("a", Set.of(), "max", sym(4.0, 0.5)));
    RangeTable now = symmetric(List.of("max"), tensor("a", Set.of(), "max", sym(8.0, 1.0)));
    DriftReport r = DriftComparison.compare(base, now, NO_LIMIT);
    assertFalse(r.exceedsLimit());
    assertTrue(r.exceeded().isEmpty());
    assertEquals(1.0, r.worst().orElseThrow().change());
  }

  @Test
  void affineSchemesCompareEachBoundRelativeToTheBaselineWidth() {
    // Baseline [-1, 3]: width 4. Current [-2, 3.25]: |-2 - -1| / 4 = 0.25, |3.25 - 3| / 4 = 0.0625.
    RangeTable base =
        new RangeTable(
            Scheme.AFFINE,
            8,
            List.of("max"),
            List.of(tensor("a", Set.of(), "max", new MethodRange(-1, 3, 4.0 / 255))));
    RangeTable now =
        new RangeTable(
            Scheme.AFFINE,
            8,
            List.of("max"),
            List.of(tensor("a", Set.of(), "max", new MethodRange(-2, 3.25, 5.25 / 255))));
    MethodDrift d =
        DriftComparison.compare(base, now, OptionalDouble.of(0.1))
            .tensors()
            .get(0)
            .methods()
            .get(0);
    assertEquals(Measure.RANGE, d.measure());
    assertEquals(0.25, d.changeMin());
    assertEquals(0.0625, d.changeMax());
    assertEquals(0.25, d.change());
    // A ReLU output's min stays 0: its move is 0, not 0/0.
    RangeTable relu0 =
        new RangeTable(
            Scheme.AFFINE,
            8,
            List.of("max"),
            List.of(tensor("r", Set.of(), "max", new MethodRange(0, 2, 2.0 / 255))));
    RangeTable relu1 =
        new RangeTable(
            Scheme.AFFINE,
            8,
            List.of("max"),
            List.of(tensor("r", Set.of(), "max", new MethodRange(0, 2.5, 2.5 / 255))));
    MethodDrift r =
        DriftComparison.compare(relu0, relu1, NO_LIMIT).tensors().get(0).methods().get(0);
    assertEquals(0.0, r.changeMin());
    assertEquals(0.25, r.changeMax());
  }

  @Test
  void aTensorThatWentDegenerateIsAnUnboundedChange() {
    RangeTable base =
        symmetric(List.of("max"), tensor("dead", Set.of(), "max", sym(2.0, 2.0 / 127)));
    RangeTable now =
        symmetric(
            List.of("max"), tensor("dead", Set.of(TensorFlag.ALL_ZERO), "max", sym(0.0, 1.0)));
    DriftReport r = DriftComparison.compare(base, now, OptionalDouble.of(10.0));
    TensorDrift t = r.tensors().get(0);
    assertEquals(Measure.DEGENERATE_CHANGED, t.methods().get(0).measure());
    assertEquals(Double.POSITIVE_INFINITY, t.change());
    assertEquals(List.of(), t.baselineDegenerate());
    assertEquals(List.of(TensorFlag.ALL_ZERO), t.currentDegenerate());
    assertTrue(t.exceeds(), "no limit tolerates a tensor going dead");
    assertEquals("dead", r.worst().orElseThrow().name());
    // ...and back again.
    assertTrue(DriftComparison.compare(now, base, OptionalDouble.of(10.0)).exceedsLimit());
  }

  @Test
  void degenerateOnBothSidesIsComparedWithoutDividingByZero() {
    // Two all-zero tensors: range [0, 0] both times, scale 1 (the convention): no change.
    RangeTable zero =
        symmetric(List.of("max"), tensor("z", Set.of(TensorFlag.ALL_ZERO), "max", sym(0.0, 1.0)));
    DriftReport same = DriftComparison.compare(zero, zero, OptionalDouble.of(0.0));
    assertEquals(0.0, same.tensors().get(0).change());
    assertFalse(same.exceedsLimit());
    assertTrue(same.tensors().get(0).isDegenerate());
    // A constant 2 becoming a constant 2.5: a real range on both sides, compared as usual.
    RangeTable c2 =
        symmetric(List.of("max"), tensor("c", Set.of(TensorFlag.CONSTANT), "max", sym(2.0, 0.5)));
    RangeTable c25 =
        symmetric(List.of("max"), tensor("c", Set.of(TensorFlag.CONSTANT), "max", sym(2.5, 0.625)));
    assertEquals(0.25, DriftComparison.compare(c2, c25, NO_LIMIT).tensors().get(0).change());
    // One value 2 yesterday, many 2s today: the flags differ but the range did not move.
    RangeTable single =
        symmetric(
            List.of("max"),
            tensor(
                "c", Set.of(TensorFlag.CONSTANT, TensorFlag.SINGLE_VALUE), "max", sym(2.0, 0.5)));
    assertEquals(
        0.0, DriftComparison.compare(single, c2, OptionalDouble.of(0.0)).tensors().get(0).change());
  }

  @Test
  void aZeroBaselineRangeThatOpensUpIsUnbounded() {
    // A method can give amax 0 for a tensor that is not degenerate (e.g. almost all zeros).
    RangeTable base = symmetric(List.of("p"), tensor("t", Set.of(), "p", sym(0.0, 1.0)));
    RangeTable now = symmetric(List.of("p"), tensor("t", Set.of(), "p", sym(0.5, 0.5 / 127)));
    MethodDrift d =
        DriftComparison.compare(base, now, OptionalDouble.of(0.1))
            .tensors()
            .get(0)
            .methods()
            .get(0);
    assertEquals(Measure.ZERO_BASELINE, d.measure());
    assertEquals(Double.POSITIVE_INFINITY, d.change());
    RangeTable affine0 =
        new RangeTable(
            Scheme.AFFINE,
            8,
            List.of("p"),
            List.of(tensor("t", Set.of(), "p", new MethodRange(1, 1, 1))));
    RangeTable affine1 =
        new RangeTable(
            Scheme.AFFINE,
            8,
            List.of("p"),
            List.of(tensor("t", Set.of(), "p", new MethodRange(0, 1, 1.0 / 255))));
    assertEquals(
        Measure.ZERO_BASELINE,
        DriftComparison.compare(affine0, affine1, NO_LIMIT)
            .tensors()
            .get(0)
            .methods()
            .get(0)
            .measure());
    assertEquals(
        0.0, DriftComparison.compare(affine0, affine0, NO_LIMIT).tensors().get(0).change());
  }

  @Test
  void appearedAndDisappearedTensorsAreListedAndNotCompared() {
    RangeTable base =
        symmetric(
            List.of("max"),
            tensor("kept", Set.of(), "max", sym(1, 0.5)),
            tensor("old b", Set.of(), "max", sym(1, 0.5)),
            tensor("old a", Set.of(), "max", sym(1, 0.5)));
    RangeTable now =
        symmetric(
            List.of("max"),
            tensor("new", Set.of(), "max", sym(9, 4.5)),
            tensor("kept", Set.of(), "max", sym(1, 0.5)));
    DriftReport r = DriftComparison.compare(base, now, OptionalDouble.of(0.0));
    assertEquals(List.of("kept"), r.tensors().stream().map(TensorDrift::name).toList());
    assertEquals(List.of("new"), r.appeared());
    assertEquals(List.of("old a", "old b"), r.disappeared());
    assertFalse(r.exceedsLimit(), "appearing and disappearing are listed, not gated");
  }

  @Test
  void onlyMethodsInBothTablesAreComparedInTheCurrentOrderAndTheWorstMethodNamesTheTensorsChange() {
    RangeTable base =
        symmetric(
            List.of("max", "entropy"),
            tensor("t", Set.of(), "max", sym(4, 0.5), "entropy", sym(2, 0.25)));
    RangeTable now =
        symmetric(
            List.of("entropy", "percentile", "max"),
            tensor(
                "t",
                Set.of(),
                "entropy",
                sym(3, 0.375),
                "percentile",
                sym(9, 1.0),
                "max",
                sym(4.4, 0.55)));
    DriftReport r = DriftComparison.compare(base, now, NO_LIMIT);
    assertEquals(List.of("entropy", "max"), r.methods());
    TensorDrift t = r.tensors().get(0);
    assertEquals(List.of("entropy", "max"), t.methods().stream().map(MethodDrift::method).toList());
    assertEquals(0.5, t.change()); // entropy: |0.375 - 0.25| / 0.25
    assertEquals("entropy", t.worstMethod().orElseThrow().method());
  }

  @Test
  void theWorstOfEqualChangesIsTheFirstByName() {
    RangeTable base =
        symmetric(
            List.of("max"),
            tensor("b", Set.of(), "max", sym(4, 0.5)),
            tensor("a", Set.of(), "max", sym(4, 0.5)));
    RangeTable now =
        symmetric(
            List.of("max"),
            tensor("b", Set.of(), "max", sym(5, 0.625)),
            tensor("a", Set.of(), "max", sym(5, 0.625)));
    assertEquals("a", DriftComparison.compare(base, now, NO_LIMIT).worst().orElseThrow().name());
  }

  @Test
  void perChannelResultsAreNotComparedAndNeverExceed() {
    TensorRanges perChannel =
        new TensorRanges(
            "w", Set.of(), Map.of(), Map.of("max", "per-channel ranges are not compared"));
    RangeTable base = symmetric(List.of("max"), perChannel);
    RangeTable now = symmetric(List.of("max"), tensor("w", Set.of(), "max", sym(4, 0.5)));
    DriftReport r = DriftComparison.compare(base, now, OptionalDouble.of(0.0));
    MethodDrift d = r.tensors().get(0).methods().get(0);
    assertEquals(Measure.NOT_COMPARED, d.measure());
    assertEquals("per-channel ranges are not compared", d.note());
    assertTrue(Double.isNaN(d.change()));
    assertFalse(r.exceedsLimit());
    assertTrue(r.worst().isEmpty());
  }

  @Test
  void tablesOfAnotherQuantizerOrWithNoCommonMethodCannotBeCompared() {
    RangeTable int8 = symmetric(List.of("max"), tensor("t", Set.of(), "max", sym(1, 1.0 / 127)));
    RangeTable int4 =
        new RangeTable(
            Scheme.SYMMETRIC,
            4,
            List.of("max"),
            List.of(tensor("t", Set.of(), "max", sym(1, 1.0 / 7))));
    RangeTable affine =
        new RangeTable(
            Scheme.AFFINE,
            8,
            List.of("max"),
            List.of(tensor("t", Set.of(), "max", new MethodRange(-1, 1, 2.0 / 255))));
    RangeTable entropy =
        symmetric(List.of("entropy"), tensor("t", Set.of(), "entropy", sym(1, 1.0 / 127)));
    assertEquals(
        "the baseline was calibrated for symmetric, 8 bits, this run for symmetric, 4 bits, and"
            + " their scales are not comparable",
        DriftComparison.incompatibility(int8, int4).orElseThrow());
    assertTrue(
        DriftComparison.incompatibility(int8, affine).orElseThrow().contains("affine, 8 bits"));
    assertEquals(
        "no method in common: the baseline has [max], this run [entropy]",
        DriftComparison.incompatibility(int8, entropy).orElseThrow());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> DriftComparison.compare(int8, int4, NO_LIMIT));
    assertTrue(
        e.getMessage().startsWith("Cannot compare with the baseline: ")
            && e.getMessage().contains("this run for symmetric, 4 bits"),
        e.getMessage());
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> DriftComparison.compare(int8, int8, OptionalDouble.of(-0.1)),
        "the limit must be a finite number >= 0 (-0.1)");
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> DriftComparison.compare(int8, int8, OptionalDouble.of(Double.NaN)),
        "the limit must be a finite number >= 0 (NaN)");
  }

  @Test
  void aComputedTableComparedWithItselfHasNoDrift() {
    QuantSpec q = QuantSpec.symmetric(8);
    RangeStats stats = RangeStats.of(-1.5f, 2.5f, 0.25f);
    Map<String, CalibrationResult> results = new LinkedHashMap<>();
    results.put("max", new MaxCalibrator().calibrate(TensorStatistics.of(stats), q));
    CalibrationTable table =
        CalibrationTable.of(
            List.of(new TensorCalibration("conv1", stats, results)), List.of("max"), q);
    RangeTable ranges = RangeTable.of(table);
    assertEquals(2.5, ranges.tensors().get(0).methods().get("max").amax());
    assertEquals((double) (2.5f / 127f), ranges.tensors().get(0).methods().get("max").scale());
    DriftReport r = DriftComparison.compare(ranges, ranges, OptionalDouble.of(0.0));
    assertEquals(0.0, r.tensors().get(0).change());
    assertFalse(r.exceedsLimit());
  }
}
