package dev.qcal.core.io;

import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.Scheme;
import dev.qcal.core.table.CalibrationTable;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The formats that carry one signed symmetric 8-bit scale per tensor and nothing else: TensorRT's
 * calibration cache and dynamic ranges, ONNX Runtime's TensorRT tables (flatbuffers, JSON and
 * cache), ncnn's table and PPQ's TensorRT JSON. Their consumers quantize with amax/127 on [−127,
 * 127] whatever the table was calibrated for, so a range chosen for another bit width or scheme (3
 * bits, an unsigned or affine grid, FP8) would be used on the wrong grid: a silently wrong file.
 * Such a table refuses these formats with a warning, as a format refuses a name it cannot carry;
 * the other formats (qcal-json, csv, the ORT overrides, the AIMET encodings) carry the bit width
 * and scheme and are still written.
 */
final class Int8Formats {
  /** The formats of one signed symmetric 8-bit scale. */
  static final Set<TableFormat> FORMATS =
      EnumSet.of(
          TableFormat.TRT_CACHE,
          TableFormat.TRT_DYNAMIC_RANGE,
          TableFormat.ORT_FLATBUFFERS,
          TableFormat.ORT_JSON,
          TableFormat.ORT_CACHE,
          TableFormat.NCNN,
          TableFormat.PPQ_TRT_JSON,
          TableFormat.PPQ_TRT_JSON_PPQ);

  private Int8Formats() {}

  /** True when {@code quant} is the grid these formats carry: 8 bits, signed symmetric. */
  static boolean fits(QuantSpec quant) {
    return quant.bits() == 8 && quant.scheme() == Scheme.SYMMETRIC;
  }

  /**
   * Why {@code format} cannot be written for {@code table}: a format of {@link #FORMATS} and a
   * table calibrated for another grid; empty otherwise.
   */
  static Optional<String> refusal(TableFormat format, CalibrationTable table, String method) {
    QuantSpec quant = table.quant();
    if (!FORMATS.contains(format) || fits(quant)) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            "Cannot write %s (%s) for method %s: the format carries only signed symmetric 8-bit"
                + " scales (amax/127), and this table was calibrated for %d-bit %s, so its ranges"
                + " were chosen for another grid; calibrate with --bits 8 --scheme symmetric for"
                + " this format (qcal-json, csv, ort-overrides and aimet-* carry the bit width and"
                + " scheme; the other formats are still written)",
            format.key(), format.fileName(), method, quant.bits(), quant.scheme().key()));
  }
}
