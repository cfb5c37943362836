package dev.qcal.core.report;

/** The method colours (CSS classes {@code m0}…{@code m7}), distinguishable and print-safe. */
final class Palette {
  static final String[] COLOURS = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"
  };
  static final int SIZE = COLOURS.length;

  private Palette() {}

  /** The CSS rules of the colour classes. */
  static String css() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < SIZE; i++) {
      out.append(".m").append(i).append("{color:").append(COLOURS[i]).append("}\n");
    }
    return out.toString();
  }
}
