package dev.qcal.core.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.qcal.core.quant.QuantSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Equality covers every field, so a determinism check that compares results sees all of them. */
class CalibrationResultTest {
  private static CalibrationResult.Builder base() {
    return CalibrationResult.builder("entropy", new ClipRange(-2, 2), QuantSpec.symmetric(8))
        .objective(Double.NaN)
        .curve("kl", List.of(new SearchPoint(1.0, 0.5), new SearchPoint(2.0, 0.25)))
        .detail("bin", 7)
        .detail("levels", new double[] {-1.0, 0.0, 1.0})
        .note("a note");
  }

  @Test
  void equalResultsAreEqualFieldByFieldWithArraysByContent() {
    CalibrationResult a = base().build();
    CalibrationResult b = base().build();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals(a, b.withMethod("entropy").withMethod("entropy"));
  }

  @Test
  void aDifferenceOnlyInCurvesDetailsOrObjectiveIsSeen() {
    CalibrationResult a = base().build();
    assertNotEquals(a, a.withoutCurves());
    assertNotEquals(a, base().curve("kl", List.of(new SearchPoint(1.0, 0.5))).build());
    assertNotEquals(a, base().detail("levels", new double[] {-1.0, 0.0, 1.5}).build());
    assertNotEquals(a, base().detail("extra", 1).build());
    assertNotEquals(a, base().objective(0.0).build());
    assertNotEquals(a, base().note("another").build());
    assertNotEquals(a, a.withMethod("entropy:ort"));
    // The same clip range and scale print the same toString(): only equals tells them apart.
    assertEquals(a.toString(), a.withoutCurves().toString());
  }
}
