package dev.qcal.core.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.qcal.core.drift.DriftReport;
import dev.qcal.core.drift.Measure;
import dev.qcal.core.drift.MethodDrift;
import dev.qcal.core.drift.MethodRange;
import dev.qcal.core.drift.RangeTable;
import dev.qcal.core.drift.TensorDrift;
import dev.qcal.core.table.TensorFlag;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Writes {@code drift.json}, the drift of a run's table against its baseline (docs/nightly.md,
 * "Scheduling / Nightly runs"). Deterministic like every qcal output: tensors sorted by name,
 * methods in table order, no timestamps, the layout and number format of {@link CalibrationJson}.
 *
 * <pre>{@code
 * {
 *   "format": "qcal.drift",
 *   "version": 1,
 *   "baseline": "s3a://bucket/calib/run_id=2026-11-21/calibration.json",
 *   "quant": {"scheme": "symmetric", "bits": 8},
 *   "measure": "scale",                 // symmetric schemes; "range" for affine ones
 *   "limit": 0.1,                       // null when drift is only reported
 *   "methods": ["entropy", "max"],      // compared: present in both tables
 *   "tensors_compared": 2,
 *   "exceeded": ["conv2"],              // sorted; empty without a limit
 *   "worst": {"tensor": "conv2", "method": "max", "change": 0.25, "measure": "scale"},  // or null
 *   "appeared": [],                     // only in this run
 *   "disappeared": [],                  // only in the baseline
 *   "tensors": [
 *     {"name": "conv2", "change": 0.25, "exceeds": true,
 *      "degenerate": {"baseline": [], "current": ["all_zero"]},   // only if either is degenerate
 *      "methods": {
 *        "max": {"measure": "scale",
 *                "baseline": {"amax": 2.0, "scale": 0.015748031},   // affine: min, max, scale
 *                "current": {"amax": 2.5, "scale": 0.019685039},
 *                "change": 0.25}}}                                  // affine adds change_min, change_max
 *   ]
 * }
 * }</pre>
 *
 * A change that no ratio describes (measure {@code degenerate_changed} or {@code zero_baseline}) is
 * unbounded and written {@code null}, as is the change of a method not compared ({@code
 * not_compared}, with a {@code note}); the measure says which.
 */
public final class DriftJson {
  /** The {@code format} field. */
  public static final String FORMAT_NAME = "qcal.drift";

  /** The schema version written. */
  public static final int CURRENT_VERSION = 1;

  private static final JsonFactory FACTORY =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  private DriftJson() {}

  /**
   * Writes {@code report} (the drift of {@code current} against the baseline named {@code
   * baseline}) to {@code out} (UTF-8; flushed, not closed).
   */
  public static void write(
      DriftReport report, RangeTable current, String baseline, OutputStream out) {
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.setPrettyPrinter(new CanonicalPrettyPrinter());
      boolean symmetric = current.scheme().isSymmetric();
      g.writeStartObject();
      g.writeStringField("format", FORMAT_NAME);
      g.writeNumberField("version", CURRENT_VERSION);
      g.writeStringField("baseline", baseline);
      g.writeObjectFieldStart("quant");
      g.writeStringField("scheme", current.scheme().key());
      g.writeNumberField("bits", current.bits());
      g.writeEndObject();
      g.writeStringField("measure", (symmetric ? Measure.SCALE : Measure.RANGE).key());
      g.writeFieldName("limit");
      number(report.limit().isPresent() ? report.limit().getAsDouble() : Double.NaN, g);
      strings("methods", report.methods(), g);
      g.writeNumberField("tensors_compared", report.tensors().size());
      strings("exceeded", report.exceeded().stream().map(TensorDrift::name).toList(), g);
      g.writeFieldName("worst");
      Optional<TensorDrift> worst = report.worst();
      if (worst.isPresent()) {
        MethodDrift m = worst.get().worstMethod().orElseThrow();
        g.writeStartObject();
        g.writeStringField("tensor", worst.get().name());
        g.writeStringField("method", m.method());
        g.writeFieldName("change");
        number(m.change(), g);
        g.writeStringField("measure", m.measure().key());
        g.writeEndObject();
      } else {
        g.writeNull();
      }
      strings("appeared", report.appeared(), g);
      strings("disappeared", report.disappeared(), g);
      g.writeArrayFieldStart("tensors");
      for (TensorDrift t : report.tensors()) {
        tensor(t, symmetric, g);
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeRaw('\n');
      g.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the drift JSON", e);
    }
  }

  /** The JSON text {@link #write} writes. */
  public static String toJson(DriftReport report, RangeTable current, String baseline) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    write(report, current, baseline, buf);
    return buf.toString(StandardCharsets.UTF_8);
  }

  private static void tensor(TensorDrift t, boolean symmetric, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", t.name());
    g.writeFieldName("change");
    number(t.change(), g);
    g.writeBooleanField("exceeds", t.exceeds());
    if (t.isDegenerate()) {
      g.writeObjectFieldStart("degenerate");
      flags("baseline", t.baselineDegenerate(), g);
      flags("current", t.currentDegenerate(), g);
      g.writeEndObject();
    }
    g.writeObjectFieldStart("methods");
    for (MethodDrift m : t.methods()) {
      g.writeObjectFieldStart(m.method());
      g.writeStringField("measure", m.measure().key());
      range("baseline", m.baseline(), symmetric, g);
      range("current", m.current(), symmetric, g);
      if (m.measure() == Measure.RANGE) {
        g.writeFieldName("change_min");
        number(m.changeMin(), g);
        g.writeFieldName("change_max");
        number(m.changeMax(), g);
      }
      g.writeFieldName("change");
      number(m.change(), g);
      if (m.note() != null) {
        g.writeStringField("note", m.note());
      }
      g.writeEndObject();
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void range(String field, MethodRange r, boolean symmetric, JsonGenerator g)
      throws IOException {
    g.writeFieldName(field);
    if (r == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    if (symmetric) {
      g.writeFieldName("amax");
      number(r.amax(), g);
    } else {
      g.writeFieldName("min");
      number(r.min(), g);
      g.writeFieldName("max");
      number(r.max(), g);
    }
    g.writeFieldName("scale");
    number(r.scale(), g);
    g.writeEndObject();
  }

  private static void flags(String field, List<TensorFlag> flags, JsonGenerator g)
      throws IOException {
    strings(field, flags.stream().map(TensorFlag::key).toList(), g);
  }

  private static void strings(String field, List<String> values, JsonGenerator g)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  private static void number(double v, JsonGenerator g) throws IOException {
    if (Double.isFinite(v)) {
      g.writeNumber(Decimals.of(v));
    } else {
      g.writeNull();
    }
  }
}
