package dev.qcal.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.io.CalibrationJson;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.onnx.ModelDigest;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.qdq.ActivationScales;
import dev.qcal.onnx.qdq.QdqOptions;
import dev.qcal.onnx.qdq.QdqScheme;
import dev.qcal.onnx.qdq.QdqWriter;
import dev.qcal.onnx.sensitivity.NodeSensitivity;
import dev.qcal.onnx.sensitivity.SensitivityJson;
import dev.qcal.onnx.sensitivity.SensitivityReport;
import dev.qcal.onnx.testing.SyntheticModel;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code qcal qdq} through the command line ({@link Main#run}): the model it writes, its warnings,
 * and every bad input with its exit code, a message naming what is wrong, no stack trace and no
 * output file. No Spark is started.
 */
class QdqCommandTest {
  @TempDir Path tmp;
  private Path model;
  private Path table;
  private Path out;

  @BeforeEach
  void files() throws Exception {
    model = tmp.resolve("model.onnx");
    Files.write(model, SyntheticModel.build(13, 8).toByteArray());
    table = tmp.resolve("calibration.json");
    // Every tensor but ap; fl all zero (degenerate).
    Files.write(
        table,
        SyntheticModel.table(
            QuantSpec.symmetric(8), List.of("max", "mse"), Set.of("ap"), Set.of("fl")));
    out = tmp.resolve("out/model.qdq.onnx");
  }

  private Qcal.Result qdq(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "qdq",
                "--model",
                model.toString(),
                "--table",
                table.toString(),
                "--output",
                out.toString()));
    args.addAll(List.of(extra));
    return Qcal.run(args.toArray(new String[0]));
  }

  /**
   * A failed run: the exit code, the message holds each of {@code words}, no stack trace, no
   * output.
   */
  private void assertFails(Qcal.Result r, int code, String... words) {
    assertEquals(code, r.code(), r::toString);
    for (String w : words) {
      assertTrue(r.err().contains(w), "stderr lacks '" + w + "':\n" + r);
    }
    assertFalse(r.err().contains("\tat "), "no stack trace:\n" + r);
    assertFalse(r.err().contains("unexpected failure"), r::toString);
    assertFalse(Files.exists(out), "no output written");
  }

  @Test
  void writesTheModelTheLibraryWritesAndWarnsAboutTheTensorsLeftFloat() throws Exception {
    Qcal.Result r = qdq("--ops", "Conv,ConvTranspose,Gemm,MatMul,AveragePool,GlobalAveragePool");
    assertEquals(0, r.code(), r::toString);
    assertEquals(
        "qcal: wrote "
            + out
            + ": 8 activations (int8 symmetric) and 6 weights (per-channel) quantized on"
            + " Conv,ConvTranspose,Gemm,MatMul,AveragePool,GlobalAveragePool, opset 13; 2 tensors"
            + " left float\n",
        r.out());
    assertTrue(
        r.err()
            .contains(
                "qcal: warning: 1 tensors the quantized ops read are not in "
                    + table
                    + " and stay float: ap"),
        r.err());
    assertTrue(
        r.err()
            .contains(
                "qcal: warning: 1 tensors are degenerate in "
                    + table
                    + " and stay float: fl (all_zero)"),
        r.err());
    ActivationScales scales =
        ActivationScales.from(
            CalibrationJson.read(
                new ByteArrayInputStream(Files.readAllBytes(table)), table.toString()),
            null,
            QdqScheme.SYMMETRIC,
            table.toString());
    byte[] expected =
        QdqWriter.quantize(
                OnnxModel.read(model),
                scales,
                QdqOptions.of(
                    List.of(
                        "Conv",
                        "ConvTranspose",
                        "Gemm",
                        "MatMul",
                        "AveragePool",
                        "GlobalAveragePool"),
                    QdqOptions.DEFAULTS.weights()))
            .model()
            .toBytes();
    assertArrayEquals(expected, Files.readAllBytes(out));
    // Same model and table, same bytes.
    assertEquals(
        0,
        qdq("--ops", "Conv,ConvTranspose,Gemm,MatMul,AveragePool,GlobalAveragePool", "--overwrite")
            .code());
    assertArrayEquals(expected, Files.readAllBytes(out));
  }

  @Test
  void keepFloatLeavesTheNamedNodesInFloat() throws Exception {
    Qcal.Result r = qdq("--keep-float", "conv2,matmul2");
    assertEquals(0, r.code(), r::toString);
    assertEquals(
        "qcal: wrote "
            + out
            + ": 4 activations (int8 symmetric) and 5 weights (per-channel) quantized on"
            + " Conv,ConvTranspose,Gemm,MatMul (nodes kept float: conv2,matmul2), opset 13; 1"
            + " tensors left float\n",
        r.out());
    byte[] expected =
        QdqWriter.quantize(
                OnnxModel.read(model),
                ActivationScales.from(
                    CalibrationJson.read(
                        new ByteArrayInputStream(Files.readAllBytes(table)), table.toString()),
                    null,
                    QdqScheme.SYMMETRIC,
                    table.toString()),
                QdqOptions.DEFAULTS.keepingFloat(List.of("conv2", "matmul2")))
            .model()
            .toBytes();
    assertArrayEquals(expected, Files.readAllBytes(out));
  }

  @Test
  void patchGivesTheQdqModelNewScales() throws Exception {
    assertEquals(0, qdq().code());
    Path quantized = tmp.resolve("q.onnx");
    Files.move(out, quantized);
    Qcal.Result r =
        Qcal.run(
            "qdq",
            "--model",
            quantized.toString(),
            "--table",
            table.toString(),
            "--method",
            "mse",
            "--patch",
            "--output",
            out.toString());
    assertEquals(0, r.code(), r::toString);
    assertEquals(
        "qcal: wrote " + out + ": 7 activation scales patched (int8, symmetric); 0 kept\n",
        r.out());
    // Patched with mse is what qdq with mse writes.
    Path fresh = tmp.resolve("fresh.onnx");
    assertEquals(
        0,
        Qcal.run(
                "qdq",
                "--model",
                model.toString(),
                "--table",
                table.toString(),
                "--method",
                "mse",
                "--output",
                fresh.toString())
            .code());
    assertArrayEquals(Files.readAllBytes(fresh), Files.readAllBytes(out));
  }

  @Test
  void badModelsAreInputErrorsNamed() throws Exception {
    Path text = tmp.resolve("notes.onnx");
    Files.writeString(text, "this is not a model\n");
    assertFails(
        Qcal.run(
            "qdq",
            "--model",
            text.toString(),
            "--table",
            table.toString(),
            "--output",
            out.toString()),
        3,
        "notes.onnx: not an ONNX model");
    assertFails(
        Qcal.run(
            "qdq",
            "--model",
            tmp.resolve("none.onnx").toString(),
            "--table",
            table.toString(),
            "--output",
            out.toString()),
        3,
        "none.onnx does not exist");
    Files.write(model, SyntheticModel.build(26, 11).toByteArray());
    assertFails(
        qdq(), 3, "model.onnx: opset 26 is newer than the opsets qcal writes Q/DQ for (up to 25)");
    // Below the opset per-channel Q/DQ needs, the model is converted (OpsetConverter), not refused.
    Files.write(model, SyntheticModel.build(11, 6).toByteArray());
    Qcal.Result raised = qdq();
    assertEquals(0, raised.code(), raised::toString);
    assertTrue(raised.out().contains("opset 13"), raised::toString);
    assertEquals(
        0,
        qdq("--weights", "per-tensor", "--overwrite").code(),
        "per-tensor INT8 needs opset 10 only");
  }

  @Test
  void badTablesAreNamed() throws Exception {
    assertFails(
        Qcal.run(
            "qdq",
            "--model",
            model.toString(),
            "--table",
            tmp.resolve("none.json").toString(),
            "--output",
            out.toString()),
        3,
        "none.json does not exist");
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "{\"tensors\": {}}");
    assertFails(
        Qcal.run(
            "qdq",
            "--model",
            model.toString(),
            "--table",
            bad.toString(),
            "--output",
            out.toString()),
        3,
        "bad.json");
    assertFails(
        qdq("--scheme", "affine"),
        2,
        "was calibrated with --scheme symmetric --bits 8",
        "Q/DQ scheme affine needs a table of --scheme affine");
    assertFails(qdq("--method", "entropy"), 2, "has no method 'entropy'; its methods are max, mse");
  }

  /** A sensitivity report of {@code measured} (its digest) ranking conv1 worst. */
  private Path report(Path measured) throws Exception {
    Path file = tmp.resolve("sensitivity.json");
    SensitivityReport report =
        new SensitivityReport(
            measured.toString(),
            ModelDigest.sha256(Files.readAllBytes(measured)),
            table.toString(),
            "max",
            "symmetric",
            4,
            20,
            List.of(
                new NodeSensitivity("conv1", "Conv", 21.5),
                new NodeSensitivity("mm", "MatMul", 40)));
    try (OutputStream o = Files.newOutputStream(file)) {
      SensitivityJson.write(report, o);
    }
    return file;
  }

  @Test
  void keepFloatFromTakesTheWorstNodesOfTheModelsReportAndRefusesAnythingElse() throws Exception {
    Path report = report(model).toAbsolutePath();
    String from = report.toString();
    Qcal.Result r = qdq("--keep-float-from", from, "--keep-float-below", "30");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().contains("(nodes kept float: conv1)"), r::toString);
    Files.delete(out);

    assertFails(qdq("--keep-float-below", "30"), 2, "--keep-float-below chooses nodes");
    assertFails(qdq("--keep-float-worst", "1"), 2, "give it with --keep-float-from");
    assertFails(qdq("--keep-float-from", from), 2, "needs one of --keep-float-below DB");
    assertFails(
        qdq("--keep-float-from", from, "--keep-float-below", "30", "--keep-float-worst", "1"),
        2,
        "needs only one of");
    assertFails(
        qdq("--keep-float-from", from, "--keep-float-below", "loud"),
        2,
        "Invalid --keep-float-below");
    assertFails(
        qdq("--keep-float-from", from, "--keep-float-worst", "-1"),
        2,
        "--keep-float-worst must be 0 or more");
    assertFails(
        qdq("--patch", "--keep-float-from", from, "--keep-float-worst", "1"),
        2,
        "drop --ops, --weights, --keep-float and --keep-float-from");
    Path missing = tmp.resolve("nowhere/sensitivity.json");
    assertFails(
        qdq("--keep-float-from", missing.toString(), "--keep-float-worst", "1"),
        2,
        "--keep-float-from " + missing + " does not exist");
    Path notJson = tmp.resolve("not.json");
    Files.writeString(notJson, "rank,node\n1,conv1\n");
    assertFails(
        qdq("--keep-float-from", notJson.toString(), "--keep-float-worst", "1"),
        2,
        "--keep-float-from: " + notJson + " is not JSON");
    assertFails(
        qdq("--keep-float-from", table.toString(), "--keep-float-worst", "1"),
        2,
        "is not a sensitivity report");
    Path other = tmp.resolve("other.onnx");
    Files.write(other, SyntheticModel.build(13, 9).toByteArray());
    String otherReport = report(other).toString();
    assertFails(
        qdq("--keep-float-from", otherReport, "--keep-float-worst", "1"),
        2,
        "was measured on " + other,
        "not on --model " + model,
        "run qcal sensitivity on this model");
  }

  @Test
  void badFlagsAreUsageErrors() throws Exception {
    assertFails(qdq("--ops", "Conv,Relu"), 2, "qdq places no Q/DQ on op 'Relu'");
    assertFails(qdq("--scheme", "int4"), 2, "unknown Q/DQ scheme 'int4'");
    assertFails(qdq("--weights", "per-row"), 2, "unknown weight granularity 'per-row'");
    assertFails(qdq("--patch"), 2, "has no QuantizeLinear/DequantizeLinear node");
    assertFails(qdq("--patch", "--ops", "Conv"), 2, "--patch keeps the model's Q/DQ placement");
    assertFails(
        qdq("--patch", "--keep-float", "conv1"),
        2,
        "drop --ops, --weights, --keep-float and --keep-float-from");
    assertFails(qdq("--keep-float", "conv1,w1"), 2, "has no node named 'w1' to keep float");
    assertEquals(0, qdq().code());
    Path first = tmp.resolve("first.onnx");
    Files.move(out, first);
    assertFails(
        Qcal.run(
            "qdq",
            "--model",
            first.toString(),
            "--table",
            table.toString(),
            "--output",
            out.toString()),
        2,
        "already has 20 QuantizeLinear/DequantizeLinear nodes",
        "--patch");
    Files.writeString(out, "keep me");
    Qcal.Result exists = qdq();
    assertEquals(2, exists.code(), exists::toString);
    assertTrue(exists.err().contains("already exists: give --overwrite"), exists.err());
    assertEquals("keep me", Files.readString(out), "an existing output is left as it was");
  }
}
