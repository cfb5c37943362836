package dev.qcal.core.io;

/**
 * The settings some formats need beyond the table: the TensorRT version of the cache header, and
 * the producer version AIMET 2.0.0 encodings name. Immutable; start from {@link #defaults()}.
 */
public final class FormatOptions {
  private static final FormatOptions DEFAULTS =
      new FormatOptions(TensorRtVersion.DEFAULT, defaultProducerVersion());

  private final TensorRtVersion tensorRtVersion;
  private final String producerVersion;

  private FormatOptions(TensorRtVersion tensorRtVersion, String producerVersion) {
    this.tensorRtVersion = tensorRtVersion;
    this.producerVersion = producerVersion;
  }

  /** TensorRT {@link TensorRtVersion#DEFAULT}, and qcal's own version as the producer version. */
  public static FormatOptions defaults() {
    return DEFAULTS;
  }

  /**
   * The same options for another TensorRT version (the {@code trt-cache} header).
   *
   * @throws IllegalArgumentException if the version is null
   */
  public FormatOptions withTensorRtVersion(TensorRtVersion version) {
    if (version == null) {
      throw new IllegalArgumentException("Cannot set the TensorRT version: it is null");
    }
    return new FormatOptions(version, producerVersion);
  }

  /**
   * The same options with another producer version (AIMET 2.0.0 {@code producer.version}).
   *
   * @throws IllegalArgumentException if the version is null or blank
   */
  public FormatOptions withProducerVersion(String version) {
    if (version == null || version.isBlank()) {
      throw new IllegalArgumentException(
          "Cannot set the producer version: it is blank (" + version + ")");
    }
    return new FormatOptions(tensorRtVersion, version);
  }

  /** The TensorRT version the cache header is written for. */
  public TensorRtVersion tensorRtVersion() {
    return tensorRtVersion;
  }

  /** The qcal version written as the producer of AIMET 2.0.0 encodings. */
  public String producerVersion() {
    return producerVersion;
  }

  /**
   * The jar manifest's Implementation-Version, or {@code dev} when run from classes (tests, IDE).
   */
  private static String defaultProducerVersion() {
    String v = FormatOptions.class.getPackage().getImplementationVersion();
    return v == null || v.isBlank() ? "dev" : v;
  }
}
