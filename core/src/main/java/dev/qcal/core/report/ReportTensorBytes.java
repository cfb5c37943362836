package dev.qcal.core.report;

import dev.qcal.core.calib.eval.QuantNoise;
import dev.qcal.core.histogram.ByteArrayReader;
import dev.qcal.core.histogram.ByteArrayWriter;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.core.table.TensorCalibrationBytes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Report rows ({@link ReportTensor}s) written one after another into one byte array, and read back
 * equal field for field: what the Spark job's tasks return to the driver instead of the rows' Java
 * object graphs (a summary row is 475 bytes here, 986 as a graph, and written and read back in a
 * tenth of the CPU; at 20 000 tensors the run's CPU fell by about 1 s, 0.2 s of it C2's). The form
 * is the table row's ({@link TensorCalibrationBytes}) then the plot's: its coarse histogram, each
 * method's metrics, its thinned curves, every map in its order and every number by its bits. It
 * lives for one run (executors to driver), so it carries no version.
 */
public final class ReportTensorBytes {
  private static final int HISTOGRAM = 1;
  private static final int CURVES = 2;

  private final ByteArrayWriter out = new ByteArrayWriter(1 << 12);

  /**
   * Appends {@code t}.
   *
   * @throws IllegalArgumentException if a result holds a detail the form does not carry
   */
  public ReportTensorBytes add(ReportTensor t) {
    TensorCalibrationBytes.write(out, t.row());
    writePlot(t.plot());
    return this;
  }

  /** The rows added so far, in order. */
  public byte[] toByteArray() {
    return out.toByteArray();
  }

  /** The form of {@code t} alone. */
  public static byte[] of(ReportTensor t) {
    return new ReportTensorBytes().add(t).toByteArray();
  }

  /**
   * The rows of {@code bytes}, in the order they were added.
   *
   * @throws IllegalArgumentException if the bytes are not such rows
   */
  public static List<ReportTensor> rows(byte[] bytes) {
    List<ReportTensor> rows = new ArrayList<>();
    ByteArrayReader in = new ByteArrayReader(bytes);
    while (!in.atEnd()) {
      TensorCalibration row = TensorCalibrationBytes.read(in);
      rows.add(new ReportTensor(row, readPlot(in)));
    }
    return rows;
  }

  private void writePlot(TensorPlot plot) {
    PlotHistogram h = plot.histogram().orElse(null);
    PlotCurves curves = plot.curves().orElse(null);
    out.putByte((h != null ? HISTOGRAM : 0) | (curves != null ? CURVES : 0));
    if (h != null) {
      out.putByte(h.domain().ordinal());
      out.putDoubles(h.edges());
      for (int j = 0; j < h.binCount(); j++) {
        out.putVarLong(h.count(j));
      }
      out.putVarLong(h.below());
      out.putVarLong(h.above());
      out.putVarLong(h.nan());
    }
    out.putVarLong(plot.metrics().size());
    for (Map.Entry<String, MethodMetrics> m : plot.metrics().entrySet()) {
      out.putString(m.getKey());
      out.putDouble(m.getValue().clippedFraction());
      out.putDouble(m.getValue().noise().mse());
      out.putDouble(m.getValue().noise().signalPower());
    }
    if (curves != null) {
      writeCurves(curves);
    }
  }

  private static TensorPlot readPlot(ByteArrayReader in) {
    int parts = in.getByte();
    PlotHistogram h = null;
    if ((parts & HISTOGRAM) != 0) {
      Domain domain = Domain.values()[in.getByte()];
      double[] edges = in.getDoubles();
      long[] counts = new long[Math.max(0, edges.length - 1)];
      for (int j = 0; j < counts.length; j++) {
        counts[j] = in.getVarLong();
      }
      h =
          new PlotHistogram(
              domain, edges, counts, in.getVarLong(), in.getVarLong(), in.getVarLong());
    }
    Map<String, MethodMetrics> metrics = new LinkedHashMap<>();
    for (int n = in.getSize(); n > 0; n--) {
      String method = in.getString();
      double clipped = in.getDouble();
      metrics.put(
          method, new MethodMetrics(clipped, new QuantNoise(in.getDouble(), in.getDouble())));
    }
    PlotCurves curves = (parts & CURVES) != 0 ? readCurves(in) : null;
    return h == null && curves == null && metrics.isEmpty()
        ? TensorPlot.NONE
        : new TensorPlot(h, metrics, curves);
  }

  private void writeCurves(PlotCurves curves) {
    Map<String, Map<String, PlotCurves.Curve>> byMethod = curves.byMethod();
    out.putVarLong(byMethod.size());
    for (Map.Entry<String, Map<String, PlotCurves.Curve>> m : byMethod.entrySet()) {
      out.putString(m.getKey());
      out.putVarLong(m.getValue().size());
      for (Map.Entry<String, PlotCurves.Curve> c : m.getValue().entrySet()) {
        out.putString(c.getKey());
        out.putDoubles(c.getValue().thresholds());
        out.putDoubles(c.getValue().objectives());
        out.putVarLong(c.getValue().hidden());
      }
    }
  }

  private static PlotCurves readCurves(ByteArrayReader in) {
    Map<String, Map<String, PlotCurves.Curve>> byMethod = new LinkedHashMap<>();
    for (int n = in.getSize(); n > 0; n--) {
      String method = in.getString();
      Map<String, PlotCurves.Curve> curves = new LinkedHashMap<>();
      for (int k = in.getSize(); k > 0; k--) {
        String name = in.getString();
        double[] thresholds = in.getDoubles();
        double[] objectives = in.getDoubles();
        curves.put(name, new PlotCurves.Curve(thresholds, objectives, in.getVarInt()));
      }
      byMethod.put(method, curves);
    }
    return new PlotCurves(byMethod);
  }
}
