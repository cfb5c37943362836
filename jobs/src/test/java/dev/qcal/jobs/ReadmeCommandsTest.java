package dev.qcal.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.qcal.jobs.cli.Commands;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.ReadmeCommands;
import dev.qcal.jobs.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every {@code bin/qcal} command the README and the docs/ pages show in a fenced block runs as
 * written and exits 0, page by page (README.md, then docs/*.md; not docs/design/) and in page order
 * (the nightly examples' runs build on each other), through {@code Main.run} in this JVM's Spark
 * session. What the commands need around them is set up as on a fresh clone:
 *
 * <ul>
 *   <li>relative paths ({@code data/sample}) are the repository's;
 *   <li>{@code weights/}, which docs/input.md's PyTorch snippet writes, is a small dump of that
 *       shape written here;
 *   <li>{@code /tmp/...} outputs go to a temporary directory of the page's own, and {@code
 *       s3a://bucket/...} is that directory's {@code s3a/bucket/...} (no S3 here), its dumps copies
 *       of the sample dump;
 *   <li>a command reading PaddleOCR's models ({@code .cache/models/}, from {@code
 *       .ci/fetch-models}) is not run where they were not fetched, and fails on CI; nor is a later
 *       command of the page that reads what such a command would have written.
 * </ul>
 *
 * <p>Usage synopses ({@code [--bits 8]}) are checked against the commands by {@code
 * SettingsDocsTest}. The commands in {@link #NOT_RUN} are not run, for the reason given; their
 * flags are still parsed. A new command in a page that is neither run nor listed there fails this
 * test, and so does a listed one that is gone.
 */
@ExtendWith(SharedSpark.class)
class ReadmeCommandsTest {
  private static final String BENCH =
      "a benchmark (module bench, whose BenchReadmeTest parses it): writes a dump of 1e8-1e9 values"
          + " (0.4-4 GB) and times bin/qcal calibrate and DuckDB, minutes per run";

  /** Commands the test does not run, as the pages write them (single-spaced), and why. */
  private static final Map<String, String> NOT_RUN =
      Map.of(
          "/usr/bin/time -v bin/qcal bench --values 1e8", BENCH,
          "/usr/bin/time -v bin/qcal bench --values 1e9", BENCH,
          "/usr/bin/time -v bin/qcal bench --values 1e9 --no-duckdb", BENCH,
          "/usr/bin/time -v bin/qcal bench --values 1e9 --no-qcal", BENCH,
          "/usr/bin/time -v bin/qcal bench --values 1e9 --no-duckdb -- --reader spark", BENCH);

  /** {@code bin/qcal bench}: the launcher runs module bench's own command. */
  static final String BENCH_COMMAND = "bench";

  @TempDir Path tmp;

  @Test
  void everyReadmeCommandRunsAsWritten(SparkSession spark) throws IOException {
    writeWeights(spark, tmp.resolve("weights"));
    TreeSet<String> skipped = new TreeSet<>();
    int ran = 0;
    for (Path page : ReadmeCommands.userDocs(Qcal.ROOT)) {
      String name = Qcal.ROOT.relativize(page).toString().replace('\\', '/');
      Path dir = Files.createDirectories(tmp.resolve("pages").resolve(name));
      List<String> notWritten = new ArrayList<>();
      for (ReadmeCommands.Command c : ReadmeCommands.read(page)) {
        if (c.isSynopsis()) {
          continue;
        }
        String where = name + " line " + c.line() + ": " + c.normalized();
        if (NOT_RUN.containsKey(c.normalized())) {
          skipped.add(c.normalized());
          if (c.name().equals(BENCH_COMMAND)) {
            continue; // not one of Commands': the bench module parses its own lines
          }
          try {
            new CommandLine(new Commands()).parseArgs(c.args().toArray(String[]::new));
          } catch (CommandLine.ParameterException e) {
            fail(where + ": " + e.getMessage());
          }
          continue;
        }
        String missing = unfetchedModel(c);
        if (missing == null) {
          missing = writtenByCommandNotRun(c, notWritten);
        }
        if (missing != null) {
          if ("true".equals(System.getenv("CI"))) {
            fail(where + ": " + missing + " is missing on CI, where .ci/run fetches the models");
          }
          System.err.println(
              where + ": not run, " + missing + " is missing (run .ci/fetch-models)");
          notWritten.add(outputOf(c));
          continue;
        }
        List<String> args = new ArrayList<>();
        for (String arg : c.args()) {
          args.add(local(arg, dir));
        }
        Qcal.Result r = Qcal.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), () -> where + "\nran as " + args + "\n" + r);
        ran++;
      }
    }
    assertEquals(
        new TreeSet<>(NOT_RUN.keySet()), skipped, "commands listed in NOT_RUN but in no page");
    assertTrue(ran >= 6, "ran only " + ran + " commands of the README and docs/");
  }

  /** The {@code --output} of a command as written, or null. */
  private static String outputOf(ReadmeCommands.Command c) {
    int at = c.args().indexOf("--output");
    return at >= 0 && at + 1 < c.args().size() ? c.args().get(at + 1) : null;
  }

  /**
   * An output of an earlier command of the page that was not run (its model missing) which this
   * command reads; null when there is none.
   */
  private static String writtenByCommandNotRun(ReadmeCommands.Command c, List<String> notWritten) {
    for (String arg : c.args()) {
      for (String out : notWritten) {
        if (out != null && (arg.equals(out) || arg.startsWith(out + "/"))) {
          return out;
        }
      }
    }
    return null;
  }

  /**
   * A model of {@code .cache/models/} (PaddleOCR's, which {@code .ci/fetch-models} downloads) that
   * the command reads and this checkout has not fetched; null when there is none.
   */
  private static String unfetchedModel(ReadmeCommands.Command c) {
    return c.args().stream()
        .filter(a -> a.startsWith(".cache/models/") && !Files.exists(Qcal.ROOT.resolve(a)))
        .findFirst()
        .orElse(null);
  }

  /**
   * An argument as it reads in a fresh clone with the page's own files around it: its outputs in
   * {@code dir}.
   */
  private String local(String arg, Path dir) throws IOException {
    if (arg.startsWith("-")) {
      return arg;
    }
    String s3a = dir.toUri() + "s3a/";
    String out = arg.replace("s3a://", s3a).replaceAll("(^|,)/tmp/", "$1" + dir + "/");
    for (String path : out.split(",")) {
      if (path.startsWith(s3a + "dumps/")) {
        copySample(Path.of(java.net.URI.create(path)));
      }
    }
    if (!out.equals(arg)) {
      return out;
    }
    if (Files.exists(Qcal.ROOT.resolve(arg))) {
      return Qcal.ROOT.resolve(arg).toString();
    }
    return Files.exists(tmp.resolve(arg)) ? tmp.resolve(arg).toString() : arg;
  }

  /** A dump the pages' s3a:// examples read: the sample dump, copied once. */
  private static void copySample(Path dir) throws IOException {
    if (Files.exists(dir)) {
      return;
    }
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(Qcal.SAMPLE)) {
      for (Path f : files.toList()) {
        Files.copy(f, dir.resolve(f.getFileName().toString()), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }

  /** weights/ as docs/input.md's PyTorch snippet writes it: one row per weight, with its shape. */
  private static void writeWeights(SparkSession spark, Path dir) {
    StructType schema =
        new StructType()
            .add("tensor", DataTypes.StringType)
            .add("values", DataTypes.createArrayType(DataTypes.FloatType))
            .add("shape", DataTypes.createArrayType(DataTypes.LongType));
    List<Row> rows = new ArrayList<>();
    int[][] shapes = {{8, 3, 3, 3}, {16, 8}};
    for (int t = 0; t < shapes.length; t++) {
      int n = 1;
      Long[] shape = new Long[shapes[t].length];
      for (int d = 0; d < shape.length; d++) {
        shape[d] = (long) shapes[t][d];
        n *= shapes[t][d];
      }
      Float[] values = new Float[n];
      for (int i = 0; i < n; i++) {
        values[i] = (float) Math.sin(i * 0.37 + t) * (1 + i % 5);
      }
      rows.add(RowFactory.create("layer" + t + ".weight", values, shape));
    }
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(dir.toString());
  }
}
