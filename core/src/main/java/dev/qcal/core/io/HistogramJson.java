package dev.qcal.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import java.io.InputStream;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the command line's histogram input: histograms in the reference vectors' layout
 * (shared/vectors/README.md), so a vector file, or a histogram dumped from another tool, can be
 * calibrated without a Parquet dump.
 *
 * <h2>One histogram</h2>
 *
 * <pre>{@code
 * {"counts": [5, 3, 0, 1],                 // non-negative integers (3.0 is accepted, 2.5 is not)
 *  "edges": [0.0, 0.5, 1.0, 1.5, 2.0],     // counts + 1 strictly increasing finite values, or
 *  "range": [0.0, 2.0],                    // uniform bins over [lo, hi], lo < hi
 *  "dtype": "float32",                     // optional, with "range": edges are numpy's
 *                                          //   linspace rounded to float32 (default) or float64
 *  "domain": "absolute",                   // optional: "absolute" (|x|) or "signed" (x); default
 *                                          //   absolute when the first edge is >= 0, else signed
 *  "min": -1.7, "max": 1.9,                // optional data range (default: first and last edge)
 *  "name": "conv1"}                        // optional tensor name (default: the file's base name
 *                                          //   without ".json")
 * }</pre>
 *
 * Other fields (a vector's {@code method}, {@code params}, {@code expected}, ...) are ignored.
 *
 * <h2>Several histograms</h2>
 *
 * {@code {"tensors": {"conv1": {...}, "fc": {...}}}}, or the same object without the wrapper, every
 * value of which is a histogram object. A {@code tensors} value that itself has {@code counts} is a
 * tensor called "tensors".
 *
 * <p>The statistics of each tensor are those of {@link TensorStatistics#ofHistogram}: the count is
 * the histogram's total (no NaN or ±Inf information), min and max as above.
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

  private HistogramJson() {}

  /**
   * The histograms of a JSON document, by tensor name (sorted, unmodifiable); {@code sourceName}
   * (a file name or path) names the document in messages.
   *
   * @throws InputFormatException naming the source, the tensor and the field if the document is
   *     not valid JSON or a histogram is malformed (missing field, mismatched lengths, negative or
   *     non-integer counts, non-increasing edges, unknown domain)
   */
  public static Map<String, TensorStatistics> read(InputStream in, String sourceName) {
    JsonNode root = JsonInput.parse(in, sourceName);
    if (!root.isObject()) {
      throw new InputFormatException(
          sourceName + ": expected a JSON object, not " + JsonInput.describe(root));
    }
    Map<String, TensorStatistics> out = new TreeMap<>();
    if (root.has(COUNTS)) {
      String name =
          root.has(NAME) ? JsonInput.text(root, NAME, sourceName) : baseName(sourceName);
      out.put(name, tensor(root, sourceName + ": tensor " + JsonInput.quote(name)));
      return Collections.unmodifiableMap(out);
    }
    JsonNode all = root;
    JsonNode wrapped = root.get(TENSORS);
    if (wrapped != null && wrapped.isObject() && !wrapped.has(COUNTS)) {
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
    long[] counts = counts(JsonInput.array(node, COUNTS, context), context);
    double[] edges = edges(node, counts.length, context);
    Domain domain = domain(node, edges, context);
    double min = node.has(MIN) ? JsonInput.number(node, MIN, context) : edges[0];
    double max = node.has(MAX) ? JsonInput.number(node, MAX, context) : edges[edges.length - 1];
    if (min > max || !Float.isFinite((float) min) || !Float.isFinite((float) max)) {
      throw new InputFormatException(
          String.format(
              "%s: 'min' (%s) and 'max' (%s) must be float32 values with min <= max",
              context, min, max));
    }
    try {
      return TensorStatistics.ofHistogram(Histogram.withEdges(domain, edges, counts), min, max);
    } catch (IllegalArgumentException e) {
      throw new InputFormatException(context + ": " + e.getMessage(), e);
    }
  }

  private static long[] counts(JsonNode c, String context) {
    if (c.isEmpty()) {
      throw new InputFormatException(context + ": 'counts' is empty (need at least one bin)");
    }
    long[] counts = new long[c.size()];
    for (int i = 0; i < counts.length; i++) {
      JsonNode v = c.get(i);
      boolean integral =
          v.isIntegralNumber() && v.canConvertToLong()
              || v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue())
                  && Math.abs(v.doubleValue()) < 0x1p63;
      if (!integral || v.longValue() < 0) {
        throw new InputFormatException(
            String.format(
                "%s: 'counts'[%d] is %s, not a non-negative integer",
                context, i, JsonInput.describe(v)));
      }
      counts[i] = v.isIntegralNumber() ? v.longValue() : (long) v.doubleValue();
    }
    return counts;
  }

  private static double[] edges(JsonNode node, int bins, String context) {
    boolean hasEdges = node.has(EDGES);
    boolean hasRange = node.has(RANGE);
    if (hasEdges == hasRange) {
      throw new InputFormatException(
          context
              + (hasEdges
                  ? ": give either 'edges' or 'range', not both"
                  : ": missing 'edges' (counts + 1 bin edges) or 'range' ([lo, hi] of uniform bins)"));
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
                "%s: 'range' must be [lo, hi] with lo < hi, not %s", context, JsonInput.describe(r)));
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
          String.format("%s: 'domain' is '%s', expected 'absolute' or 'signed'", context, d));
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
