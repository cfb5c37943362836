package dev.qcal.jobs.scan;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.parquet.bytes.ByteBufferAllocator;

/**
 * Heap buffers for parquet-java's column-chunk reads, handed back when a row group is closed and
 * reused for the next one. Without it every row group (≈128 MB) is read into fresh buffers that
 * live until its last page is decoded: young collections then copy them to the old generation,
 * which cost ≈2.5 s of GC pauses per 10⁹ values (JFR), plus the first touch of fresh memory. A task
 * usually reads one row group, so the pool is shared by the tasks of an executor ({@link #SHARED}),
 * holds at most {@value #MAX_POOLED_BYTES} bytes, and keeps a buffer released twice once.
 */
final class BufferPool implements ByteBufferAllocator {
  /** Cap of the bytes kept for reuse (two row groups in flight per core, a few cores). */
  static final long MAX_POOLED_BYTES = 1L << 30;

  /** The executor's pool. */
  static final BufferPool SHARED = new BufferPool();

  private long pooledBytes;

  private final List<ByteBuffer> free = new ArrayList<>();
  private final Set<ByteBuffer> freeSet = Collections.newSetFromMap(new IdentityHashMap<>());

  @Override
  public synchronized ByteBuffer allocate(int size) {
    int best = -1;
    for (int i = 0; i < free.size(); i++) {
      int c = free.get(i).capacity();
      if (c >= size && (best < 0 || c < free.get(best).capacity())) {
        best = i;
      }
    }
    if (best < 0) {
      return ByteBuffer.allocate(size);
    }
    ByteBuffer b = free.remove(best);
    freeSet.remove(b);
    pooledBytes -= b.capacity();
    b.clear().limit(size);
    return b.slice(); // position 0, capacity exactly size, as a fresh buffer would be
  }

  @Override
  public synchronized void release(ByteBuffer b) {
    if (b.hasArray() && b.arrayOffset() == 0 && b.capacity() == b.array().length) {
      keep(b);
    } else if (b.hasArray()) {
      keep(ByteBuffer.wrap(b.array())); // a slice we handed out: pool its whole array
    }
  }

  private void keep(ByteBuffer whole) {
    for (ByteBuffer f : free) {
      if (f.array() == whole.array()) {
        return;
      }
    }
    if (pooledBytes + whole.capacity() <= MAX_POOLED_BYTES && freeSet.add(whole)) {
      free.add(whole);
      pooledBytes += whole.capacity();
    }
  }

  @Override
  public boolean isDirect() {
    return false;
  }
}
