package dev.qcal.jobs.capture;

import dev.qcal.jobs.JobException;
import dev.qcal.jobs.dump.DumpRowException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

/**
 * How an executor gets the model file without its bytes passing through the driver's memory: it
 * reads the file itself through the Hadoop FileSystem API (HDFS, S3, any file system every executor
 * mounts; in local mode the executor is the driver's JVM). Each executor reads it once: {@link
 * CaptureSessions} keeps its session for the following tasks.
 *
 * <p>Not {@code SparkContext.addFile}: in Spark 4.0 a Dataset job runs in its session's artifact
 * scope ({@code JobArtifactSet}), and a file added to the SparkContext outside that scope did not
 * reach the executors of the standalone cluster test ({@code SparkFiles.get} named a file that was
 * never fetched); in a long-lived local session, files added by earlier runs were fetched again
 * from paths since deleted.
 */
final class ModelFile implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String location;
  private final Broadcast<SerializableConfiguration> conf;

  private ModelFile(String location, Broadcast<SerializableConfiguration> conf) {
    this.location = location;
    this.conf = conf;
  }

  /**
   * The model at {@code path}, as the executors of {@code sc} will read it.
   *
   * @throws JobException (an input error) when its file system cannot be reached
   */
  static ModelFile of(String path, SparkContext sc) {
    Path p = new Path(path);
    Path qualified;
    try {
      qualified = p.getFileSystem(sc.hadoopConfiguration()).makeQualified(p);
    } catch (IOException e) {
      throw JobException.input("Cannot read model " + path + ": " + e.getMessage(), e);
    }
    return new ModelFile(
        qualified.toString(),
        JavaSparkContext.fromSparkContext(sc)
            .broadcast(new SerializableConfiguration(sc.hadoopConfiguration())));
  }

  /**
   * The file's bytes, read on an executor.
   *
   * @throws DumpRowException (an input error) when the executor does not find the file
   */
  byte[] read() throws IOException {
    try {
      return readAll(new Path(location), conf.value().value());
    } catch (FileNotFoundException e) {
      throw new DumpRowException(
          "An executor cannot read the model "
              + location
              + " ("
              + e.getMessage()
              + "): on a cluster, put the"
              + " model where every executor reads it (HDFS, S3, a shared file system)");
    }
  }

  /**
   * The bytes of the file at {@code path}, any Hadoop file system.
   *
   * @throws IOException when it cannot be read, or is over protobuf's 2 GiB limit
   */
  static byte[] readAll(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    long size = fs.getFileStatus(path).getLen();
    if (size > Integer.MAX_VALUE - 8L) {
      throw new IOException(
          size
              + " bytes, over protobuf's 2 GiB limit (a model this large keeps its weights in"
              + " external data files, which capture does not read)");
    }
    byte[] bytes = new byte[(int) size];
    try (InputStream in = fs.open(path)) {
      if (in.readNBytes(bytes, 0, bytes.length) != bytes.length) {
        throw new IOException("the file is shorter than its " + size + " bytes");
      }
    }
    return bytes;
  }

  /** Where the model is, as errors name it. */
  String location() {
    return location;
  }
}
