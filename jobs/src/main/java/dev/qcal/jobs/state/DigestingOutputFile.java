package dev.qcal.jobs.state;

import dev.qcal.jobs.OutputFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet {@link OutputFile} that computes the SHA-256 of the bytes written through it, so the
 * state's {@code data_sha256} costs no second read of the file it just wrote. A new file on the
 * local file system is created through {@link OutputFiles} (no {@code chmod} process); the block
 * size facts, and files elsewhere, are Parquet's {@link HadoopOutputFile}'s.
 */
final class DigestingOutputFile implements OutputFile {
  private final OutputFile file;
  private final FileSystem fs;
  private final Path path;
  private final MessageDigest digest = StateMeta.digest();

  DigestingOutputFile(Path path, Configuration conf) throws IOException {
    this.file = HadoopOutputFile.fromPath(path, conf);
    this.fs = path.getFileSystem(conf);
    this.path = path;
  }

  /** The hex SHA-256 of every byte written so far (call it once, after the writer closed). */
  String sha256() {
    return HexFormat.of().formatHex(digest.digest());
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    return new Digesting(
        OutputFiles.isLocal(fs) ? OutputFiles.create(fs, path) : file.create(blockSizeHint));
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
    return new Digesting(file.createOrOverwrite(blockSizeHint));
  }

  @Override
  public boolean supportsBlockSize() {
    return file.supportsBlockSize();
  }

  @Override
  public long defaultBlockSize() {
    return file.defaultBlockSize();
  }

  @Override
  public String getPath() {
    return file.getPath();
  }

  /** The stream of a new file: its position is the count of bytes written. */
  private final class Digesting extends PositionOutputStream {
    private final OutputStream out;
    private long pos;

    Digesting(OutputStream out) {
      this.out = out;
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      digest.update((byte) b);
      pos++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      digest.update(b, off, len);
      pos += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
