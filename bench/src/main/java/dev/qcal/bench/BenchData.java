package dev.qcal.bench;

import dev.qcal.jobs.JobException;
import dev.qcal.jobs.generate.SizedDump;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The benchmark's dump directory: reused when its {@value #META} describes the same dump, else
 * (re)written with {@link SizedDump}. The meta file starts with {@code _}, so readers skip it.
 */
public final class BenchData {
  /** The file describing the dump in the directory. */
  public static final String META = "_qcal_bench.properties";

  private static final String GENERATOR = "sized-v1";

  private BenchData() {}

  /** Whether {@code dir} holds a complete dump equal to {@code dump}. */
  public static boolean matches(Path dir, SizedDump dump) {
    Path meta = dir.resolve(META);
    if (!Files.isRegularFile(meta) || !Files.isRegularFile(dir.resolve("_SUCCESS"))) {
      return false;
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(meta)) {
      p.load(in);
    } catch (IOException e) {
      return false;
    }
    return describe(dump).equals(p);
  }

  /** Writes {@code dump} into {@code dir} (replacing it) and its meta file. */
  public static void write(SparkSession spark, Path dir, SizedDump dump) {
    dump.write(spark, dir.toString(), SaveMode.Overwrite);
    try (OutputStream out = Files.newOutputStream(dir.resolve(META))) {
      describe(dump).store(out, "qcal bench dump: reused while these match");
    } catch (IOException e) {
      throw JobException.input("Cannot write " + dir.resolve(META) + ": " + e.getMessage(), e);
    }
  }

  private static Properties describe(SizedDump dump) {
    Properties p = new Properties();
    p.setProperty("generator", GENERATOR);
    p.setProperty("values", Long.toString(dump.values()));
    p.setProperty("tensors", Integer.toString(dump.tensors()));
    p.setProperty("seed", Long.toString(dump.seed()));
    p.setProperty("values-per-row", Integer.toString(dump.valuesPerRow()));
    p.setProperty("files", Integer.toString(dump.files()));
    return p;
  }
}
