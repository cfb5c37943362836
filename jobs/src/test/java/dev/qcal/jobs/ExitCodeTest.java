package dev.qcal.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exit codes: 2 for usage and configuration errors, 3 for input errors (the message names the file
 * and the column), and no output directory left behind by a failed run. Exit 1 (unexpected) is
 * reached only by bugs or a lost cluster; it is the fallback of Commands' exception handler.
 */
@ExtendWith(SharedSpark.class)
class ExitCodeTest {
  @TempDir Path tmp;

  private Qcal.Result calibrate(Path input, String... extra) {
    String[] base = {
      "calibrate", "--input", input.toString(), "--output", tmp.resolve("out").toString()
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return Qcal.run(args);
  }

  private void assertFails(int code, Qcal.Result r, String... messageParts) throws IOException {
    assertEquals(code, r.code(), r::toString);
    for (String part : messageParts) {
      assertTrue(r.err().contains(part), "stderr lacks '" + part + "':\n" + r.err());
    }
    assertFalse(Files.exists(tmp.resolve("out")), "a failed run left an output directory");
    try (var listing = Files.list(tmp)) {
      assertTrue(
          listing.noneMatch(p -> p.getFileName().toString().startsWith(".out")),
          "pending dir left");
    }
  }

  private Path parquet(SparkSession spark, String name, StructType schema, List<Row> rows) {
    Path dir = tmp.resolve(name);
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(dir.toString());
    return dir;
  }

  @Test
  void usageErrorsExitTwo() throws IOException {
    assertFails(
        2, calibrate(Qcal.SAMPLE, "--methods", "nosuch"), "Unknown calibration method 'nosuch'");
    assertFails(2, calibrate(Qcal.SAMPLE, "--bogus"), "Unknown option: '--bogus'");
    assertFails(2, calibrate(Qcal.SAMPLE, "--bits", "99"), "bits");
    assertFails(2, calibrate(Qcal.SAMPLE, "--layout", "diagonal"), "Unknown layout 'diagonal'");
    assertFails(2, calibrate(Qcal.SAMPLE, "--trt-version", "eight"), "TensorRT version");
    assertFails(2, calibrate(Qcal.SAMPLE, "--conf", "spark.qcal.bins=many"), "spark.qcal.bins");
    assertFails(2, Qcal.run("calibrate", "--input", Qcal.SAMPLE.toString()), "No output given");
    assertFails(2, Qcal.run("frobnicate"), "frobnicate");
  }

  @Test
  void missingPathExitsThree() throws IOException {
    assertFails(3, calibrate(tmp.resolve("nowhere")), "nowhere", "does not exist");
    Files.createDirectories(tmp.resolve("empty"));
    assertFails(3, calibrate(tmp.resolve("empty")), "empty", "holds no data file");
  }

  @Test
  void nonParquetFileExitsThree() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("text"));
    Files.writeString(dir.resolve("notes.txt"), "tensor,values\nconv1,1.0\n");
    assertFails(3, calibrate(dir), "notes.txt", "Parquet");
  }

  @Test
  void missingAndWronglyTypedColumnsExitThreeNamingFileAndColumn(SparkSession spark)
      throws IOException {
    StructType noValues =
        new StructType()
            .add("tensor", DataTypes.StringType)
            .add("data", DataTypes.createArrayType(DataTypes.FloatType));
    Path a =
        parquet(spark, "no-values", noValues, List.of(RowFactory.create("t", new float[] {1f})));
    assertFails(3, calibrate(a), "no values column", "part-", "data array<float>");
    assertFails(3, calibrate(a, "--layout", "long"), "no values column 'values'", "part-");

    StructType intTensor =
        new StructType()
            .add("tensor", DataTypes.IntegerType)
            .add("values", DataTypes.createArrayType(DataTypes.FloatType));
    Path b =
        parquet(spark, "int-tensor", intTensor, List.of(RowFactory.create(1, new float[] {1f})));
    assertFails(
        3, calibrate(b, "--layout", "long"), "column 'tensor' is int, expected string", "part-");

    StructType stringValues =
        new StructType().add("tensor", DataTypes.StringType).add("values", DataTypes.StringType);
    Path c = parquet(spark, "string-values", stringValues, List.of(RowFactory.create("t", "1.0")));
    assertFails(3, calibrate(c), "column 'values' is string", "part-");

    StructType wideWithLabel =
        new StructType().add("x", DataTypes.FloatType).add("label", DataTypes.StringType);
    Path d = parquet(spark, "wide-label", wideWithLabel, List.of(RowFactory.create(1f, "cat")));
    assertFails(3, calibrate(d), "column 'label' is string");
    // Selecting the tensor columns makes it readable.
    Qcal.Result ok = calibrate(d, "--tensors", "x");
    assertEquals(0, ok.code(), ok::toString);
  }

  @Test
  void filesThatDisagreeWithTheFirstFileExitThree(SparkSession spark) throws IOException {
    Path dir = tmp.resolve("mixed");
    StructType floats =
        new StructType()
            .add("tensor", DataTypes.StringType)
            .add("values", DataTypes.createArrayType(DataTypes.FloatType));
    StructType strings =
        new StructType()
            .add("tensor", DataTypes.StringType)
            .add("values", DataTypes.createArrayType(DataTypes.StringType));
    spark
        .createDataFrame(List.of(RowFactory.create("t", new float[] {1f})), floats)
        .coalesce(1)
        .write()
        .parquet(dir.resolve("a").toString());
    spark
        .createDataFrame(List.of(RowFactory.create("t", new String[] {"x"})), strings)
        .coalesce(1)
        .write()
        .parquet(dir.resolve("b").toString());
    assertFails(3, calibrate(dir), "b/part-");
  }

  @Test
  void noMatchingTensorExitsThree() throws IOException {
    assertFails(
        3, calibrate(Qcal.SAMPLE, "--tensors", "no such tensor"), "--tensors 'no such tensor'");
  }

  /** Every code a qcal process can return is a row of the exit-code table (docs/operating.md). */
  @Test
  void everyExitCodeIsDocumentedInTheReadme() throws IOException {
    String page = Files.readString(Qcal.ROOT.resolve("docs/operating.md"));
    String table = page.substring(page.indexOf("## Exit codes"), page.indexOf("### Operating"));
    for (ExitCode c : ExitCode.values()) {
      assertTrue(
          table.matches("(?s).*\\n\\| ([0-9]+, )*" + c.code() + "(, [0-9]+)* \\|.*"),
          "docs/operating.md's exit-code table has no row for " + c + " (" + c.code() + ")");
    }
  }
}
