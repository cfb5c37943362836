package dev.qcal.jobs.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.onnx.ocr.Sqnr;
import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one activation costs a Q/DQ model on its own, measured by quantizing one tensor at a time:
 * {@code qdq} from a copy of the table holding that tensor alone (qdq leaves the tensors a table
 * lacks in float; the weights are quantized as always), run by ONNX Runtime, its output's SQNR
 * against the float model's. The first cost is the weights' alone (a table of no tensor), then the
 * weights' with the nodes given to {@code --keep-float} left float when there are any.
 */
final class OneTensorAtATime {
  private OneTensorAtATime() {}

  /**
   * One quantized model's output SQNR against float.
   *
   * @param tensor the activation quantized alone, or "weights only"
   * @param sqnrDb the output SQNR
   */
  record Cost(String tensor, double sqnrDb) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s %.1f dB", tensor, sqnrDb);
    }
  }

  /**
   * The weights' cost, the weights' with {@code keepFloat}'s nodes float (when it names any), then
   * each of {@code tensors}' with the weights, with {@code method}'s scales from {@code table}
   * ({@code calibration.json}), on {@code inputs} whose float outputs are {@code reference}.
   */
  static List<Cost> costs(
      Path model,
      Path table,
      String method,
      List<String> tensors,
      List<String> keepFloat,
      List<FloatOutput> inputs,
      List<FloatOutput> reference,
      Path work)
      throws Exception {
    ObjectNode calibration = (ObjectNode) new ObjectMapper().readTree(table.toFile());
    List<Cost> costs = new ArrayList<>();
    costs.add(
        new Cost(
            "weights only",
            sqnr(quantized(model, calibration, method, null, List.of(), work), inputs, reference)));
    if (!keepFloat.isEmpty()) {
      costs.add(
          new Cost(
              "weights only, --keep-float " + String.join(",", keepFloat),
              sqnr(
                  quantized(model, calibration, method, null, keepFloat, work),
                  inputs,
                  reference)));
    }
    for (String tensor : tensors) {
      costs.add(
          new Cost(
              tensor,
              sqnr(
                  quantized(model, calibration, method, tensor, List.of(), work),
                  inputs,
                  reference)));
    }
    return costs;
  }

  /**
   * {@code model} through qdq with a table of {@code tensor} alone (none when null) and {@code
   * keepFloat}'s nodes float.
   */
  private static byte[] quantized(
      Path model,
      ObjectNode calibration,
      String method,
      String tensor,
      List<String> keepFloat,
      Path work)
      throws Exception {
    ObjectNode copy = calibration.deepCopy();
    ArrayNode kept = copy.putArray("tensors");
    for (JsonNode t : calibration.get("tensors")) {
      if (t.get("name").asText().equals(tensor)) {
        kept.add(t);
      }
    }
    Path table = work.resolve("one-tensor.json");
    Path out = work.resolve("one-tensor.qdq.onnx");
    new ObjectMapper().writeValue(table.toFile(), copy);
    List<String> args =
        new ArrayList<>(
            List.of(
                "qdq",
                "--model",
                model.toString(),
                "--table",
                table.toString(),
                "--method",
                method,
                "--output",
                out.toString(),
                "--overwrite"));
    if (!keepFloat.isEmpty()) {
      args.addAll(List.of("--keep-float", String.join(",", keepFloat)));
    }
    Qcal.Result r = Qcal.run(args.toArray(String[]::new));
    assertEquals(0, r.code(), r::toString);
    return Files.readAllBytes(out);
  }

  private static double sqnr(byte[] model, List<FloatOutput> inputs, List<FloatOutput> reference)
      throws Exception {
    Sqnr sqnr = new Sqnr();
    List<FloatOutput> outputs = OcrQuantizationIT.outputs(model, inputs);
    for (int i = 0; i < inputs.size(); i++) {
      sqnr.add(reference.get(i).values(), outputs.get(i).values());
    }
    return sqnr.db();
  }
}
