package dev.qcal.jobs.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qcal.jobs.testing.Qcal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The commands a user types to get Q/DQ models from a float ONNX model and a dataset of its inputs,
 * run in-process on the shared local Spark session: {@code qcal capture} over the dataset, one
 * {@code qcal calibrate} with every method, and {@code qcal qdq} once per method (int8 symmetric,
 * per-channel weights, the default ops). With {@code sensitivity}, also {@code qcal sensitivity
 * --method best} over the same dataset and {@code qdq --method best --keep-float-from} its report
 * with the {@code --keep-float-worst} count it suggests: the route that finds the nodes to keep
 * float with no node named by hand. Each qdq must succeed with no tensor left in float for want of
 * a scale.
 *
 * @param models each method's Q/DQ model, then {@link #SENSITIVE}'s when it was made
 * @param table the calibrate run's output directory
 * @param keptFloat the nodes the sensitivity report's suggestion kept float (empty without it)
 * @param captureSeconds the wall time of capture
 * @param calibrateSeconds the wall time of calibrate
 * @param sensitivitySeconds the wall time of sensitivity (NaN without it)
 * @param sensitivityOut what sensitivity printed (empty without it)
 */
record QuantizationRun(
    Map<String, Path> models,
    Path table,
    List<String> keptFloat,
    double captureSeconds,
    double calibrateSeconds,
    double sensitivitySeconds,
    String sensitivityOut) {
  /** The methods compared; {@code best} picks per tensor among the four others. */
  static final List<String> METHODS = List.of("max", "percentile", "entropy", "mse", "best");

  /** The key of the model made with {@code best} and the sensitivity report's suggestion. */
  static final String SENSITIVE = "best, --keep-float-from sensitivity";

  /**
   * capture, calibrate and qdq of {@code model} over the dataset {@code inputs}, in {@code work};
   * with sensitivity and {@code qdq --keep-float-from} as well when {@code sensitivity}.
   */
  static QuantizationRun of(Path model, Path inputs, Path work, boolean sensitivity)
      throws IOException {
    Path dump = work.resolve("dump");
    long start = System.nanoTime();
    succeed(
        "capture",
        "--model",
        model.toString(),
        "--inputs",
        inputs.toString(),
        "--output",
        dump.toString());
    long captured = System.nanoTime();
    Path table = work.resolve("table");
    succeed(
        "calibrate",
        "--input",
        dump.toString(),
        "--output",
        table.toString(),
        "--methods",
        String.join(",", METHODS),
        "--no-report");
    long calibrated = System.nanoTime();
    Map<String, Path> models = new LinkedHashMap<>();
    for (String method : METHODS) {
      models.put(method, qdq(model, table, method, List.of(), work));
    }
    if (!sensitivity) {
      return new QuantizationRun(
          models,
          table,
          List.of(),
          (captured - start) / 1e9,
          (calibrated - captured) / 1e9,
          Double.NaN,
          "");
    }
    long measuring = System.nanoTime();
    Path report = work.resolve("sensitivity");
    Qcal.Result measured =
        succeed(
            "sensitivity",
            "--model",
            model.toString(),
            "--table",
            table.resolve("calibration.json").toString(),
            "--method",
            "best",
            "--inputs",
            inputs.toString(),
            "--output",
            report.toString());
    double sensitivitySeconds = (System.nanoTime() - measuring) / 1e9;
    JsonNode suggested =
        new ObjectMapper()
            .readTree(report.resolve("sensitivity.json").toFile())
            .get("suggested_keep_float");
    List<String> kept = new ArrayList<>();
    suggested.forEach(n -> kept.add(n.asText()));
    models.put(
        SENSITIVE,
        qdq(
            model,
            table,
            "best",
            List.of(
                "--keep-float-from",
                report.resolve("sensitivity.json").toString(),
                "--keep-float-worst",
                Integer.toString(kept.size())),
            work));
    return new QuantizationRun(
        models,
        table,
        List.copyOf(kept),
        (captured - start) / 1e9,
        (calibrated - captured) / 1e9,
        sensitivitySeconds,
        measured.out());
  }

  /** {@code qdq --method method} of {@code model} with the table in {@code table}, and flags. */
  private static Path qdq(Path model, Path table, String method, List<String> flags, Path work) {
    Path out = work.resolve(method + (flags.isEmpty() ? "" : "-kept") + ".qdq.onnx");
    List<String> args =
        new ArrayList<>(
            List.of(
                "qdq",
                "--model",
                model.toString(),
                "--table",
                table.resolve("calibration.json").toString(),
                "--method",
                method,
                "--output",
                out.toString()));
    args.addAll(flags);
    Qcal.Result q = succeed(args.toArray(String[]::new));
    assertTrue(q.out().endsWith("; 0 tensors left float\n"), q::toString);
    return out;
  }

  private static Qcal.Result succeed(String... args) {
    Qcal.Result r = Qcal.run(args);
    assertEquals(0, r.code(), r::toString);
    System.out.print(r.out());
    return r;
  }
}
