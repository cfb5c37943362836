package dev.qcal.jobs.capture;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

/**
 * How an executor gets the model file without the bytes passing through the driver's memory: it
 * reads the file itself through the Hadoop FileSystem API (HDFS, S3, any shared file system; in
 * local mode the executor is the driver's JVM and reads the local file), except for a file on the
 * driver's local disk under a cluster master, which Spark ships ({@code SparkContext.addFile}:
 * the driver's file server streams it from disk to each executor once). Each executor reads it
 * once: {@link CaptureSessions} keeps its session for the following tasks.
 */
final class ModelFile implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String location;
  private final String shippedName;
  private final Broadcast<SerializableConfiguration> conf;

  private ModelFile(String location, String shippedName, Broadcast<SerializableConfiguration> conf) {
    this.location = location;
    this.shippedName = shippedName;
    this.conf = conf;
  }

  /** The model at {@code path}, made readable by the executors of {@code sc}. */
  static ModelFile of(String path, SparkContext sc) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(sc.hadoopConfiguration());
    Path qualified = fs.makeQualified(p);
    if (!sc.isLocal() && "file".equals(qualified.toUri().getScheme())) {
      sc.addFile(qualified.toString());
      return new ModelFile(qualified.toString(), qualified.getName(), null);
    }
    Broadcast<SerializableConfiguration> conf =
        JavaSparkContext.fromSparkContext(sc).broadcast(new SerializableConfiguration(sc.hadoopConfiguration()));
    return new ModelFile(qualified.toString(), null, conf);
  }

  /** The file's bytes, read on an executor. */
  byte[] read() throws IOException {
    if (shippedName != null) {
      return Files.readAllBytes(Paths.get(SparkFiles.get(shippedName)));
    }
    return readAll(new Path(location), conf.value().value());
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
          size + " bytes, over protobuf's 2 GiB limit (a model this large keeps its weights in"
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
