package dev.qcal.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * One reference vector from {@code shared/vectors} (copied to {@code src/test/resources/vectors}):
 * a histogram (or raw values) exactly as the reference tool built it, its parameters and the tool's
 * answer. See the vectors' README for the fields.
 */
public final class ReferenceVector {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String file;
  private final JsonNode root;

  private ReferenceVector(String file, JsonNode root) {
    this.file = file;
    this.root = root;
  }

  /** Loads {@code vectors/<file>} from the test class path. */
  public static ReferenceVector load(String file) {
    try (InputStream in = ReferenceVector.class.getResourceAsStream("/vectors/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("No reference vector " + file);
      }
      return new ReferenceVector(file, JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file name. */
  public String file() {
    return file;
  }

  /** The whole JSON document. */
  public JsonNode json() {
    return root;
  }

  /** {@code params.<name>}. */
  public JsonNode param(String name) {
    return root.path("params").path(name);
  }

  /** {@code expected.<name>} as a double. */
  public double expected(String name) {
    JsonNode n = root.path("expected").path(name);
    if (n.isMissingNode()) {
      throw new IllegalArgumentException(file + " has no expected." + name);
    }
    return n.asDouble();
  }

  /** {@code rtol}. */
  public double rtol() {
    return root.path("rtol").asDouble(1e-6);
  }

  /** True when the vector has a histogram ({@code counts}). */
  public boolean hasHistogram() {
    return root.has("counts");
  }

  /** The counts, exactly. */
  public long[] counts() {
    JsonNode c = root.get("counts");
    long[] out = new long[c.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = c.get(i).asLong();
    }
    return out;
  }

  /**
   * The edges: {@code edges} if given, else the uniform edges of {@code range} computed as numpy
   * does ({@code linspace} in float64, then cast to float32 unless {@code dtype} is float64).
   */
  public double[] edges() {
    int n = root.get("counts").size();
    double[] e = new double[n + 1];
    boolean float32 = !"float64".equals(root.path("dtype").asText("float32"));
    if (root.has("edges")) {
      JsonNode ed = root.get("edges");
      for (int i = 0; i <= n; i++) {
        e[i] = ed.get(i).asDouble();
      }
      return e;
    }
    double lo = root.get("range").get(0).asDouble();
    double hi = root.get("range").get(1).asDouble();
    double step = (hi - lo) / n;
    for (int i = 0; i <= n; i++) {
      // numpy.linspace: lo + i*step, with the last point exactly hi.
      double v = i == n ? hi : lo + i * step;
      e[i] = float32 ? (float) v : v;
    }
    return e;
  }

  /** The histogram with the vector's edges, in {@code domain}. */
  public Histogram histogram(Domain domain) {
    return Histogram.withEdges(domain, edges(), counts());
  }

  /** The data min: {@code min} if given, else the first edge. */
  public double min() {
    return root.has("min") ? root.get("min").asDouble() : edges()[0];
  }

  /** The data max: {@code max} if given, else the last edge. */
  public double max() {
    double[] e = edges();
    return root.has("max") ? root.get("max").asDouble() : e[e.length - 1];
  }

  /** Tensor statistics holding only this vector's histogram, in {@code domain}. */
  public TensorStatistics statistics(Domain domain) {
    return TensorStatistics.ofHistogram(histogram(domain), min(), max());
  }

  /** The raw values, as float32. */
  public float[] values() {
    JsonNode v = root.get("values");
    float[] out = new float[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) v.get(i).asDouble();
    }
    return out;
  }

  /** Asserts {@code actual} equals {@code expected} within the vector's rtol, naming the file. */
  public void assertClose(String what, double expected, double actual) {
    double tol = rtol() * Math.max(Math.abs(expected), 1e-12);
    if (!(Math.abs(expected - actual) <= tol)) {
      throw new AssertionError(
          String.format(
              "%s: %s expected %s, got %s (rtol %s)", file, what, expected, actual, rtol()));
    }
  }
}
