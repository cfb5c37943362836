package dev.qcal.jobs.scan;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * parquet-java's codecs, except that Snappy pages are decompressed with snappy-java straight into
 * one reused array per column chunk instead of a fresh array per page (≈1 MB each: 2.4 GB of
 * garbage per 10⁹ values, JFR). Safe because the page decoder consumes each page before it asks for
 * the next. {@link StreamedRowGroup} asks for one decompressor per column chunk and decompresses
 * the chunk's dictionary page first; the dictionary may be kept (a binary dictionary keeps slices
 * of it) while the data pages are read, so that first page gets its own array. LZ4 pages go through
 * {@link HadoopLz4}, whatever their block size.
 */
final class ReusingCodecs implements CompressionCodecFactory {
  private final CompressionCodecFactory delegate;

  ReusingCodecs(CompressionCodecFactory delegate) {
    this.delegate = delegate;
  }

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    return delegate.getCompressor(codec);
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    if (codec == CompressionCodecName.LZ4) {
      return new HadoopLz4(); // Hadoop's codec fails on blocks above its buffer size
    }
    BytesInputDecompressor d = delegate.getDecompressor(codec);
    return codec == CompressionCodecName.SNAPPY ? new ReusingSnappy(d) : d;
  }

  @Override
  public void release() {
    delegate.release();
  }

  private static final class ReusingSnappy implements BytesInputDecompressor {
    private final BytesInputDecompressor delegate;
    private byte[] in;
    private byte[] out;
    private boolean first = true;

    ReusingSnappy(BytesInputDecompressor delegate) {
      this.delegate = delegate;
    }

    @Override
    @SuppressWarnings("deprecation") // BytesInput.toByteBuffer(): see PageValues.dictionary
    public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
      // StreamedColumnChunk reads a page into an array: its buffer wraps that array, no copy.
      // Anything else is copied into a reused array.
      ByteBuffer page = bytes.toByteBuffer();
      byte[] src;
      int offset;
      int size = page.remaining();
      if (page.hasArray()) {
        src = page.array();
        offset = page.arrayOffset() + page.position();
      } else {
        if (in == null || in.length < size) {
          in = new byte[Math.max(size, in == null ? 0 : in.length + in.length / 2)];
        }
        page.get(in, 0, size);
        src = in;
        offset = 0;
      }
      byte[] target;
      if (first) {
        first = false;
        target = new byte[uncompressedSize];
      } else {
        if (out == null || out.length < uncompressedSize) {
          out = new byte[Math.max(uncompressedSize, out == null ? 0 : out.length + out.length / 2)];
        }
        target = out;
      }
      int n = Snappy.uncompress(src, offset, size, target, 0);
      if (n != uncompressedSize) {
        throw new IOException("Snappy page of " + n + " bytes, expected " + uncompressedSize);
      }
      return BytesInput.from(target, 0, n);
    }

    @Override
    public void decompress(
        ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
        throws IOException {
      delegate.decompress(input, compressedSize, output, uncompressedSize);
    }

    @Override
    public void release() {
      delegate.release();
    }
  }
}
