package dev.qcal.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Settings precedence: properties file < --conf < flags, recorded in summary.json. */
@ExtendWith(SharedSpark.class)
class ConfigTest {
  @TempDir Path tmp;

  @Test
  void flagsWinOverConfWhichWinsOverTheFile() throws Exception {
    Path file = tmp.resolve("qcal.properties");
    Files.writeString(
        file,
        "spark.qcal.input = "
            + Qcal.SAMPLE
            + "\nspark.qcal.methods = nosuch\nspark.qcal.bits = 4\n"
            + "spark.qcal.trt-version = 8.5.3\n");
    Path out = tmp.resolve("out");
    // The file alone: its unknown method is a configuration error.
    Qcal.Result bad =
        Qcal.run("calibrate", "--config", file.toString(), "--output", out.toString());
    assertEquals(2, bad.code(), bad::toString);
    assertTrue(bad.err().contains("nosuch"), bad.err());

    Qcal.Result ok =
        Qcal.run(
            "calibrate",
            "--config",
            file.toString(),
            "--conf",
            "spark.qcal.methods=max",
            "--conf",
            "spark.qcal.bits=6",
            "--bits",
            "8",
            "--output",
            out.toString());
    assertEquals(0, ok.code(), ok::toString);
    JsonNode config =
        new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("config");
    assertEquals("max", config.get("spark.qcal.methods").asText());
    // The flag beats --conf (8, not 6: calibration.cache carries only 8-bit scales).
    assertEquals("8", config.get("spark.qcal.bits").asText());
    assertEquals("8.5.3", config.get("spark.qcal.trt-version").asText());
    assertTrue(
        Files.readString(out.resolve("calibration.cache"))
            .startsWith("TRT-8503-MinMaxCalibration\n"));
  }

  @Test
  void configFileErrorsExitTwo() {
    assertEquals(
        2, Qcal.run("calibrate", "--config", tmp.resolve("none.properties").toString()).code());
  }
}
