package dev.qcal.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.jobs.generate.SizedDump;
import dev.qcal.jobs.scan.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's peer and check: DuckDB's SQL histograms, computed in a process of its own as the
 * benchmark times them, equal qcal's bin for bin with both readers.
 */
class DuckDbPeerTest {
  private static SparkSession spark;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("qcal bench tests")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void duckDbCountsFromItsOwnProcessEqualQcalAbsoluteHistogramsWithBothReaders() throws Exception {
    Path dir = tmp.resolve("dump");
    SizedDump dump = new SizedDump(24, 300_000, 9, 4096, 2);
    BenchData.write(spark, dir, dump);
    assertTrue(BenchData.matches(dir, dump));
    assertFalse(BenchData.matches(dir, new SizedDump(24, 300_000, 10, 4096, 2)));

    DuckDbProcess.Run run =
        DuckDbProcess.run(
            dir.resolve("*.parquet").toString(),
            2048,
            2,
            tmp.resolve("counts.bin"),
            tmp.resolve("log"));
    assertTrue(
        run.wholeSeconds() >= run.peer().passesSeconds(), Files.readString(tmp.resolve("log")));
    Map<String, long[]> duck = run.peer().counts();
    assertEquals(24, duck.size());
    assertEquals(300_000, duck.values().stream().flatMapToLong(java.util.Arrays::stream).sum());
    for (Reader reader : new Reader[] {Reader.PAGES, Reader.SPARK}) {
      Map<String, long[]> qcal = RangeHistograms.absolute(spark, dir.toString(), reader, 2048);
      assertEquals(duck.keySet(), qcal.keySet());
      qcal.forEach((name, h) -> assertArrayEquals(duck.get(name), h, name));
    }
  }
}
