package dev.qcal.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.jobs.calibrate.Calibration;
import dev.qcal.jobs.generate.SizedDump;
import dev.qcal.jobs.scan.Reader;
import dev.qcal.jobs.testing.SharedSpark;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's correctness check: DuckDB's SQL histograms equal qcal's, bin for bin. */
@ExtendWith(SharedSpark.class)
class DuckDbPeerTest {
  @TempDir Path tmp;

  @Test
  void duckDbCountsEqualQcalAbsoluteHistogramsWithBothReaders(SparkSession spark) {
    SizedDump dump = new SizedDump(24, 300_000, 9, 4096, 2);
    BenchData.write(spark, tmp, dump);
    assertTrue(BenchData.matches(tmp, dump));
    assertTrue(!BenchData.matches(tmp, new SizedDump(24, 300_000, 10, 4096, 2)));

    DuckDbPeer.Result duck = DuckDbPeer.run(tmp.resolve("*.parquet").toString(), 2048, 2);
    assertEquals(24, duck.counts().size());
    long total = 0;
    for (long[] c : duck.counts().values()) {
      for (long x : c) {
        total += x;
      }
    }
    assertEquals(300_000, total);
    for (Reader reader : new Reader[] {Reader.PAGES, Reader.SPARK}) {
      Map<String, Map<Domain, Histogram>> qcal =
          Calibration.builder().input(tmp.toString()).reader(reader)
              .histogramLayout(dev.qcal.core.histogram.HistogramLayout.RANGE).build()
              .histograms(spark, EnumSet.of(Domain.ABSOLUTE));
      assertEquals(duck.counts().keySet(), qcal.keySet());
      qcal.forEach(
          (name, h) -> assertArrayEquals(duck.counts().get(name), h.get(Domain.ABSOLUTE).counts(), name));
    }
  }
}
