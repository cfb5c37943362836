package dev.qcal.onnx.ocr;

import dev.qcal.onnx.testing.OcrModels;
import java.io.IOException;

/**
 * The OCR proof's inputs: the models, their dictionary, the fonts and the two renderers, with the
 * seeds of the calibration set and of the held-out set (different seeds, so different texts, sizes,
 * colours and noise; the same seed always gives the same images).
 *
 * @param models the PaddleOCR models ({@code .ci/fetch-models})
 * @param dictionary the recognizer's CTC classes
 * @param lines text-line crops for the recognizer and the classifier
 * @param pages document pages for the detector
 */
public record OcrSets(
    OcrModels models, CtcDictionary dictionary, TextLineRenderer lines, PageRenderer pages) {
  /** The seed of the lines and pages calibration runs on. */
  public static final long CALIBRATION_SEED = 1;

  /** The seed of the lines and pages the float and quantized models are compared on. */
  public static final long HELD_OUT_SEED = 2;

  /**
   * Everything, or the calling test skipped (failed on CI) when the models or fonts are missing.
   */
  public static OcrSets require() throws IOException {
    OcrModels models = OcrModels.require();
    OcrFonts fonts = OcrFonts.require();
    CtcDictionary dictionary = CtcDictionary.read(models.dictionary());
    LineTexts texts = new LineTexts(dictionary, fonts);
    return new OcrSets(
        models, dictionary, new TextLineRenderer(fonts, texts), new PageRenderer(fonts, texts));
  }
}
