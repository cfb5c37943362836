package dev.qcal.jobs.ocr;

import dev.qcal.onnx.ocr.PaddleInputs;
import dev.qcal.onnx.ocr.TextLineRenderer.Line;
import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Held-out text lines for the orientation classifier, each once upright (class 0, "0") and once
 * turned half a turn (class 1, "180"): the share classified right, and the share classified as the
 * float model classifies it.
 */
record ClassifierHeldOut(List<Line> lines) implements HeldOut {
  @Override
  public String model() {
    return "classifier";
  }

  @Override
  public String description() {
    return lines.size() + " lines × 2 ways up";
  }

  /** Line i upright at 2i, upside down at 2i + 1. */
  @Override
  public List<FloatOutput> inputs() {
    List<FloatOutput> inputs = new ArrayList<>();
    for (Line line : lines) {
      inputs.add(PaddleInputs.classifier(line.image()));
      inputs.add(PaddleInputs.classifier(line.image().rotated180()));
    }
    return inputs;
  }

  @Override
  public Scores score(List<FloatOutput> reference, List<FloatOutput> outputs) {
    int right = 0;
    int same = 0;
    for (int i = 0; i < outputs.size(); i++) {
      int label = argmax(outputs.get(i));
      right += label == i % 2 ? 1 : 0;
      same += reference != null && label == argmax(reference.get(i)) ? 1 : 0;
    }
    double accuracy = right / (double) outputs.size();
    double agreement = reference == null ? Double.NaN : same / (double) outputs.size();
    return new Scores(
        agreement,
        reference == null
            ? "—"
            : String.format(Locale.ROOT, "%.1f %% classified alike", 100 * agreement),
        accuracy,
        String.format(Locale.ROOT, "%.1f %% right", 100 * accuracy));
  }

  /** The index of the highest of a [1, n] output (the first on ties), as PaddleOCR's argmax. */
  static int argmax(FloatOutput scores) {
    float[] v = scores.values();
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
