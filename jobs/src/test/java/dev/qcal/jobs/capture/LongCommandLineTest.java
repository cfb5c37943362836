package dev.qcal.jobs.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.jobs.Main;
import dev.qcal.jobs.testing.ChildProcess;
import dev.qcal.jobs.testing.Datasets;
import dev.qcal.jobs.testing.Datasets.Sample;
import dev.qcal.jobs.testing.SharedSpark;
import dev.qcal.onnx.testing.SyntheticModels;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code capture} in a JVM started with a long {@code -cp}, as {@code bin/qcal} starts it: ONNX
 * Runtime 1.29's native library, loaded on a thread with Java's default stack, overflows it on a
 * command line over about 4 KB and the JVM dies of SIGSEGV (exit 139) without a word; capture loads
 * it on a thread with a large stack.
 */
@ExtendWith(SharedSpark.class)
class LongCommandLineTest {
  @TempDir Path tmp;

  @Test
  void captureRunsInAJvmWithALongClassPathOnItsCommandLine(SparkSession spark) throws Exception {
    Path model = Files.write(tmp.resolve("convnet.onnx"), SyntheticModels.convNet().toByteArray());
    Path data =
        Datasets.write(
            spark,
            tmp.resolve("data"),
            1,
            List.of(
                Sample.of("x", new float[192], "z", new float[8], "z_shape", new int[] {1, 8})));
    // Surefire starts this JVM with a short class path (a manifest jar); the child gets it in full.
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command =
        ChildProcess.javaCommand(
            List.of(
                "-Xmx512m",
                "-Dspark.ui.enabled=false",
                "-Dspark.driver.host=127.0.0.1",
                "-Dspark.driver.bindAddress=127.0.0.1"),
            Main.class.getName(),
            List.of(
                "capture",
                "--model",
                model.toString(),
                "--inputs",
                data.toString(),
                "--output",
                tmp.resolve("dump").toString(),
                "--tensors",
                "x|m",
                "--master",
                "local[1]"));
    int cp = command.indexOf("-cp") + 1;
    command.set(cp, classPath);
    List<String> all = new ArrayList<>(command);
    assertTrue(
        String.join(" ", all).length() > 8192,
        "a command line over 8 KB: " + classPath.split(File.pathSeparator).length + " entries");
    ChildProcess child =
        ChildProcess.start("capture", new ProcessBuilder(all), tmp.resolve("capture.log"));
    assertEquals(0, child.awaitExit(Duration.ofMinutes(4)), child::logText);
    assertTrue(child.logText().contains("qcal: captured 2 tensors"), child::logText);
  }
}
