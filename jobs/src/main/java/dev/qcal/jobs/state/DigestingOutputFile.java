package dev.qcal.jobs.state;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet {@link OutputFile} that computes the SHA-256 of the bytes written through it, so the
 * state's {@code data_sha256} costs no second read of the file it just wrote.
 */
final class DigestingOutputFile implements OutputFile {
  private final OutputFile file;
  private final MessageDigest digest = StateMeta.digest();

  DigestingOutputFile(OutputFile file) {
    this.file = file;
  }

  /** The hex SHA-256 of every byte written so far (call it once, after the writer closed). */
  String sha256() {
    return HexFormat.of().formatHex(digest.digest());
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    return new Digesting(file.create(blockSizeHint));
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

  private final class Digesting extends PositionOutputStream {
    private final PositionOutputStream out;

    Digesting(PositionOutputStream out) {
      this.out = out;
    }

    @Override
    public long getPos() throws IOException {
      return out.getPos();
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      digest.update((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      digest.update(b, off, len);
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
