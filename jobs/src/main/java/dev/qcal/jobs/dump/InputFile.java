package dev.qcal.jobs.dump;

import java.io.Serializable;
import java.time.Instant;

/**
 * One data file of a dump as it was when listed: its qualified path, length and modification time.
 * Together they identify what was read: a file still being written, or replaced by another, has
 * another length or time ({@link DumpFiles#checkUnchanged}); a persisted state records the files it
 * covers, so the same file is never counted twice (same path, length and time).
 *
 * @param path the qualified path, e.g. {@code file:/data/dump/part-0.parquet}
 * @param length bytes
 * @param modified modification time, milliseconds since the epoch (the file system's resolution)
 */
public record InputFile(String path, long length, long modified)
    implements Serializable, Comparable<InputFile> {

  /** By path, then length, then time. */
  @Override
  public int compareTo(InputFile o) {
    int c = path.compareTo(o.path);
    if (c == 0) {
      c = Long.compare(length, o.length);
    }
    return c != 0 ? c : Long.compare(modified, o.modified);
  }

  /** {@code path (length bytes, modified time)}, for messages. */
  public String describe() {
    return path + " (" + length + " bytes, modified " + Instant.ofEpochMilli(modified) + ")";
  }
}
