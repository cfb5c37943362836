package dev.qcal.onnx.ocr;

import dev.qcal.onnx.testing.OrtRunner.FloatOutput;

/**
 * The models' inputs made from images as PaddleOCR's own inference scripts make them ({@code
 * tools/infer/predict_rec.py}, {@code predict_cls.py}, {@code predict_det.py}, batches of one),
 * from the BGR bytes {@code cv2.imread} gives.
 */
public final class PaddleInputs {
  /** The text-line height the recognizer and the classifier take. */
  public static final int LINE_HEIGHT = 48;

  /** The recognizer's nominal width ({@code rec_image_shape = 3,48,320}). */
  public static final int RECOGNIZER_WIDTH = 320;

  /** The classifier's width ({@code cls_image_shape = 3,48,192}). */
  public static final int CLASSIFIER_WIDTH = 192;

  /**
   * The detector's longest side ({@code det_limit_side_len = 960}, {@code det_limit_type = max}).
   */
  public static final int DETECTOR_LIMIT = 960;

  // ImageNet's statistics in the order PaddleOCR lists them, applied to the B, G, R channels as
  // they come (NormalizeImage does not swap channels).
  private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};
  private static final float SCALE = (float) (1.0 / 255.0);

  private PaddleInputs() {}

  /**
   * The recognizer's input {@code [1, 3, 48, W]} ({@code TextRecognizer.resize_norm_img}): W is 48
   * times the larger of 320/48 and the line's aspect ratio, truncated; the line is resized to
   * height 48 and width ceil(48 * ratio) (at most W), scaled to [-1, 1] by (p / 255 - 0.5) / 0.5,
   * and the rest of the width is 0.
   */
  public static FloatOutput recognizer(Bgr8Image line) {
    double ratio = line.width() / (double) line.height();
    double maxRatio = Math.max(RECOGNIZER_WIDTH / (double) LINE_HEIGHT, ratio);
    return line(line, (int) (LINE_HEIGHT * maxRatio));
  }

  /**
   * The classifier's input {@code [1, 3, 48, 192]} ({@code TextClassifier.resize_norm_img}): as the
   * recognizer's, at the fixed width 192.
   */
  public static FloatOutput classifier(Bgr8Image line) {
    return line(line, CLASSIFIER_WIDTH);
  }

  /**
   * A text line as {@code resize_norm_img} makes it for a model of input width {@code width}:
   * resized to height 48 and width min(width, ceil(48 * ratio)), scaled to [-1, 1], the rest of the
   * width 0.
   */
  public static FloatOutput line(Bgr8Image line, int width) {
    double ratio = line.width() / (double) line.height();
    int resizedWidth = (int) Math.min(width, Math.ceil(LINE_HEIGHT * ratio));
    Bgr8Image resized = line.resized(resizedWidth, LINE_HEIGHT);
    float[] chw = new float[3 * LINE_HEIGHT * width];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < LINE_HEIGHT; y++) {
        for (int x = 0; x < resizedWidth; x++) {
          chw[(c * LINE_HEIGHT + y) * width + x] = (resized.at(y, x, c) / 255f - 0.5f) / 0.5f;
        }
      }
    }
    return new FloatOutput(new long[] {1, 3, LINE_HEIGHT, width}, chw);
  }

  /**
   * The detector's input {@code [1, 3, H, W]} ({@code DetResizeForTest} with limit type max, {@code
   * NormalizeImage}, {@code ToCHWImage}): a page whose longer side exceeds 960 is scaled down to
   * it; each side is then rounded to the nearest multiple of 32 (at least 32) and the page resized
   * to that; each channel becomes (p / 255 - mean) / std with ImageNet's statistics.
   */
  public static FloatOutput detector(Bgr8Image page) {
    int h = page.height();
    int w = page.width();
    double ratio = Math.max(h, w) > DETECTOR_LIMIT ? (double) DETECTOR_LIMIT / Math.max(h, w) : 1.0;
    int height = multipleOf32((int) (h * ratio));
    int width = multipleOf32((int) (w * ratio));
    Bgr8Image resized = page.resized(width, height);
    float[] chw = new float[3 * height * width];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          chw[(c * height + y) * width + x] = (resized.at(y, x, c) * SCALE - MEAN[c]) / STD[c];
        }
      }
    }
    return new FloatOutput(new long[] {1, 3, height, width}, chw);
  }

  /**
   * Python's {@code max(int(round(side / 32) * 32), 32)}: round half to even, as Python 3's round.
   */
  static int multipleOf32(int side) {
    return Math.max((int) Math.rint(side / 32.0) * 32, 32);
  }
}
