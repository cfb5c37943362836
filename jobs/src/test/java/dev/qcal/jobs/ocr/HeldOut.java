package dev.qcal.jobs.ocr;

import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import java.util.List;

/**
 * A held-out set of one model's inputs and how its outputs are scored: against the truth drawn, and
 * against the float model's outputs on the same inputs.
 */
interface HeldOut {
  /** The model's name in the results table. */
  String model();

  /** What the set holds, for the table ("100 lines"). */
  String description();

  /** The inputs, as PaddleOCR's inference scripts make them. */
  List<FloatOutput> inputs();

  /**
   * The scores of {@code outputs} (one per input): {@code reference} is the float model's outputs,
   * or null when {@code outputs} are the float model's own.
   */
  Scores score(List<FloatOutput> reference, List<FloatOutput> outputs);

  /**
   * One model's scores on the set.
   *
   * @param agreement the share of the set on which the model agrees with the float model (for the
   *     detector, the IoU of their text regions); NaN for the float model itself
   * @param agreementText the agreement as the table shows it
   * @param accuracy the task score against the truth drawn (a share)
   * @param accuracyText the task scores as the table shows them
   */
  record Scores(double agreement, String agreementText, double accuracy, String accuracyText) {}
}
