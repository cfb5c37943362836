package dev.qcal.core.quant;

import static dev.qcal.core.quant.QuantSpecVectorsTest.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qcal.core.calib.ClipRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Hand-derived cases for {@link QuantSpec}: FP8, power-of-two scales, zero ranges, grid ends. */
class QuantSpecTest {

  @ParameterizedTest
  @CsvSource({
    // scheme, amax, float32(amax)/float32(max finite) as hex (numpy float32 division)
    "FP8_E4M3, 448, 3f800000", // 448/448 = 1
    "FP8_E4M3, 2.5, 3bb6db6e", // 2.5/448 = 0.005580357275903225
    "FP8_E4M3, 1, 3b124925", // 1/448 = 0.0022321429569274187
    "FP8_E5M2, 57344, 3f800000", // 57344/57344 = 1
    "FP8_E5M2, 2.5, 3836db6e", // 2.5/57344 = 4.3596541217993945e-05
    "FP8_E5M2, 1, 37924925", // 1/57344 = 1.743861685099546e-05
  })
  void scalesFp8ByItsLargestFiniteValue(Scheme scheme, double amax, String scaleHex) {
    QuantSpec spec = QuantSpec.symmetric(8).withScheme(scheme);
    QuantParams p = spec.params(ClipRange.symmetric(amax));
    assertEquals(scaleHex, hex(p.scale()));
    assertEquals(0, p.zeroPoint());
    assertEquals(8, spec.bits());
  }

  @ParameterizedTest
  @CsvSource({
    // amax, exact scale amax/127, power-of-two scale 2^ceil(log2(amax/127))
    "2.5, 0.019685039, 0.03125", // 2^-6 = 0.015625 < 0.0197 <= 2^-5
    "1.0, 0.007874016, 0.015625", // 2^-7 = 0.0078125 < 0.00787 <= 2^-6
    "127, 1.0, 1.0", // already a power of two: kept
    "254, 2.0, 2.0",
    "0.0620078740157, 0.00048825, 0.00048828125", // just under 2^-11: rounds up to 2^-11
  })
  void roundsSymmetricScalesUpToAPowerOfTwo(double amax, double exact, double pow2) {
    QuantParams e = QuantSpec.symmetric(8).params(ClipRange.symmetric(amax));
    QuantParams p = QuantSpec.symmetric(8).withPowerOfTwoScale().params(ClipRange.symmetric(amax));
    assertEquals(exact, e.scale(), 1e-8);
    assertEquals(pow2, p.scale());
    assertEquals(0, p.zeroPoint());
  }

  @Test
  void powerOfTwoAffineZeroPointUsesTheRoundedScale() {
    // [-1.5, 2.5] uint8: exact scale 4/255 = 0.0156863 (zp rint(95.625) = 96); rounded up to
    // 2^-5 = 0.03125 (2^-6 = 0.015625 is just below), zp = rint(1.5 / 0.03125) = rint(48) = 48.
    QuantParams p = QuantSpec.affine(8).withPowerOfTwoScale().params(new ClipRange(-1.5, 2.5));
    assertEquals(0.03125f, p.scale());
    assertEquals(48, p.zeroPoint());
  }

  @ParameterizedTest
  @CsvSource({
    "0.3, 0.5",
    "0.25, 0.25",
    "3, 4",
    "1, 1",
    "1.0000001, 2", // one ulp above 1 rounds up to the next power
    "1e-30, 1.5777218e-30", // 2^-100 = 7.9e-31 < 1e-30 <= 2^-99 = 1.5777218e-30
  })
  void scaleRoundingNeverShrinksTheScale(float scale, float expected) {
    assertEquals(expected, ScaleRounding.POWER_OF_TWO.apply(scale));
    assertEquals(scale, ScaleRounding.EXACT.apply(scale));
  }

