package dev.qcal.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.histogram.WeightedHistogram;
import java.io.InputStream;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the command line's histogram input: histograms in the reference vectors' layout
 * (core/src/test/resources/vectors/README.md), so a vector file, or a histogram dumped from another
 * tool, can be calibrated without a Parquet dump.
 *
 * <h2>One histogram</h2>
 *
 * <pre>{@code
 * {"counts": [5, 3, 0, 1],                 // non-negative numbers: whole counts, or fractional
 *                                          //   ones (PyTorch's HistogramObserver keeps floats)
 *  "edges": [0.0, 0.5, 1.0, 1.5, 2.0],     // counts + 1 strictly increasing finite values, or
 *  "range": [0.0, 2.0],                    // uniform bins over [lo, hi], lo < hi
 *  "dtype": "float32",                     // optional, with "range": edges are numpy's
 *                                          //   linspace rounded to float32 (default) or float64
 *  "domain": "absolute",                   // optional: "absolute" (|x|), "signed" (x) or "log2";
 *                                          //   default absolute when the first edge is >= 0,
 *                                          //   else signed
 *  "min": -1.7, "max": 1.9,                // optional data range (default: first and last edge)
 *  "name": "conv1"}                        // optional tensor name (default: the file's base name
 *                                          //   without ".json")
 * }</pre>
 *
 * A {@code "domain": "log2"} histogram is caffe-WQ's layout ({@code wq:log}): 16 bins per octave of
 * positive values, bin j covering 16·log2 x in [offset + j, offset + j + 1), with {@code "offset"}
 * an integer (default −640, caffe-WQ's: bin 0 starts at 2^−40) instead of {@code edges} or {@code
 * range}.
 *
 * <p>Raw values instead of a histogram, as in the OCTAV and weighted-entropy vectors: {@code
 * {"values": [0.12, -1.5, ...]}} (finite numbers, read as float32); the range statistics come from
 * the values, and only the methods defined on values run on them ({@code wq}, {@code octav}, {@code
 * octav:aiedge}, {@code max}).
 *
 * <p>Other fields (a vector's {@code method}, {@code params}, {@code expected}, ...) are ignored.
 * Whether a method can run on what a tensor holds is checked by {@link
 * dev.qcal.core.calib.MethodInputs}: fractional counts only for the methods whose reference tools
 * count in floats.
 *
 * <h2>Several histograms</h2>
 *
 * {@code {"tensors": {"conv1": {...}, "fc": {...}}}}, or the same object without the wrapper, every
 * value of which is a histogram object. A {@code tensors} value that itself has {@code counts} is a
 * tensor called "tensors".
 *
 * <p>The statistics of a histogram are those of {@link TensorStatistics#ofHistogram} (or {@link
 * TensorStatistics#ofWeighted} for fractional counts): the count is the histogram's total (no NaN
 * or ±Inf information), min and max as above.
 */
public final class HistogramJson {
  static final String COUNTS = "counts";
  static final String EDGES = "edges";
  static final String RANGE = "range";
  static final String DTYPE = "dtype";
  static final String DOMAIN = "domain";
  static final String MIN = "min";
  static final String MAX = "max";
  static final String NAME = "name";
  static final String TENSORS = "tensors";
  static final String VALUES = "values";
  static final String OFFSET = "offset";

  /** caffe-WQ's log histogram offset: bin 0 starts at 16·log2 x = −640, i.e. x = 2^−40. */
  static final int CAFFE_WQ_OFFSET = -640;

  private HistogramJson() {}

  /**
   * The histograms of a JSON document, by tensor name (sorted, unmodifiable); {@code sourceName} (a
   * file name or path) names the document in messages.
   *
   * @throws InputFormatException naming the source, the tensor and the field if the document is not
   *     valid JSON or a histogram is malformed (missing field, mismatched lengths, negative or
   *     non-integer counts, non-increasing edges, unknown domain)
   */
  public static Map<String, TensorStatistics> read(InputStream in, String sourceName) {
    JsonNode root = JsonInput.parse(in, sourceName);
    if (!root.isObject()) {
      throw new InputFormatException(
          sourceName + ": expected a JSON object, not " + JsonInput.describe(root));
    }
    Map<String, TensorStatistics> out = new TreeMap<>();
    if (root.has(COUNTS) || root.has(VALUES)) {
      String name = root.has(NAME) ? JsonInput.text(root, NAME, sourceName) : baseName(sourceName);
      out.put(name, tensor(root, sourceName + ": tensor " + JsonInput.quote(name)));
      return Collections.unmodifiableMap(out);
    }
    JsonNode all = root;
    JsonNode wrapped = root.get(TENSORS);
    if (wrapped != null && wrapped.isObject() && !wrapped.has(COUNTS) && !wrapped.has(VALUES)) {
      all = wrapped;
    }
    if (all.isEmpty()) {
      throw new InputFormatException(sourceName + ": no histogram found (the object is empty)");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String context = sourceName + ": tensor " + JsonInput.quote(e.getKey());
      if (!e.getValue().isObject()) {
        throw new InputFormatException(
            context
                + ": expected a histogram object with 'counts', not "
                + JsonInput.describe(e.getValue())
                + " (the file holds one histogram, {\"tensors\": {name: histogram}}, or histograms"
                + " keyed by tensor name)");
      }
      out.put(e.getKey(), tensor(e.getValue(), context));
    }
    return Collections.unmodifiableMap(out);
  }

  private static String baseName(String source) {
    String s = source.substring(Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\')) + 1);
    return s.endsWith(".json") && s.length() > 5 ? s.substring(0, s.length() - 5) : s;
  }

  private static TensorStatistics tensor(JsonNode node, String context) {
    if (node.has(VALUES)) {
      if (node.has(COUNTS)) {
        throw new InputFormatException(
            context + ": give either 'counts' (a histogram) or 'values' (raw values), not both");
      }
      return TensorStatistics.ofValues(values(JsonInput.array(node, VALUES, context), context));
    }
    JsonNode countsNode = JsonInput.array(node, COUNTS, context);
    double[] counts = counts(countsNode, context);
    long[] whole = wholeCounts(countsNode);
    boolean log2 =
        node.has(DOMAIN) && JsonInput.text(node, DOMAIN, context).equals(Domain.LOG2.key());
    double[] edges =
        log2 ? log2Edges(node, counts.length, context) : edges(node, counts.length, context);
    Domain domain = log2 ? Domain.LOG2 : domain(node, edges, context);
    double min = node.has(MIN) ? JsonInput.number(node, MIN, context) : edges[0];
    double max = node.has(MAX) ? JsonInput.number(node, MAX, context) : edges[edges.length - 1];
    if (min > max || !Float.isFinite((float) min) || !Float.isFinite((float) max)) {
      throw new InputFormatException(
          String.format(
              "%s: 'min' (%s) and 'max' (%s) must be float32 values with min <= max",
              context, min, max));
    }
    try {
      return whole == null
          ? TensorStatistics.ofWeighted(
              WeightedHistogram.withEdges(domain, edges, counts), min, max)
          : TensorStatistics.ofHistogram(Histogram.withEdges(domain, edges, whole), min, max);
    } catch (IllegalArgumentException e) {
      throw new InputFormatException(context + ": " + e.getMessage(), e);
    }
  }

  /** Non-negative finite counts, whole or fractional. */
  private static double[] counts(JsonNode c, String context) {
    if (c.isEmpty()) {
      throw new InputFormatException(context + ": 'counts' is empty (need at least one bin)");
    }
    double[] counts = new double[c.size()];
    for (int i = 0; i < counts.length; i++) {
      JsonNode v = c.get(i);
      double d = v.isNumber() ? v.doubleValue() : Double.NaN;
      if (!(d >= 0) || Double.isInfinite(d)) {
        throw new InputFormatException(
            String.format(
                "%s: 'counts'[%d] is %s, not a non-negative number",
                context, i, JsonInput.describe(v)));
      }
      counts[i] = d;
    }
    return counts;
  }

  /** The counts exactly as whole numbers (3.0 is 3), or null when one is fractional (2.5). */
  private static long[] wholeCounts(JsonNode c) {
    long[] out = new long[c.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = c.get(i);
      if (v.isIntegralNumber() && v.canConvertToLong()) {
        out[i] = v.longValue();
      } else if (v.doubleValue() == Math.rint(v.doubleValue()) && v.doubleValue() < 0x1p63) {
        out[i] = (long) v.doubleValue();
      } else {
        return null;
      }
    }
    return out;
  }

  /** Finite numbers, as float32. */
  private static float[] values(JsonNode v, String context) {
    if (v.isEmpty()) {
      throw new InputFormatException(context + ": 'values' is empty (need at least one value)");
    }
    float[] out = new float[v.size()];
    for (int i = 0; i < out.length; i++) {
      double d = JsonInput.numberValue(v.get(i), "'values'[" + i + "]", context);
      if (!Float.isFinite((float) d)) {
        throw new InputFormatException(
            String.format("%s: 'values'[%d] is %s, not a finite float32 value", context, i, d));
      }
      out[i] = (float) d;
    }
    return out;
  }

  /** caffe-WQ's log2 layout: edge j is 2^((offset + j)/16); no 'edges' or 'range'. */
  private static double[] log2Edges(JsonNode node, int bins, String context) {
    if (node.has(EDGES) || node.has(RANGE)) {
      throw new InputFormatException(
          context
              + ": a log2 histogram takes 'offset' (16·log2 of bin 0's lower edge, an integer;"
              + " default -640, caffe-WQ's), not 'edges' or 'range': its bins are 16 per octave");
    }
    long offset = node.has(OFFSET) ? JsonInput.integer(node, OFFSET, context) : CAFFE_WQ_OFFSET;
    double[] edges = new double[bins + 1];
    for (int j = 0; j <= bins; j++) {
      edges[j] = Math.pow(2.0, (offset + j) / (double) HistogramSpec.LOG2_BINS_PER_OCTAVE);
      if (!(edges[j] > 0) || Double.isInfinite(edges[j])) {
        throw new InputFormatException(
            String.format(
                "%s: 'offset' %d with %d bins reaches beyond the doubles (edge %d is %s)",
                context, offset, bins, j, edges[j]));
      }
    }
    return edges;
  }

  private static double[] edges(JsonNode node, int bins, String context) {
    boolean hasEdges = node.has(EDGES);
    boolean hasRange = node.has(RANGE);
    if (hasEdges == hasRange) {
      throw new InputFormatException(
          context
              + (hasEdges
                  ? ": give either 'edges' or 'range', not both"
                  : ": missing 'edges' (counts + 1 bin edges) or 'range' ([lo, hi] of uniform"
                      + " bins)"));
    }
    double[] edges = new double[bins + 1];
    if (hasEdges) {
      JsonNode e = JsonInput.array(node, EDGES, context);
      if (e.size() != bins + 1) {
        throw new InputFormatException(
            String.format(
                "%s: 'counts' has %d values but 'edges' has %d (need %d)",
                context, bins, e.size(), bins + 1));
      }
      for (int i = 0; i <= bins; i++) {
        edges[i] = JsonInput.numberValue(e.get(i), "'edges'[" + i + "]", context);
      }
    } else {
      JsonNode r = JsonInput.array(node, RANGE, context);
      double lo = r.size() == 2 ? JsonInput.numberValue(r.get(0), "'range'[0]", context) : 0;
      double hi = r.size() == 2 ? JsonInput.numberValue(r.get(1), "'range'[1]", context) : 0;
      if (r.size() != 2 || !(lo < hi)) {
        throw new InputFormatException(
            String.format(
                "%s: 'range' must be [lo, hi] with lo < hi, not %s",
                context, JsonInput.describe(r)));
      }
      boolean float32 = float32(node, context);
      // numpy.linspace(lo, hi, bins + 1) in float64 (lo + i·step, the last point exactly hi), then
      // rounded to float32 unless the histogram says float64: what the reference tools did.
      double step = (hi - lo) / bins;
      for (int i = 0; i <= bins; i++) {
        double v = i == bins ? hi : lo + i * step;
        edges[i] = float32 ? (float) v : v;
      }
    }
    for (int i = 1; i <= bins; i++) {
      if (!(edges[i] > edges[i - 1])) {
        throw new InputFormatException(
            String.format(
                "%s: 'edges' must increase strictly, but edges[%d] = %s follows edges[%d] = %s",
                context, i, edges[i], i - 1, edges[i - 1]));
      }
    }
    return edges;
  }

  private static boolean float32(JsonNode node, String context) {
    if (!node.has(DTYPE)) {
      return true;
    }
    String dtype = JsonInput.text(node, DTYPE, context);
    if (dtype.equals("float32") || dtype.equals("float64")) {
      return dtype.equals("float32");
    }
    throw new InputFormatException(
        String.format("%s: 'dtype' is '%s', expected 'float32' or 'float64'", context, dtype));
  }

  private static Domain domain(JsonNode node, double[] edges, String context) {
    if (!node.has(DOMAIN)) {
      return edges[0] >= 0 ? Domain.ABSOLUTE : Domain.SIGNED;
    }
    String d = JsonInput.text(node, DOMAIN, context);
    if (d.equals(Domain.SIGNED.key())) {
      return Domain.SIGNED;
    }
    if (!d.equals(Domain.ABSOLUTE.key())) {
      throw new InputFormatException(
          String.format(
              "%s: 'domain' is '%s', expected 'absolute', 'signed' or 'log2'", context, d));
    }
    if (edges[0] < 0) {
      throw new InputFormatException(
          String.format(
              "%s: 'domain' is 'absolute' but the first edge is %s (|x| is never negative)",
              context, edges[0]));
    }
    return Domain.ABSOLUTE;
  }
}
