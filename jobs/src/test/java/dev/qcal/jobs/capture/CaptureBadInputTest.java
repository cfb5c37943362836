package dev.qcal.jobs.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.jobs.output.DumpMarker;
import dev.qcal.jobs.testing.Datasets;
import dev.qcal.jobs.testing.Datasets.DumpRow;
import dev.qcal.jobs.testing.Datasets.Sample;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import dev.qcal.onnx.testing.SyntheticModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad inputs to {@code qcal capture}, through the command line: each exits with
 * docs/onnx-models.md's code and a message naming the file, input, expected shape or tensor, and
 * leaves no output behind. Everything about the model and the dataset's columns is found before
 * Spark starts; a bad row is found by the task that reads it.
 */
@ExtendWith(SharedSpark.class)
class CaptureBadInputTest {
  @TempDir Path tmp;
  private Path model;

  @BeforeEach
  void writeModel() throws Exception {
    model = tmp.resolve("convnet.onnx");
    Files.write(model, SyntheticModels.convNet().toByteArray());
  }

  private Path out() {
    return tmp.resolve("dump");
  }

  private Qcal.Result capture(Path model, Path inputs, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "capture",
                "--model",
                model.toString(),
                "--inputs",
                inputs.toString(),
                "--output",
                out().toString()));
    args.addAll(Arrays.asList(extra));
    return Qcal.run(args.toArray(new String[0]));
  }

  private void assertFails(int code, Qcal.Result r, String... parts) throws Exception {
    assertEquals(code, r.code(), r::toString);
    for (String part : parts) {
      assertTrue(r.err().contains(part), "stderr lacks '" + part + "':\n" + r.err());
    }
    assertFalse(r.err().contains("\tat "), "a user mistake prints no stack trace:\n" + r.err());
    assertFalse(Files.exists(out()), "a failed run left an output directory");
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(
          List.of(),
          s.filter(p -> p.getFileName().toString().startsWith(".dump")).toList(),
          "pending directories");
    }
  }

  private Path dataset(SparkSession spark, String name, Sample... samples) {
    return Datasets.write(spark, tmp.resolve(name), 1, List.of(samples));
  }

  private static Sample good() {
    return Sample.of("x", new float[192], "z", new float[8], "z_shape", new int[] {1, 8});
  }

  @Test
  void theModelIsCheckedBeforeSparkStarts(SparkSession spark) throws Exception {
    Path data = dataset(spark, "data", good());
    Path notes = Files.writeString(tmp.resolve("notes.onnx"), "a text file, not a model\n");
    assertFails(
        3,
        capture(notes, data, "--tensors", "x"),
        "qcal: error: " + notes + ": not an ONNX model",
        "--model must be an ONNX model file (.onnx)");
    assertFails(
        3,
        capture(tmp.resolve("missing.onnx"), data, "--tensors", "x"),
        "Model " + tmp.resolve("missing.onnx") + " does not exist: check --model");
    assertFails(
        3,
        capture(model, data, "--tensors", "w.*"),
        "Model "
            + model
            + ": no activation matches --tensors 'w.*' (the 9 activations start x, z, c1, r1, c2,"
            + " a1, f, m)");
    assertFails(
        2, capture(model, data, "--tensors", "x|("), "Invalid --tensors regex: Unclosed group");
    assertFails(
        3,
        capture(model, data, "--ops", "Concat"),
        "Model "
            + model
            + ": qdq quantizes no activation on --ops Concat (give other --ops, or --tensors"
            + " REGEX)");
    assertFails(2, capture(model, data, "--ops", "Relu"), "qdq places no Q/DQ on op 'Relu'");
    assertFails(
        2,
        capture(model, data, "--ops", "Conv", "--tensors", "x"),
        "Give --tensors REGEX or --ops, not both");
    assertFails(
        2,
        capture(model, data, "--tensors", "x", "--values-per-row", "0"),
        "--values-per-row must be at least 1 (0)");
  }

  @Test
  void theDatasetsColumnsAreCheckedAgainstTheModelsInputsBeforeSparkStarts(SparkSession spark)
      throws Exception {
    Path noZ = dataset(spark, "no-z", Sample.of("x", new float[192], "label", "a"));
    assertFails(
        3,
        capture(model, noZ, "--tensors", "x"),
        "has no column 'z' for the model's input 'z' of shape [?, ?]: write each sample's values,"
            + " flattened in row-major order, to an array<float> column 'z' and its shape to an"
            + " array<int> column 'z_shape' (columns: x ARRAY<FLOAT>,label STRING)");
    Path noShape = dataset(spark, "no-shape", Sample.of("x", new float[192], "z", new float[8]));
    assertFails(
        3,
        capture(model, noShape, "--tensors", "x"),
        "has no column 'z_shape': the model's input 'z' has shape [?, ?], whose unknown dims cannot"
            + " follow from the values alone; write each row's shape to an array<int> column"
            + " 'z_shape'");
    Path stringZ =
        dataset(
            spark,
            "string-z",
            Sample.of("x", new float[192], "z", "1,2,3", "z_shape", new int[] {1, 3}));
    assertFails(
        3,
        capture(model, stringZ, "--tensors", "x"),
        "column 'z' is string, expected array<float> or array<double> (the model's input 'z' has"
            + " shape [?, ?])");
    Path floatShape =
        dataset(
            spark,
            "float-shape",
            Sample.of("x", new float[192], "z", new float[8], "z_shape", new float[] {1, 8}));
    assertFails(
        3,
        capture(model, floatShape, "--tensors", "x"),
        "column 'z_shape' is array<float>, expected array<int> or array<bigint>");
    Path missing = tmp.resolve("no-such-dataset");
    assertFails(
        3,
        capture(model, missing, "--tensors", "x"),
        "Input path '" + missing + "' does not exist");
  }

  @Test
  void aBadRowIsNamedByTheTaskThatReadsIt(SparkSession spark) throws Exception {
    Path shortX =
        dataset(
            spark,
            "short-x",
            good(),
            Sample.of("x", new float[100], "z", new float[8], "z_shape", new int[] {1, 8}));
    assertFails(
        3,
        capture(model, shortX, "--tensors", "x"),
        "row 1: input 'x': the row has 100 values, which the model's shape [?, 3, 8, 8] cannot hold"
            + " (the model's input 'x' has shape [?, 3, 8, 8])",
        "short-x/part-");
    Path misfit =
        dataset(
            spark,
            "misfit",
            Sample.of(
                "x",
                new float[192],
                "x_shape",
                new int[] {1, 3, 4, 16},
                "z",
                new float[8],
                "z_shape",
                new int[] {1, 8}));
    assertFails(
        3,
        capture(model, misfit, "--tensors", "x"),
        "row 0: input 'x': shape [1, 3, 4, 16] does not fit the model's [?, 3, 8, 8]");
    Path wide =
        dataset(
            spark,
            "wide",
            Sample.of("x", new float[192], "z", new float[9], "z_shape", new int[] {1, 9}));
    assertFails(
        3,
        capture(model, wide, "--tensors", "x"),
        "row 0: ONNX Runtime cannot run the model on this row (x [1, 3, 8, 8], z [1, 9]): ");
  }

  @Test
  void anExistingOutputIsKeptAndOnlyADumpOfQcalIsOverwritten(SparkSession spark) throws Exception {
    Path data = dataset(spark, "data", good());
    Files.createDirectories(out());
    Files.writeString(out().resolve("keep.txt"), "keep");
    Qcal.Result r = capture(model, data, "--tensors", "x");
    assertEquals(2, r.code(), r::toString);
    assertTrue(
        r.err().contains("Output directory file:" + out() + " already exists: give --overwrite"),
        r::toString);
    // --overwrite replaces only what qcal wrote: a directory of someone else's files is kept.
    r = capture(model, data, "--tensors", "x", "--overwrite");
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("it is not a qcal output directory"), r::toString);
    assertTrue(r.err().contains("keep.txt"), r::toString);
    assertTrue(Files.exists(out().resolve("keep.txt")));

    Files.delete(out().resolve("keep.txt"));
    Files.delete(out());
    assertEquals(0, capture(model, data, "--tensors", "x").code());
    assertTrue(Files.exists(out().resolve(DumpMarker.FILE)));
    r = capture(model, data, "--tensors", "z", "--overwrite");
    assertEquals(0, r.code(), r::toString);
    assertTrue(Files.exists(out().resolve("_SUCCESS")));
    assertEquals(
        List.of("z"),
        Datasets.read(spark, out()).stream().map(DumpRow::tensor).distinct().toList());
  }

  /** array<double> values (narrowed to float32) and array<bigint> shapes are read as well. */
  @Test
  void doubleValuesAndBigintShapesAreAccepted(SparkSession spark) throws Exception {
    double[] x = new double[192];
    float[] narrowed = new float[192];
    for (int i = 0; i < x.length; i++) {
      x[i] = 0.1 * i - 5;
      narrowed[i] = (float) x[i];
    }
    Path data =
        dataset(
            spark, "doubles", Sample.of("x", x, "z", new double[8], "z_shape", new long[] {1, 8}));
    Qcal.Result r = capture(model, data, "--tensors", "x");
    assertEquals(0, r.code(), r::toString);
    List<DumpRow> rows = Datasets.read(spark, out());
    assertEquals(1, rows.size());
    assertEquals("x", rows.get(0).tensor());
    assertArrayEquals(narrowed, rows.get(0).values());
  }
}