  @Test
  void powerOfTwoScaleStaysFiniteAtTheTopOfFloat32() {
    // amax = Float.MAX_VALUE (≈ 2^128) on the 2-bit grid [-1, 1]: the exact scale is MAX_VALUE, and
    // the next power of two, 2^128, is not a float32; the largest one, 2^127, is used instead.
    QuantParams p =
        QuantSpec.symmetric(2).withPowerOfTwoScale().params(ClipRange.symmetric(Float.MAX_VALUE));
    assertEquals(Math.scalb(1f, 127), p.scale());
    assertEquals(Math.scalb(1f, 127), ScaleRounding.POWER_OF_TWO.apply(Float.MAX_VALUE));
    assertEquals(Math.scalb(1f, 127), ScaleRounding.POWER_OF_TWO.apply(Math.scalb(1f, 127)));
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void zeroRangeGetsScaleOneAndZeroPointZero(Scheme scheme) {
    // design: a zero-width range never gives a zero or infinite scale (ORT's convention).
    QuantParams p = QuantSpec.symmetric(8).withScheme(scheme).params(new ClipRange(0, 0));
    assertEquals(1f, p.scale());
    assertEquals(0, p.zeroPoint());
    QuantParams pow2 =
        QuantSpec.symmetric(8).withScheme(scheme).withPowerOfTwoScale().params(new ClipRange(0, 0));
    assertEquals(1f, pow2.scale());
  }

  @Test
  void aRangeTooSmallForANormalScaleGetsScaleOne() {
    // 1e-38/127 = 7.9e-41 is below float32's smallest normal 1.18e-38: ORT's "scale < tiny → 1".
    assertEquals(1f, QuantSpec.symmetric(8).params(ClipRange.symmetric(1e-38)).scale());
    assertEquals(1f, QuantSpec.affine(8).params(new ClipRange(0, 1e-37)).scale());
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 4, 7, 8, 15, 16})
  void gridEndsAtEveryBitWidth(int bits) {
    long half = 1L << (bits - 1);
    QuantSpec sym = QuantSpec.symmetric(bits);
    assertEquals(-(half - 1), sym.qmin());
    assertEquals(half - 1, sym.qmax());
    assertEquals(half, sym.halfLevels());
    QuantSpec uns = QuantSpec.unsigned(bits);
    assertEquals(0, uns.qmin());
    assertEquals(2 * half - 1, uns.qmax());
    assertEquals(2 * half, uns.halfLevels());
    QuantSpec aff = QuantSpec.affine(bits);
    assertEquals(0, aff.qmin());
    assertEquals(2 * half - 1, aff.qmax());
    QuantSpec affSigned = aff.withScheme(Scheme.AFFINE_SIGNED);
    assertEquals(-half, affSigned.qmin());
    assertEquals(half - 1, affSigned.qmax());

    // amax = qmax puts the grid on the integers: scale exactly 1.
    assertEquals(1f, sym.params(ClipRange.symmetric(half - 1)).scale());
    // [qmin, qmax] affine: scale 1; zero point -qmin... i.e. 0 at the unsigned grid's bottom.
    QuantParams p = aff.params(new ClipRange(0, 2 * half - 1));
    assertEquals(1f, p.scale());
    assertEquals(0, p.zeroPoint());
    // A range entirely below 0 widens to [min, 0]: zero point at the top of the grid.
    QuantParams neg = affSigned.params(new ClipRange(-(2 * half - 1), -1));
    assertEquals(1f, neg.scale());
    assertEquals(half - 1, neg.zeroPoint());
  }

  @ParameterizedTest
  @CsvSource({"SYMMETRIC, 1", "SYMMETRIC, 17", "AFFINE, 0", "UNSIGNED, 17", "FP8_E4M3, 4"})
  void rejectsBitWidthsOutsideTheGrid(Scheme scheme, int bits) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new QuantSpec(bits, scheme, ScaleRounding.EXACT));
    boolean fp8 = scheme == Scheme.FP8_E4M3;
    assertEquals(
        "Cannot build a "
            + scheme.key()
            + " quant spec: bits must be "
            + (fp8 ? "8" : "in [2, 16]")
            + ", not "
            + bits,
        e.getMessage());
  }
}
