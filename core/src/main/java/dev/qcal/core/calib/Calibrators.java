package dev.qcal.core.calib;

import dev.qcal.core.calib.octav.OctavCalibrator;
import dev.qcal.core.calib.wq.WqCalibrator;
import dev.qcal.core.calib.wq.WqLogCalibrator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one place where method keys (command line, configuration, table) become calibrators. Keys
 * are {@code method} for a method's documented default and {@code method:variant} for a named
 * variant reproducing one tool.
 */
public final class Calibrators {
  private static final Map<String, Supplier<Calibrator>> REGISTRY = new LinkedHashMap<>();

  static {
    REGISTRY.put(MaxCalibrator.NAME, MaxCalibrator::new);
    REGISTRY.put("octav", OctavCalibrator::create);
    REGISTRY.put("octav:aiedge", OctavCalibrator::aiEdge);
    REGISTRY.put("wq", WqCalibrator::create);
    REGISTRY.put("wq:log", WqLogCalibrator::create);
  }

  private Calibrators() {}

  /** Every valid key, in documentation order. */
  public static List<String> names() {
    return Collections.unmodifiableList(new ArrayList<>(REGISTRY.keySet()));
  }

  /**
   * The calibrator of one key.
   *
   * @throws IllegalArgumentException naming the key and listing the valid ones if it is unknown
   */
  public static Calibrator create(String key) {
    Supplier<Calibrator> factory = REGISTRY.get(key);
    if (factory == null) {
      throw new IllegalArgumentException(
          String.format("Unknown calibration method '%s' (valid: %s)", key, String.join(", ", names())));
    }
    return factory.get();
  }

  /**
   * The calibrators of several keys, in order.
   *
   * @throws IllegalArgumentException on an unknown or repeated key
   */
  public static List<Calibrator> create(List<String> keys) {
    List<Calibrator> out = new ArrayList<>();
    for (String key : keys) {
      if (keys.indexOf(key) != keys.lastIndexOf(key)) {
        throw new IllegalArgumentException("Calibration method '" + key + "' is given twice");
      }
      out.add(create(key));
    }
    return out;
  }
}
