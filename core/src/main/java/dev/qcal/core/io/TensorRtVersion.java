package dev.qcal.core.io;

/**
 * The TensorRT version a calibration cache is written for, as the numeric code of the cache header
 * {@code TRT-<code>-<Algorithm>} (docs/design/formats.md §2.1): TensorRT 7 and 8 use MAJOR·1000 +
 * MINOR·100 + PATCH ({@code 8.6.1} → 8601), TensorRT 10 and later MAJOR·10000 + MINOR·100 + PATCH
 * ({@code 10.3.0} → 100300), as the {@code NV_TENSORRT_VERSION} macros of {@code NvInferVersion.h}
 * define them.
 *
 * <p>TensorRT checks the header: TensorRT 10.3 rejected a {@code TRT-8600-…} cache and fell back to
 * calibrating with no data (NVIDIA/Deep-Learning-Accelerator-SW issue #26), so users should pass
 * the version of the TensorRT that will read the cache. The {@link #DEFAULT} is 8.6.1 because 8.6
 * is the last release line in which implicit INT8 calibration is not deprecated (TensorRT 10.1
 * deprecates it, 11 removes it), it is what JetPack 6 and DLA toolchains ship, and it is the
 * version most often seen in real caches (8600, 8601, 8602). Immutable.
 */
public final class TensorRtVersion {
  /** TensorRT 8.6.1 (code 8601); see the class comment for why. */
  public static final TensorRtVersion DEFAULT = new TensorRtVersion(8, 6, 1);

  private final int major;
  private final int minor;
  private final int patch;

  private TensorRtVersion(int major, int minor, int patch) {
    this.major = major;
    this.minor = minor;
    this.patch = patch;
  }

  /**
   * A version from its parts.
   *
   * @throws IllegalArgumentException if a part is out of range for the header code (before TensorRT
   *     10 the minor version is one digit; patch versions are at most two digits)
   */
  public static TensorRtVersion of(int major, int minor, int patch) {
    int maxMinor = major < 10 ? 9 : 99;
    if (major < 1 || minor < 0 || minor > maxMinor || patch < 0 || patch > 99) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot use TensorRT version %d.%d.%d: need major >= 1, minor in [0, %d] and patch in"
                  + " [0, 99] to form the cache header code",
              major, minor, patch, maxMinor));
    }
    return new TensorRtVersion(major, minor, patch);
  }

  /**
   * Parses {@code MAJOR.MINOR[.PATCH[.BUILD]]} (the build number, as in {@code 8.6.1.6}, is not
   * part of the code), or a bare header code such as {@code 8601} or {@code 100300}.
   *
   * @throws IllegalArgumentException naming the text if it is neither
   */
  public static TensorRtVersion parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.matches("[0-9]{4,6}")) {
      int code = Integer.parseInt(t);
      TensorRtVersion v =
          code >= 100000
              ? new TensorRtVersion(code / 10000, code / 100 % 100, code % 100)
              : new TensorRtVersion(code / 1000, code / 100 % 10, code % 100);
      if (v.major >= 1 && (v.major >= 10) == (code >= 100000)) {
        return v;
      }
    } else if (t.matches("[0-9]{1,3}\\.[0-9]{1,3}(\\.[0-9]{1,3}(\\.[0-9]{1,6})?)?")) {
      String[] parts = t.split("\\.");
      return of(
          Integer.parseInt(parts[0]),
          Integer.parseInt(parts[1]),
          parts.length > 2 ? Integer.parseInt(parts[2]) : 0);
    }
    throw new IllegalArgumentException(
        "Cannot parse TensorRT version '"
            + text
            + "': expected MAJOR.MINOR[.PATCH] (e.g. 8.6.1 or 10.3.0) or a cache header code"
            + " (e.g. 8601 or 100300)");
  }

  /** The header code: 8601 for 8.6.1, 100300 for 10.3.0. */
  public int code() {
    return major < 10 ? major * 1000 + minor * 100 + patch : major * 10000 + minor * 100 + patch;
  }

  /** The major version. */
  public int major() {
    return major;
  }

  /** {@code MAJOR.MINOR.PATCH}. */
  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorRtVersion && ((TensorRtVersion) o).code() == code();
  }

  @Override
  public int hashCode() {
    return code();
  }
}
