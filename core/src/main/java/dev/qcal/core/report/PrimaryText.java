package dev.qcal.core.report;

import dev.qcal.core.table.PrimaryGap;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The report's sentences that say which method decides and how to read the numbers: the primary
 * method and the files that carry it, the tensors whose primary method is far from the best, what
 * the measured SQNR and MSE are, and why a method's objective is not that MSE.
 */
final class PrimaryText {
  /** Tensors named in the far-from-best sentence before it says how many more there are. */
  static final int NAMED = 10;

  private PrimaryText() {}

  /** The primary method, the files that carry it, and the tensors far from the best. */
  static void render(StringBuilder out, ReportModel model) {
    String primary = model.primaryMethod();
    if (primary == null) {
      return;
    }
    out.append("<p class=\"primary\">Primary method: <b>");
    Html.escapeTo(out, primary);
    out.append("</b>");
    Html.escapeTo(out, ", the first of the run's methods. ");
    Optional<List<String>> files = model.summary().primaryFiles();
    String carried;
    if (files.isEmpty()) {
      carried = "The single-method formats (calibration.cache by default) carry its ranges";
    } else if (files.get().isEmpty()) {
      carried = "No file of this run carries it alone (see the run's warnings)";
    } else {
      carried =
          String.join(", ", files.get())
              + (files.get().size() == 1 ? " carries" : " carry")
              + " its ranges";
    }
    Html.escapeTo(out, carried + "; calibration.json and calibration.csv carry every method.");
    out.append("</p>\n");

    List<PrimaryGap> measured = new ArrayList<>();
    List<PrimaryGap> far = new ArrayList<>();
    for (ReportTensor t : model.tensors()) {
      model.gap(t).ifPresent(measured::add);
      model.gap(t).filter(PrimaryGap::isFar).ifPresent(far::add);
    }
    if (measured.isEmpty()) {
      return;
    }
    out.append("<p class=\"").append(far.isEmpty() ? "status" : "far").append("\">");
    if (far.isEmpty()) {
      Html.escapeTo(
          out,
          "On every tensor the primary method is within "
              + ReportNumbers.num(PrimaryGap.FAR_DB)
              + " dB of measured SQNR of the best method of its row.");
    } else {
      StringBuilder b = new StringBuilder();
      b.append(far.size())
          .append(far.size() == 1 ? " tensor loses" : " tensors lose")
          .append(" more than ")
          .append(ReportNumbers.num(PrimaryGap.FAR_DB))
          .append(" dB of measured SQNR with ")
          .append(primary)
          .append(" against the best method of its row (flag ")
          .append(TensorSection.FAR_FLAG)
          .append(", listed first): ");
      for (int i = 0; i < Math.min(NAMED, far.size()); i++) {
        PrimaryGap g = far.get(i);
        b.append(i == 0 ? "" : ", ")
            .append(g.tensor())
            .append(" (−")
            .append(ReportNumbers.db(g.gapDb()))
            .append(" dB against ")
            .append(g.best().get(0))
            .append(')');
      }
      if (far.size() > NAMED) {
        b.append(" and ").append(far.size() - NAMED).append(" more");
      }
      b.append(". With --methods best,… each tensor takes the method of least measured error.");
      Html.escapeTo(out, b.toString());
    }
    out.append("</p>\n");
  }

  /** What the summary table's SQNR, ★ and gap columns measure. */
  static void measure(StringBuilder out) {
    out.append("<p class=\"status\">");
    Html.escapeTo(
        out,
        "SQNR (and the MSE below) is qcal's measured quantization error, the same for every method:"
            + " each bin of the tensor's full histogram stands for its values at the bin's centre"
            + " (the outermost bins narrowed to the data's exact range), quantized and dequantized"
            + " on the method's grid at the run's bit width and scheme as ONNX QuantizeLinear and"
            + " DequantizeLinear do, so a value beyond the clip range lands on the grid's end and"
            + " the clipping error counts. \u2605 marks the best SQNR of a row (none when the"
            + " tensor has no signal); gap dB is that best SQNR minus the primary method's, and the"
            + " table is sorted by it.");
    out.append("</p>\n");
  }

  /** Why a method's objective differs from the measured MSE shown beside it. */
  static void objectives(StringBuilder out) {
    out.append("<p class=\"status\">");
    Html.escapeTo(
        out,
        "The objective column is what each method's own search minimised or matched, in that"
            + " method's model: the KL divergence between the reference and the quantized"
            + " distribution for the entropy family, the tool's own error model for the mse"
            + " variants (NVIDIA's float32 error of the bin centres, PPQ's error in bin units,"
            + " PyTorch's L2 over 256 bins), OCTAV's model J(s), the weighted entropy H for wq, the"
            + " share of values reached for a percentile. It is computed on the method's own"
            + " histogram, often for another grid than the one written (TVM and PPQ divide by 128,"
            + " PyTorch by 127.5), and a KL divergence is not an error at all: the objective says"
            + " how a method chose, not how well its choice quantizes the tensor. The measured MSE"
            + " column is the error defined above, the same for every method, so the two columns"
            + " can rank the methods differently.");
    out.append("</p>\n");
  }
}
