package dev.qcal.jobs.scan;

import java.io.IOException;
import java.nio.ByteBuffer;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor;

/**
 * Decompresses Parquet's LZ4 pages (the deprecated codec) with lz4-java, which Spark ships, for any
 * block size. Writers frame them as Hadoop's {@code BlockCompressorStream} does: blocks of (4-byte
 * big-endian uncompressed size, then chunks of 4-byte big-endian compressed size and an LZ4 block).
 * Hadoop's own codec fails with {@code LZ4Exception} on a chunk larger than its buffer ({@code
 * io.compression.codec.lz4.buffersize}, 256 KB), as Arrow C++ writes one chunk per page and
 * parquet-java one per writer buffer. A page whose framing does not add up is read as one raw LZ4
 * block, as Arrow C++ reads it (early parquet-cpp wrote that).
 */
// BytesInput.toByteArray() is deprecated for callers that could release buffers; a decompressor
// is handed the page\'s bytes and must copy them anyway.
@SuppressWarnings("deprecation")
final class HadoopLz4 implements BytesInputDecompressor {
  private final LZ4SafeDecompressor lz4 = LZ4Factory.fastestInstance().safeDecompressor();

  @Override
  public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
    byte[] in = bytes.toByteArray();
    byte[] out = new byte[uncompressedSize];
    if (!framed(in, out) && !raw(in, out)) {
      throw new IOException(
          "Cannot decompress an LZ4 page of "
              + in.length
              + " bytes to "
              + uncompressedSize
              + ": neither Hadoop-framed nor one raw LZ4 block (corrupt page?)");
    }
    return BytesInput.from(out);
  }

  /**
   * Decompresses Hadoop's framing into all of {@code out}; false when the framing does not add up.
   */
  private boolean framed(byte[] in, byte[] out) {
    int ip = 0;
    int op = 0;
    try {
      while (op < out.length) {
        int block = readInt(in, ip);
        ip += 4;
        if (block <= 0 || block > out.length - op) {
          return false;
        }
        int blockEnd = op + block;
        while (op < blockEnd) {
          int chunk = readInt(in, ip);
          ip += 4;
          if (chunk <= 0 || chunk > in.length - ip) {
            return false;
          }
          op += lz4.decompress(in, ip, chunk, out, op, blockEnd - op);
          ip += chunk;
        }
      }
    } catch (LZ4Exception | ArrayIndexOutOfBoundsException e) {
      return false;
    }
    return ip == in.length;
  }

  private boolean raw(byte[] in, byte[] out) {
    try {
      return lz4.decompress(in, 0, in.length, out, 0, out.length) == out.length;
    } catch (LZ4Exception e) {
      return false;
    }
  }

  private static int readInt(byte[] in, int at) {
    if (at + 4 > in.length) {
      throw new ArrayIndexOutOfBoundsException(at);
    }
    return ByteBuffer.wrap(in, at, 4).getInt();
  }

  @Override
  public void decompress(
      ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
      throws IOException {
    byte[] in = new byte[compressedSize];
    input.duplicate().get(in);
    byte[] out = decompress(BytesInput.from(in), uncompressedSize).toByteArray();
    output.put(out);
  }

  @Override
  public void release() {}
}
