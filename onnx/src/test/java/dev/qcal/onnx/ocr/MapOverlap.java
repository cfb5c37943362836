package dev.qcal.onnx.ocr;

/**
 * How much two detectors' text regions overlap: the intersection over union of the pixels whose
 * probability exceeds PaddleOCR's binarization threshold ({@code det_db_thresh = 0.3}), pooled over
 * every map added.
 */
public final class MapOverlap {
  /** PaddleOCR's DB binarization threshold. */
  public static final float THRESHOLD = 0.3f;

  private long intersection;
  private long union;

  /** Adds one pair of probability maps of the same shape. */
  public void add(float[] reference, float[] other) {
    if (reference.length != other.length) {
      throw new IllegalArgumentException(
          "maps of " + reference.length + " and " + other.length + " pixels");
    }
    for (int i = 0; i < reference.length; i++) {
      boolean a = reference[i] > THRESHOLD;
      boolean b = other[i] > THRESHOLD;
      intersection += a && b ? 1 : 0;
      union += a || b ? 1 : 0;
    }
  }

  /** The pooled intersection over union; 1 when neither map has a text pixel. */
  public double iou() {
    return union == 0 ? 1 : intersection / (double) union;
  }
}
