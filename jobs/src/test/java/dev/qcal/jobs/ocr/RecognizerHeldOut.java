package dev.qcal.jobs.ocr;

import dev.qcal.onnx.ocr.CtcDictionary;
import dev.qcal.onnx.ocr.PaddleInputs;
import dev.qcal.onnx.ocr.TextAccuracy;
import dev.qcal.onnx.ocr.TextLineRenderer.Line;
import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import java.util.List;
import java.util.Locale;

/**
 * Held-out text lines for the recognizer: each line greedily CTC-decoded, compared with the text
 * drawn (PaddleOCR's RecMetric: exact lines and 1 - normalized edit distance) and with the float
 * model's decoding of the same line. Both comparisons ignore spaces, as RecMetric does by default
 * ({@code ignore_space=True}): on the paper margins around a line the float model's space and blank
 * classes are near ties (it reads "Rosixh " or " 506.75" from clean crops), and quantizing the
 * weights alone flips a quarter of those; the table also shows the share decoded alike space for
 * space.
 */
record RecognizerHeldOut(List<Line> lines, CtcDictionary dictionary) implements HeldOut {
  @Override
  public String model() {
    return "recognizer";
  }

  @Override
  public String description() {
    return lines.size() + " lines";
  }

  @Override
  public List<FloatOutput> inputs() {
    return lines.stream().map(l -> PaddleInputs.recognizer(l.image())).toList();
  }

  @Override
  public Scores score(List<FloatOutput> reference, List<FloatOutput> outputs) {
    TextAccuracy truth = new TextAccuracy();
    int same = 0;
    int sameWithSpaces = 0;
    for (int i = 0; i < lines.size(); i++) {
      String read = dictionary.decode(outputs.get(i)).get(0);
      truth.add(lines.get(i).text(), read);
      if (reference != null) {
        String floatRead = dictionary.decode(reference.get(i)).get(0);
        same += read.replace(" ", "").equals(floatRead.replace(" ", "")) ? 1 : 0;
        sameWithSpaces += read.equals(floatRead) ? 1 : 0;
      }
    }
    double agreement = reference == null ? Double.NaN : same / (double) lines.size();
    return new Scores(
        agreement,
        reference == null
            ? "—"
            : String.format(
                Locale.ROOT,
                "%.1f %% of lines decoded alike (%.1f %% space for space)",
                100 * agreement,
                100.0 * sameWithSpaces / lines.size()),
        truth.exact(),
        String.format(
            Locale.ROOT,
            "%.1f %% lines exact, 1 − NED %.3f",
            100 * truth.exact(),
            truth.characters()));
  }
}
