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
    assertEquals(4, settings("calibrate", "--config", file).get(SettingRegistry.BITS));
    System.setProperty("spark.qcal.bits", "5");
    assertEquals(5, settings("calibrate", "--config", file).get(SettingRegistry.BITS));
    assertEquals(
        6,
        settings("calibrate", "--config", file, "--conf", "spark.qcal.bits=6")
            .get(SettingRegistry.BITS));
    Settings all =
        settings("calibrate", "--config", file, "--conf", "spark.qcal.bits=6", "--bits", "7");
    assertEquals(7, all.get(SettingRegistry.BITS));
    // A key no higher source sets still comes from the file; one no source sets, from the default.
    assertEquals(Scheme.AFFINE, all.get(SettingRegistry.SCHEME));
    assertEquals(2048, all.get(SettingRegistry.BINS));
    assertEquals(
        Map.of("spark.qcal.bits", "7", "spark.qcal.scheme", "affine", "spark.qcal.bins", "2048"),
        all.effective());
  }

  @Test
  void listsJoinRepeatedFlagsAndSwitchesAreTrueWhenGiven() {
    Settings s = settings("calibrate", "--input", "a,b", "--input", "c", "--overwrite");
    assertEquals(List.of("a", "b", "c"), s.get(SettingRegistry.INPUT));
    assertTrue(s.get(SettingRegistry.OVERWRITE));
    assertEquals(
        Map.of("spark.qcal.input", "a,b,c", "spark.qcal.overwrite", "true"), s.effective());
    assertEquals(false, settings("calibrate").get(SettingRegistry.NO_REPORT));
  }

  @Test
  void aWrongValueNamesTheFlagAndTheKeyWhereverItCameFrom() {
    for (Settings s :
        List.of(
            settings("calibrate", "--bins", "many"),
            settings("calibrate", "--conf", "spark.qcal.bins=many"))) {
      JobException e = assertThrows(JobException.class, () -> s.get(SettingRegistry.BINS));
      assertEquals(ExitCode.USAGE, e.exitCode());
      assertEquals("Invalid --bins (spark.qcal.bins): 'many' is not an integer", e.getMessage());
    }
    JobException layout =
        assertThrows(
            JobException.class,
            () -> settings("calibrate", "--layout", "diagonal").get(SettingRegistry.LAYOUT));
    assertEquals(
        "Invalid --layout (spark.qcal.layout): Unknown layout 'diagonal' (valid: auto, long,"
            + " scalar, wide)",
        layout.getMessage());
    JobException flag =
        assertThrows(
            JobException.class,
            () ->
                settings("calibrate", "--conf", "spark.qcal.overwrite=yes")
                    .get(SettingRegistry.OVERWRITE));
    assertEquals(
        "Invalid --overwrite (spark.qcal.overwrite): 'yes' is neither true nor false",
        flag.getMessage());
  }

  @Test
  void aMissingRequiredSettingSaysBothWaysToGiveIt() {
    JobException e =
        assertThrows(JobException.class, () -> settings("recompute").get(SettingRegistry.STATE));
    assertEquals("No state given: pass --state DIR[,DIR...] (or spark.qcal.state)", e.getMessage());
    JobException blank =
        assertThrows(
            JobException.class,
            () ->
                settings("calibrate", "--conf", "spark.qcal.output= ").get(SettingRegistry.OUTPUT));
    assertEquals("No output given: pass --output DIR (or spark.qcal.output)", blank.getMessage());
  }

  @Test
  void givenIgnoresTheDefault() {
    assertNull(settings("recompute").given(SettingRegistry.BINS));
    assertEquals(512, settings("recompute", "--bins", "512").given(SettingRegistry.BINS));
    assertEquals(
        256, settings("recompute", "--conf", "spark.qcal.bins=256").given(SettingRegistry.BINS));
  }

  @Test
  void commandsOutsideTheJobReadFlagsOnly() {
    System.setProperty("spark.qcal.output", "/from/spark/conf");
    System.setProperty("spark.qcal.bits", "4");
    assertEquals(
        "/tmp/g",
        settings("generate", "--output", "/tmp/g", "--tensors", "1", "--values", "1")
            .get(SettingRegistry.OUTPUT));
    assertEquals(8, settings("histogram", "--input", "h.json").get(SettingRegistry.BITS));
    JobException e =
        assertThrows(
            JobException.class,
            () ->
                settings("histogram", "--input", "h.json", "--bits", "x")
                    .get(SettingRegistry.BITS));
    assertEquals("Invalid --bits: 'x' is not an integer", e.getMessage());
    IllegalStateException notTaken =
        assertThrows(
            IllegalStateException.class,
            () -> settings("histogram", "--input", "h.json").get(SettingRegistry.BINS));
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
