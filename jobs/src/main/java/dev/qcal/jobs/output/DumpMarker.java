package dev.qcal.jobs.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * {@value #FILE}: what marks a dump qcal wrote (with {@code capture}) as a qcal output, so that
 * {@code --overwrite} may replace it as it replaces a calibration's output ({@link
 * TargetChecks#isQcalOutput}). Its name starts with an underscore, so dump readers (qcal's,
 * Spark's, parquet-java's) skip it as they skip {@code _SUCCESS}.
 */
public final class DumpMarker {
  /** The file name, at the dump's root. */
  public static final String FILE = "_QCAL_DUMP.json";

  /** Its {@code format} field, written first. */
  public static final String FORMAT = "qcal.dump";

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  private DumpMarker() {}

  /**
   * Writes the marker: the format, the command, the model, the tensors in dump order and the
   * counts. No time or host, so the same capture writes the same bytes.
   */
  public static void write(
      OutputStream out, String command, String model, List<String> tensors, long rows, long values)
      throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("written_by", "qcal " + command);
    root.put("model", model);
    tensors.forEach(root.putArray("tensors")::add);
    root.put("dataset_rows", rows);
    root.put("values", values);
    MAPPER.writeValue(out, root);
    out.write('\n');
  }
}
