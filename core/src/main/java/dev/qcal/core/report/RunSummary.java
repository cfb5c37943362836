package dev.qcal.core.report;

import dev.qcal.core.quant.QuantSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the report says about the run that produced it. Every part is optional: a report rendered
 * from a table read back from disk may know nothing but the tensors. Immutable; build it with
 * {@link #builder()}.
 *
 * @param inputs input paths, in the order given
 * @param values values scanned (NaN and ±Inf included)
 * @param rows dump rows read
 * @param nanValues NaN values seen
 * @param infValues ±Inf values seen
 * @param stages wall time per stage, in the order the stages ran
 * @param qcalVersion the qcal version
 * @param sparkVersion the Spark version
 * @param quant the quantizer the scales are for
 * @param extra any further facts to show (e.g. {@code output}, {@code methods}), in order
 * @param primaryFiles the files written for the primary method alone (e.g. {@code
 *     calibration.cache}; an empty list when none was), empty when unknown
 */
public record RunSummary(
    List<String> inputs,
    OptionalLong values,
    OptionalLong rows,
    OptionalLong nanValues,
    OptionalLong infValues,
    Map<String, Duration> stages,
    Optional<String> qcalVersion,
    Optional<String> sparkVersion,
    Optional<QuantSpec> quant,
    Map<String, String> extra,
    Optional<List<String>> primaryFiles) {

  /** A summary that knows nothing. */
  public static final RunSummary EMPTY = builder().build();

  /** Copies the collections, keeping their order. */
  public RunSummary {
    inputs = List.copyOf(inputs);
    stages = Collections.unmodifiableMap(new LinkedHashMap<>(stages));
    extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    primaryFiles = primaryFiles == null ? null : primaryFiles.map(List::copyOf);
    if (values == null
        || rows == null
        || nanValues == null
        || infValues == null
        || qcalVersion == null
        || sparkVersion == null
        || quant == null
        || primaryFiles == null) {
      throw new IllegalArgumentException(
          "Cannot build a run summary: use OptionalLong.empty()/Optional.empty(), not null");
    }
  }

  /** Starts an empty summary. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RunSummary}; every setter is optional. */
  public static final class Builder {
    private final List<String> inputs = new ArrayList<>();
    private OptionalLong values = OptionalLong.empty();
    private OptionalLong rows = OptionalLong.empty();
    private OptionalLong nanValues = OptionalLong.empty();
    private OptionalLong infValues = OptionalLong.empty();
    private final Map<String, Duration> stages = new LinkedHashMap<>();
    private Optional<String> qcalVersion = Optional.empty();
    private Optional<String> sparkVersion = Optional.empty();
    private Optional<QuantSpec> quant = Optional.empty();
    private final Map<String, String> extra = new LinkedHashMap<>();
    private Optional<List<String>> primaryFiles = Optional.empty();

    private Builder() {}

    /** Adds an input path. */
    public Builder input(String path) {
      inputs.add(path);
      return this;
    }

    /** Values scanned. */
    public Builder values(long count) {
      this.values = OptionalLong.of(count);
      return this;
    }

    /** Dump rows read. */
    public Builder rows(long count) {
      this.rows = OptionalLong.of(count);
      return this;
    }

    /** NaN and ±Inf values seen. */
    public Builder nonFinite(long nan, long inf) {
      this.nanValues = OptionalLong.of(nan);
      this.infValues = OptionalLong.of(inf);
      return this;
    }

    /** Adds (or replaces) the wall time of a stage; stages keep the order of their first call. */
    public Builder stage(String name, Duration time) {
      stages.put(name, time);
      return this;
    }

    /** The qcal version. */
    public Builder qcalVersion(String version) {
      this.qcalVersion = Optional.of(version);
      return this;
    }

    /** The Spark version. */
    public Builder sparkVersion(String version) {
      this.sparkVersion = Optional.of(version);
      return this;
    }

    /** The quantizer. */
    public Builder quant(QuantSpec spec) {
      this.quant = Optional.of(spec);
      return this;
    }

    /** Adds (or replaces) a further fact. */
    public Builder fact(String name, String value) {
      extra.put(name, value);
      return this;
    }

    /** The files written for the primary method alone, in order. */
    public Builder primaryFiles(List<String> files) {
      this.primaryFiles = Optional.of(List.copyOf(files));
      return this;
    }

    /** The summary. */
    public RunSummary build() {
      return new RunSummary(
          inputs,
          values,
          rows,
          nanValues,
          infValues,
          stages,
          qcalVersion,
          sparkVersion,
          quant,
          extra,
          primaryFiles);
    }
  }
}
