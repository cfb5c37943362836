/**
 * Writers and readers of calibration tables and of the histogram input.
 *
 * <p>Every output is written from the one {@link dev.qcal.core.table.CalibrationTable}, so the
 * formats never disagree: the canonical {@link dev.qcal.core.io.CalibrationJson} (versioned schema,
 * the only lossless one), the TensorRT calibration cache {@link dev.qcal.core.io.TensorRtCache}
 * (docs/design/formats.md §2) and a flat {@link dev.qcal.core.io.CalibrationCsv} for spreadsheets;
 * and each toolchain's own table, so no conversion script is needed: ONNX Runtime's TensorRT EP
 * table {@link dev.qcal.core.io.OrtCalibrationFlatBuffers} with its {@link
 * dev.qcal.core.io.OrtCalibrationJson} and {@link dev.qcal.core.io.OrtCalibrationCache} siblings,
 * ONNX Runtime {@code quantize_static} overrides {@link dev.qcal.core.io.OrtQuantOverrides}, AIMET
 * / QNN {@link dev.qcal.core.io.AimetEncodings}, the {@link dev.qcal.core.io.NcnnTable}, PPQ's
 * {@link dev.qcal.core.io.PpqTensorRtJson} and TensorRT's {@link
 * dev.qcal.core.io.TensorRtDynamicRange}. {@link dev.qcal.core.io.TableFormat} names them all by
 * command-line key with one entry point, and lists per format the tensors it cannot carry, so the
 * caller refuses that format with a message and still writes the others.
 *
 * <p>All outputs are deterministic so that two runs over the same dump diff clean: rows sorted by
 * tensor name, no timestamps, UTF-8, LF line endings, and numbers in one formatting ({@link
 * dev.qcal.core.io.Decimals}). Writers never close the stream they are given; the caller owns it
 * (the job writes to a temporary file and renames it into place).
 *
 * <p>Readers reject malformed input with an {@link dev.qcal.core.io.InputFormatException} whose
 * message names the source, the tensor and the field, so a user can fix the file without reading
 * code; the command line maps it to its "bad input" exit code.
 */
package dev.qcal.core.io;
