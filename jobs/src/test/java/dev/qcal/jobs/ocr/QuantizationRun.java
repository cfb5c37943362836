package dev.qcal.jobs.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.jobs.testing.Qcal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The commands a user types to get Q/DQ models from a float ONNX model and a dataset of its inputs,
 * run in-process on the shared local Spark session: {@code qcal capture} over the dataset, one
 * {@code qcal calibrate} with every method, and {@code qcal qdq} once per method (int8 symmetric,
 * per-channel weights, the default ops), and once more for {@code best} with the nodes given to
 * {@code --keep-float} when there are any. Each must succeed with no tensor left in float for want
 * of a scale.
 *
 * @param models each method's Q/DQ model, then {@link #keptFloat}'s when it was made
 * @param table the calibrate run's output directory
 * @param captureSeconds the wall time of capture
 * @param calibrateSeconds the wall time of calibrate
 */
record QuantizationRun(
    Map<String, Path> models, Path table, double captureSeconds, double calibrateSeconds) {
  /** The methods compared; {@code best} picks per tensor among the four others. */
  static final List<String> METHODS = List.of("max", "percentile", "entropy", "mse", "best");

  /**
   * capture, calibrate and qdq of {@code model} over the dataset {@code inputs}, in {@code work};
   * with {@code best} and {@code --keep-float} as well when {@code keepFloat} names nodes.
   */
  static QuantizationRun of(Path model, Path inputs, Path work, List<String> keepFloat) {
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
    if (!keepFloat.isEmpty()) {
      models.put(keptFloat(keepFloat), qdq(model, table, "best", keepFloat, work));
    }
    return new QuantizationRun(
        models, table, (captured - start) / 1e9, (calibrated - captured) / 1e9);
  }

  /** The key of the model made with {@code best} and {@code --keep-float}. */
  static String keptFloat(List<String> keepFloat) {
    return "best, --keep-float " + String.join(",", keepFloat);
  }

  /** {@code qdq --method method} of {@code model} with the table in {@code table}. */
  private static Path qdq(
      Path model, Path table, String method, List<String> keepFloat, Path work) {
    Path out = work.resolve(method + (keepFloat.isEmpty() ? "" : "-kept") + ".qdq.onnx");
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
    if (!keepFloat.isEmpty()) {
      args.addAll(List.of("--keep-float", String.join(",", keepFloat)));
    }
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
