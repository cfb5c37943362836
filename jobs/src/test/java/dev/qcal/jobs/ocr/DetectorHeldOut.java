package dev.qcal.jobs.ocr;

import dev.qcal.onnx.ocr.DetectionScore;
import dev.qcal.onnx.ocr.MapOverlap;
import dev.qcal.onnx.ocr.PaddleInputs;
import dev.qcal.onnx.ocr.PageRenderer.Page;
import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import java.util.List;
import java.util.Locale;

/**
 * Held-out pages for the text detector: the lines drawn that its probability map finds, and the
 * overlap (IoU) of its text regions (map > 0.3) with the float model's.
 */
record DetectorHeldOut(List<Page> pages) implements HeldOut {
  @Override
  public String model() {
    return "detector";
  }

  @Override
  public String description() {
    return pages.size()
        + " pages, "
        + pages.stream().mapToInt(p -> p.lines().size()).sum()
        + " lines";
  }

  @Override
  public List<FloatOutput> inputs() {
    return pages.stream().map(p -> PaddleInputs.detector(p.image())).toList();
  }

  @Override
  public Scores score(List<FloatOutput> reference, List<FloatOutput> outputs) {
    DetectionScore found = new DetectionScore();
    MapOverlap overlap = new MapOverlap();
    for (int i = 0; i < pages.size(); i++) {
      Page page = pages.get(i);
      found.add(outputs.get(i), page.image().width(), page.image().height(), page.lines());
      if (reference != null) {
        overlap.add(reference.get(i).values(), outputs.get(i).values());
      }
    }
    double agreement = reference == null ? Double.NaN : overlap.iou();
    return new Scores(
        agreement,
        reference == null ? "—" : String.format(Locale.ROOT, "text regions IoU %.3f", agreement),
        found.recall(),
        String.format(
            Locale.ROOT,
            "%.1f %% lines found, %.1f %% of text pixels in a line's box",
            100 * found.recall(),
            100 * found.precision()));
  }
}
