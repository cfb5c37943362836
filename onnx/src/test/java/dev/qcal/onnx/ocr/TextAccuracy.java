package dev.qcal.onnx.ocr;

/**
 * How well read texts match the texts drawn, as PaddleOCR's {@code RecMetric} scores them (with its
 * default {@code ignore_space=True}): the share of exact matches once spaces are removed, and 1
 * minus the mean normalized edit distance (Levenshtein distance over the longer length).
 */
public final class TextAccuracy {
  private int count;
  private int exact;
  private double normalizedDistance;

  /** Adds one line: what was drawn and what the model read. */
  public void add(String truth, String read) {
    String t = truth.replace(" ", "");
    String r = read.replace(" ", "");
    count++;
    if (t.equals(r)) {
      exact++;
    }
    normalizedDistance +=
        levenshtein(t, r) / (double) Math.max(1, Math.max(t.length(), r.length()));
  }

  /** The lines added. */
  public int count() {
    return count;
  }

  /** The share of lines read exactly (spaces ignored). */
  public double exact() {
    return count == 0 ? Double.NaN : exact / (double) count;
  }

  /** 1 minus the mean normalized edit distance: PaddleOCR's {@code norm_edit_dis}. */
  public double characters() {
    return count == 0 ? Double.NaN : 1 - normalizedDistance / count;
  }

  /**
   * The Levenshtein distance of {@code a} and {@code b} in UTF-16 units (the lines drawn hold BMP
   * characters only).
   */
  static int levenshtein(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
