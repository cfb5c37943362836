package dev.qcal.core.table;

import static dev.qcal.core.testing.Throwing.assertThrowsSaying;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qcal.core.calib.Calibrators;
import dev.qcal.core.calib.TensorCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class CalibrationTableTest {
  private final TensorCalibrator runner =
      new TensorCalibrator(List.of("max"), QuantSpec.symmetric(8));

  private TensorCalibration row(String name, float... values) {
    return runner.calibrate(name, TensorStatistics.of(RangeStats.of(values)));
  }

  @Test
  void rowsAreSortedByNameAndKeepTheMethodOrder() {
    CalibrationTable t =
        CalibrationTable.of(
            List.of(row("b", 1f), row("a b:c", 2f, -1f), row("Ä", 3f)),
            List.of("max"),
            QuantSpec.symmetric(8));
    assertEquals(
        List.of("a b:c", "b", "Ä"), t.tensors().stream().map(TensorCalibration::name).toList());
    assertEquals("max", t.primaryMethod());
    assertEquals(2.0, t.tensors().get(0).result("max").amax());
  }

  @Test
  void duplicateNamesAreRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                CalibrationTable.of(
                    List.of(row("x", 1f), row("x", 2f)), List.of("max"), QuantSpec.symmetric(8)));
    assertEquals("Cannot build the table: tensor 'x' appears twice", e.getMessage());
  }

  @Test
  void flagsDescribeDegenerateTensors() {
    assertEquals(EnumSet.of(TensorFlag.EMPTY), TensorFlag.of(RangeStats.EMPTY));
    assertEquals(
        EnumSet.of(TensorFlag.NO_FINITE_VALUES, TensorFlag.HAS_NAN, TensorFlag.HAS_INF),
        TensorFlag.of(RangeStats.of(Float.NaN, Float.NEGATIVE_INFINITY)));
    assertEquals(
        EnumSet.of(TensorFlag.SINGLE_VALUE, TensorFlag.CONSTANT), TensorFlag.of(RangeStats.of(2f)));
    assertEquals(EnumSet.of(TensorFlag.ALL_ZERO), TensorFlag.of(RangeStats.of(0f, 0f)));
    assertEquals(EnumSet.noneOf(TensorFlag.class), TensorFlag.of(RangeStats.of(0f, 1f)));
    // Nulls are flagged apart from NaN; a tensor of only nulls has no value.
    assertEquals(
        EnumSet.of(TensorFlag.HAS_NULL), TensorFlag.of(RangeStats.of(0f, 1f).withNulls(1, 0)));
    assertEquals(
        EnumSet.of(TensorFlag.HAS_NULL), TensorFlag.of(RangeStats.of(0f, 1f).withNulls(0, 2)));
    assertEquals(
        EnumSet.of(TensorFlag.EMPTY, TensorFlag.HAS_NULL),
        TensorFlag.of(RangeStats.EMPTY.withNulls(3, 1)));
    assertEquals("has_null", TensorFlag.HAS_NULL.key());
    assertEquals("has_nan", TensorFlag.HAS_NAN.key());
    assertEquals(EnumSet.of(TensorFlag.ALL_ZERO), row("z", 0f, 0f).flags());
  }

  @Test
  void unknownMethodsListTheValidOnes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TensorCalibrator(List.of("maxx"), QuantSpec.symmetric(8)));
    assertEquals(
        "Unknown calibration method 'maxx' (valid: "
            + String.join(", ", Calibrators.names())
            + "; these also take a parameter as key@value: "
            + String.join(", ", Calibrators.parameterizedNames())
            + ")",
        e.getMessage());
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> new TensorCalibrator(List.of("max", "max"), QuantSpec.symmetric(8)),
        "'max' is given twice",
        "list each method once");
  }
}
