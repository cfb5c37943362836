package dev.qcal.jobs.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qcal.jobs.Version;
import dev.qcal.jobs.calibrate.CalibrationRun;
import dev.qcal.jobs.calibrate.RunRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes {@code summary.json}: the run's provenance, counts, flags, warnings and timings. */
public final class SummaryJson {
  /** The {@code format} field. */
  public static final String FORMAT = "qcal.summary";

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  private SummaryJson() {}

  /** Writes the summary of {@code run}. */
  static void write(
      CalibrationRun run,
      Map<String, String> config,
      List<String> outputs,
      List<String> warnings,
      long writeMillis,
      OutputStream out)
      throws IOException {
    write(run, config, outputs, warnings, writeMillis, OutputExtension.NONE, out);
  }

  /** Writes the summary of {@code run}, with the sections {@code extension} adds. */
  static void write(
      CalibrationRun run,
      Map<String, String> config,
      List<String> outputs,
      List<String> warnings,
      long writeMillis,
      OutputExtension extension,
      OutputStream out)
      throws IOException {
    RunRecord s = run.summary();
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", 1);
    // A second signal for schedulers besides the exit code: only a committed run writes a summary,
    // so a failed one leaves neither this file nor _SUCCESS (docs/operating.md, "Operating").
    root.put("status", "succeeded");
    root.put("qcal_version", Version.qcal());
    root.put("spark_version", s.sparkVersion());
    root.put("master", s.master());
    root.put("application_id", s.applicationId());
    strings(root.putArray("inputs"), s.inputs());
    root.put("files", s.files());
    root.put("bytes", s.bytes());
    root.put("layout", s.layout());
    strings(root.putArray("columns"), s.columns());
    root.put("rows", s.rows());
    root.put("rows_skipped_null", s.nullRows());
    root.put("values", s.values());
    root.put("nan", s.nan());
    root.put("pos_inf", s.posInf());
    root.put("neg_inf", s.negInf());
    root.put("null", s.nulls());
    root.put("null_rows", s.tensorNullRows());
    root.put("tensors", s.tensors());
    strings(root.putArray("methods"), run.table().methods());
    root.put("primary_method", run.table().primaryMethod());
    root.put("quant", run.table().quant().toString());
    ObjectNode flagged = root.putObject("flagged");
    s.flagged().forEach((name, flags) -> strings(flagged.putArray(name), flags));
    strings(root.putArray("warnings"), warnings);
    strings(root.putArray("outputs"), outputs);
    ObjectNode stages = root.putObject("stage_ms");
    s.stageMillis().forEach(stages::put);
    stages.put("write outputs", writeMillis);
    ObjectNode conf = root.putObject("config");
    new TreeMap<>(config).forEach(conf::put);
    extension.summarize(root);
    MAPPER.writeValue(out, root);
    out.write('\n');
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
