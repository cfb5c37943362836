package dev.qcal.core.calib;

import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.table.TensorCalibration;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.qcal.core.histogram.Domain;

/**
 * Runs every requested calibrator on one tensor and assembles its table row. This is the one call
 * the Spark job makes per tensor, on the executors.
 */
public final class TensorCalibrator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> methods;
  private final QuantSpec quant;
  private transient List<Calibrator> calibrators;

  /**
   * A runner of the given method keys (validated now, see {@link Calibrators}) under {@code quant}.
   *
   * @throws IllegalArgumentException listing the valid keys if one is unknown
   */
  public TensorCalibrator(List<String> methods, QuantSpec quant) {
    if (methods.isEmpty()) {
      throw new IllegalArgumentException("Cannot calibrate: no method given (valid: " + Calibrators.names() + ")");
    }
    this.methods = List.copyOf(methods);
    this.quant = quant;
    this.calibrators = Calibrators.create(this.methods);
  }

  private List<Calibrator> calibrators() {
    if (calibrators == null) {
      calibrators = Calibrators.create(methods);
    }
    return calibrators;
  }

  /** The method keys, in order. */
  public List<String> methods() {
    return methods;
  }

  /** The quantizer. */
  public QuantSpec quant() {
    return quant;
  }

  /** The histograms pass 2 must build for these methods. */
  public Set<Domain> domains() {
    Set<Domain> domains = EnumSet.noneOf(Domain.class);
    for (Calibrator c : calibrators()) {
      domains.addAll(c.domains());
    }
    return domains;
  }

  /**
   * The row of tensor {@code name}.
   *
   * @throws IllegalStateException naming the tensor and method if a calibrator fails (a bug: the
   *     calibrator contract forbids it), so no table is written with a silently missing result
   */
  public TensorCalibration calibrate(String name, TensorStatistics stats) {
    return SharedSearches.within(() -> calibrateAll(name, stats));
  }

  private TensorCalibration calibrateAll(String name, TensorStatistics stats) {
    Map<String, CalibrationResult> results = new LinkedHashMap<>();
    List<Calibrator> all = new ArrayList<>(calibrators());
    for (Calibrator c : all) {
      try {
        results.put(c.name(), c.calibrate(stats, quant));
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            String.format("Calibration of tensor '%s' with method %s failed: %s", name, c.name(), e.getMessage()), e);
      }
    }
    return new TensorCalibration(name, stats.range(), results);
  }
}
