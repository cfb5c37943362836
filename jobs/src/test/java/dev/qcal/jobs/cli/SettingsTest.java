package dev.qcal.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.quant.Scheme;
import dev.qcal.jobs.ExitCode;
import dev.qcal.jobs.JobException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * How a setting's value is found: the flag, else (calibrate and recompute only) the {@code
 * spark.qcal.*} key from --conf over Spark's configuration over the --config file, else the
 * default; how a wrong value is reported; what summary.json records. No Spark: the arguments are
 * parsed by the real command tree and read by {@link Settings}.
 */
class SettingsTest {
  @TempDir Path tmp;

  @AfterEach
  void clearSparkConf() {
    System.clearProperty("spark.qcal.bits");
    System.clearProperty("spark.qcal.output");
  }

  private static Settings settings(String... args) {
    CommandLine cli = new CommandLine(new Commands());
    CommandLine.ParseResult parsed = cli.parseArgs(args);
    return Settings.of(parsed.subcommand().commandSpec());
  }

  private Path config(String text) throws Exception {
    Path file = tmp.resolve("qcal.properties");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void eachSourceWinsOverTheOnesBelowIt() throws Exception {
    String file = config("spark.qcal.bits = 4\nspark.qcal.scheme = affine\n").toString();
    assertEquals(4, settings("calibrate", "--config", file).get(CalibrationSettings.BITS));
    System.setProperty("spark.qcal.bits", "5");
    assertEquals(5, settings("calibrate", "--config", file).get(CalibrationSettings.BITS));
    assertEquals(
        6,
        settings("calibrate", "--config", file, "--conf", "spark.qcal.bits=6")
            .get(CalibrationSettings.BITS));
    Settings all =
        settings("calibrate", "--config", file, "--conf", "spark.qcal.bits=6", "--bits", "7");
    assertEquals(7, all.get(CalibrationSettings.BITS));
    // A key no higher source sets still comes from the file; one no source sets, from the default.
    assertEquals(Scheme.AFFINE, all.get(CalibrationSettings.SCHEME));
    assertEquals(2048, all.get(CalibrationSettings.BINS));
    assertEquals(
        Map.of("spark.qcal.bits", "7", "spark.qcal.scheme", "affine", "spark.qcal.bins", "2048"),
        all.effective());
  }

  @Test
  void listsJoinRepeatedFlagsAndSwitchesAreTrueWhenGiven() {
    Settings s = settings("calibrate", "--input", "a,b", "--input", "c", "--overwrite");
    assertEquals(List.of("a", "b", "c"), s.get(InputOutputSettings.INPUT));
    assertTrue(s.get(InputOutputSettings.OVERWRITE));
    assertEquals(
        Map.of("spark.qcal.input", "a,b,c", "spark.qcal.overwrite", "true"), s.effective());
    assertEquals(false, settings("calibrate").get(CalibrationSettings.NO_REPORT));
  }

  @Test
  void aWrongValueNamesTheFlagAndTheKeyWhereverItCameFrom() {
    for (Settings s :
        List.of(
            settings("calibrate", "--bins", "many"),
            settings("calibrate", "--conf", "spark.qcal.bins=many"))) {
      JobException e = assertThrows(JobException.class, () -> s.get(CalibrationSettings.BINS));
      assertEquals(ExitCode.USAGE, e.exitCode());
      assertEquals("Invalid --bins (spark.qcal.bins): 'many' is not an integer", e.getMessage());
    }
    JobException layout =
        assertThrows(
            JobException.class,
            () -> settings("calibrate", "--layout", "diagonal").get(DumpSettings.LAYOUT));
    assertEquals(
        "Invalid --layout (spark.qcal.layout): Unknown layout 'diagonal' (valid: auto, long,"
            + " scalar, wide)",
        layout.getMessage());
    JobException flag =
        assertThrows(
            JobException.class,
            () ->
                settings("calibrate", "--conf", "spark.qcal.overwrite=yes")
                    .get(InputOutputSettings.OVERWRITE));
    assertEquals(
        "Invalid --overwrite (spark.qcal.overwrite): 'yes' is neither true nor false",
        flag.getMessage());
  }

  @Test
  void aMissingRequiredSettingSaysBothWaysToGiveIt() {
    JobException e =
        assertThrows(
            JobException.class, () -> settings("recompute").get(InputOutputSettings.STATE));
    assertEquals("No state given: pass --state DIR[,DIR...] (or spark.qcal.state)", e.getMessage());
    JobException blank =
        assertThrows(
            JobException.class,
            () ->
                settings("calibrate", "--conf", "spark.qcal.output= ")
                    .get(InputOutputSettings.OUTPUT));
    assertEquals("No output given: pass --output DIR (or spark.qcal.output)", blank.getMessage());
  }

  @Test
  void givenIgnoresTheDefault() {
    assertNull(settings("recompute").given(CalibrationSettings.BINS));
    assertEquals(512, settings("recompute", "--bins", "512").given(CalibrationSettings.BINS));
    assertEquals(
        256,
        settings("recompute", "--conf", "spark.qcal.bins=256").given(CalibrationSettings.BINS));
  }

  @Test
  void commandsOutsideTheJobReadFlagsOnly() {
    System.setProperty("spark.qcal.output", "/from/spark/conf");
    System.setProperty("spark.qcal.bits", "4");
    assertEquals(
        "/tmp/g",
        settings("generate", "--output", "/tmp/g", "--tensors", "1", "--values", "1")
            .get(InputOutputSettings.OUTPUT));
    assertEquals(8, settings("histogram", "--input", "h.json").get(CalibrationSettings.BITS));
    JobException e =
        assertThrows(
            JobException.class,
            () ->
                settings("histogram", "--input", "h.json", "--bits", "x")
                    .get(CalibrationSettings.BITS));
    assertEquals("Invalid --bits: 'x' is not an integer", e.getMessage());
    IllegalStateException notTaken =
        assertThrows(
            IllegalStateException.class,
            () -> settings("histogram", "--input", "h.json").get(CalibrationSettings.BINS));
    assertEquals("qcal histogram does not take --bins", notTaken.getMessage());
  }

  @Test
  void sparkKeysConfigureTheSessionAndConfErrorsAreUsageErrors() throws Exception {
    String file = config("spark.sql.shuffle.partitions = 3\nspark.qcal.bits = 4\n").toString();
    Settings s = settings("calibrate", "--config", file, "--conf", "spark.ui.enabled=true");
    assertEquals(
        Map.of("spark.sql.shuffle.partitions", "3", "spark.ui.enabled", "true"), s.sparkOptions());
    JobException pair =
        assertThrows(JobException.class, () -> settings("calibrate", "--conf", "novalue"));
    assertEquals("Cannot read --conf 'novalue': expected key=value", pair.getMessage());
    String bad = config("qcal.bits = 4\n").toString();
    JobException key =
        assertThrows(JobException.class, () -> settings("calibrate", "--config", bad));
    assertTrue(key.getMessage().contains("keys must be spark.qcal.* or spark.*"), key.getMessage());
  }
}
