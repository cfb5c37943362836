package dev.qcal.jobs.capture;

import dev.qcal.core.io.InputFormatException;
import dev.qcal.jobs.JobException;
import dev.qcal.onnx.ExposedModel;
import dev.qcal.onnx.qdq.QdqOptions;
import dev.qcal.onnx.qdq.QdqPlacement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which activations a capture writes: by default the inputs {@code qcal qdq} quantizes with the
 * same {@code --ops} ({@link QdqPlacement#activations}, so a dump calibrates into a table that
 * holds every scale qdq reads, and nothing else), or those whose whole name matches {@code
 * --tensors REGEX}.
 */
public final class CaptureSelection {
  private final Pattern regex;
  private final QdqOptions ops;

  private CaptureSelection(Pattern regex, QdqOptions ops) {
    this.regex = regex;
    this.ops = ops;
  }

  /** The activations qdq quantizes on {@code ops}. */
  public static CaptureSelection quantizedBy(QdqOptions ops) {
    return new CaptureSelection(null, ops);
  }

  /**
   * The activations whose whole name matches {@code regex} (Java syntax).
   *
   * @throws JobException (usage) for a regex that does not compile
   */
  public static CaptureSelection matching(String regex) {
    try {
      return new CaptureSelection(Pattern.compile(regex), null);
    } catch (PatternSyntaxException e) {
      throw JobException.usage(
          "Invalid --tensors regex: " + e.getDescription() + " in '" + regex + "'");
    }
  }

  /**
   * The selected activations of {@code model}, in graph order.
   *
   * @throws JobException (input) naming the model when none is selected, or qdq cannot place Q/DQ
   */
  List<String> select(CaptureModel model) {
    List<String> activations = ExposedModel.activations(model.model());
    Set<String> quantized = ops == null ? null : quantized(model);
    List<String> selected =
        activations.stream()
            .filter(n -> quantized == null ? regex.matcher(n).matches() : quantized.contains(n))
            .toList();
    if (selected.isEmpty()) {
      String what =
          quantized == null
              ? "no activation matches --tensors '" + regex.pattern() + "'"
              : "qdq quantizes no activation on --ops "
                  + String.join(",", ops.ops())
                  + " (give other --ops, or --tensors REGEX)";
      throw JobException.input(
          "Model "
              + model.path()
              + ": "
              + what
              + " (the "
              + activations.size()
              + " activations start "
              + String.join(", ", activations.subList(0, Math.min(8, activations.size())))
              + ")");
    }
    return selected;
  }

  private Set<String> quantized(CaptureModel model) {
    try {
      return new HashSet<>(QdqPlacement.activations(model.model(), ops));
    } catch (InputFormatException e) {
      throw JobException.input(e.getMessage(), e);
    }
  }
}
