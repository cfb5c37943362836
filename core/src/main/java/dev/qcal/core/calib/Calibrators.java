package dev.qcal.core.calib;

import dev.qcal.core.calib.entropy.Mxnet15EntropyCalibrator;
import dev.qcal.core.calib.entropy.MxnetEntropyCalibrator;
import dev.qcal.core.calib.entropy.NcnnEntropyCalibrator;
import dev.qcal.core.calib.entropy.NvidiaEntropyCalibrator;
import dev.qcal.core.calib.entropy.OrtEntropyCalibrator;
import dev.qcal.core.calib.entropy.PpqEntropyCalibrator;
import dev.qcal.core.calib.entropy.TensorRtEntropyCalibrator;
import dev.qcal.core.calib.entropy.TvmEntropyCalibrator;
import dev.qcal.core.calib.eval.BestMethod;
import dev.qcal.core.calib.mse.NvMseCalibrator;
import dev.qcal.core.calib.mse.PpqMseCalibrator;
import dev.qcal.core.calib.mse.SweepMseCalibrator;
import dev.qcal.core.calib.mse.TorchHistogramCalibrator;
import dev.qcal.core.calib.octav.OctavCalibrator;
import dev.qcal.core.calib.percentile.CoverageCalibrator;
import dev.qcal.core.calib.percentile.NvPercentileCalibrator;
import dev.qcal.core.calib.percentile.OrtPercentileCalibrator;
import dev.qcal.core.calib.percentile.PercentileCalibrator;
import dev.qcal.core.calib.percentile.TwoTailedPercentileCalibrator;
import dev.qcal.core.calib.wq.WqCalibrator;
import dev.qcal.core.calib.wq.WqLogCalibrator;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.quant.QuantSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleFunction;
import java.util.function.Supplier;

/**
 * The one place where method keys (command line, configuration, table) become calibrators.
 *
 * <p>Keys are {@code method} for a method's documented default and {@code method:variant} for a
 * named variant reproducing one tool. Methods with one numeric parameter (the percentile, the
 * coverage fraction) also take it in the key, {@code percentile@99.9} or {@code coverage@0.999}, so
 * one run can compare several values; the key, parameter included, names the result.
 */
public final class Calibrators {
  /** The parameter separator in a key such as {@code percentile@99.9}. */
  public static final char PARAMETER = '@';

  private static final Map<String, Supplier<Calibrator>> REGISTRY = new LinkedHashMap<>();
  private static final Map<String, DoubleFunction<Calibrator>> PARAMETERIZED =
      new LinkedHashMap<>();

  static {
    REGISTRY.put(MaxCalibrator.NAME, MaxCalibrator::new);
    REGISTRY.put(NvidiaEntropyCalibrator.NAME, NvidiaEntropyCalibrator::new);
    REGISTRY.put(TensorRtEntropyCalibrator.NAME, TensorRtEntropyCalibrator::new);
    REGISTRY.put(NcnnEntropyCalibrator.NAME, NcnnEntropyCalibrator::new);
    REGISTRY.put(PpqEntropyCalibrator.NAME, PpqEntropyCalibrator::new);
    REGISTRY.put(OrtEntropyCalibrator.NAME, OrtEntropyCalibrator::new);
    REGISTRY.put(MxnetEntropyCalibrator.NAME, MxnetEntropyCalibrator::new);
    REGISTRY.put(Mxnet15EntropyCalibrator.NAME, Mxnet15EntropyCalibrator::new);
    REGISTRY.put(TvmEntropyCalibrator.NAME, TvmEntropyCalibrator::new);
    parameterized(PercentileCalibrator.NAME, PercentileCalibrator::new, PercentileCalibrator::new);
    parameterized(
        NvPercentileCalibrator.NAME, NvPercentileCalibrator::new, NvPercentileCalibrator::new);
    parameterized(
        OrtPercentileCalibrator.SYMMETRIC_NAME,
        OrtPercentileCalibrator::symmetric,
        OrtPercentileCalibrator::symmetric);
    parameterized(
        OrtPercentileCalibrator.ASYMMETRIC_NAME,
        OrtPercentileCalibrator::asymmetric,
        OrtPercentileCalibrator::asymmetric);
    parameterized(
        TwoTailedPercentileCalibrator.NAME,
        TwoTailedPercentileCalibrator::new,
        TwoTailedPercentileCalibrator::new);
    parameterized(
        CoverageCalibrator.NAME,
        CoverageCalibrator::new,
        c ->
            new CoverageCalibrator(
                c, CoverageCalibrator.StopRule.AT_LEAST, CoverageCalibrator.TieBreak.LEFT));
    parameterized(
        CoverageCalibrator.LITERAL_NAME,
        () -> CoverageCalibrator.literal(CoverageCalibrator.DEFAULT_COVERAGE),
        CoverageCalibrator::literal);
    REGISTRY.put(NvMseCalibrator.NAME, NvMseCalibrator::new);
    REGISTRY.put(PpqMseCalibrator.SYMMETRIC_NAME, PpqMseCalibrator::symmetric);
    REGISTRY.put(PpqMseCalibrator.ASYMMETRIC_NAME, PpqMseCalibrator::asymmetric);
    REGISTRY.put(TorchHistogramCalibrator.NAME, TorchHistogramCalibrator::new);
    REGISTRY.put(SweepMseCalibrator.NAME, SweepMseCalibrator::new);
    REGISTRY.put(OctavCalibrator.NAME, OctavCalibrator::create);
    REGISTRY.put("octav:aiedge", OctavCalibrator::aiEdge);
    REGISTRY.put(WqCalibrator.NAME, WqCalibrator::create);
    REGISTRY.put(WqLogCalibrator.NAME, WqLogCalibrator::create);
    REGISTRY.put(BestMethod.NAME, BestMethod::new);
  }

  private static void parameterized(
      String name, Supplier<Calibrator> byDefault, DoubleFunction<Calibrator> withValue) {
    REGISTRY.put(name, byDefault);
    PARAMETERIZED.put(name, withValue);
  }

  private Calibrators() {}

  /** Every valid key without a parameter, in documentation order. */
  public static List<String> names() {
    return Collections.unmodifiableList(new ArrayList<>(REGISTRY.keySet()));
  }

  /** The keys that also take a parameter ({@code key@value}). */
  public static List<String> parameterizedNames() {
    return Collections.unmodifiableList(new ArrayList<>(PARAMETERIZED.keySet()));
  }

  /**
   * The calibrator of one key.
   *
   * @throws IllegalArgumentException naming the key and listing the valid ones if it is unknown, or
   *     naming the parameter and its valid range if that is wrong
   */
  public static Calibrator create(String key) {
    int at = key.indexOf(PARAMETER);
    if (at < 0) {
      Supplier<Calibrator> factory = REGISTRY.get(key);
      if (factory == null) {
        throw unknown(key);
      }
      return factory.get();
    }
    String base = key.substring(0, at);
    DoubleFunction<Calibrator> factory = PARAMETERIZED.get(base);
    if (factory == null) {
      throw REGISTRY.containsKey(base)
          ? new IllegalArgumentException(
              String.format(
                  "Calibration method '%s' takes no parameter (methods with one: %s)",
                  base, String.join(", ", parameterizedNames())))
          : unknown(base);
    }
    double value;
    try {
      value = Double.parseDouble(key.substring(at + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot read the parameter of '%s': '%s' is not a number",
              key, key.substring(at + 1)),
          e);
    }
    return new Named(key, factory.apply(value));
  }

  private static IllegalArgumentException unknown(String key) {
    return new IllegalArgumentException(
        String.format(
            "Unknown calibration method '%s' (valid: %s; these also take a parameter as"
                + " key@value: %s)",
            key, String.join(", ", names()), String.join(", ", parameterizedNames())));
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
        throw new IllegalArgumentException(
            "Calibration method '" + key + "' is given twice: list each method once");
      }
      out.add(create(key));
    }
    return out;
  }

  /** A parameterized calibrator whose results carry the full key, parameter included. */
  private static final class Named implements Calibrator {
    private final String key;
    private final Calibrator inner;

    Named(String key, Calibrator inner) {
      this.key = key;
      this.inner = inner;
    }

    @Override
    public String name() {
      return key;
    }

    @Override
    public Set<Domain> domains() {
      return inner.domains();
    }

    @Override
    public CalibrationResult calibrate(TensorStatistics stats, QuantSpec quant) {
      return inner.calibrate(stats, quant).withMethod(key);
    }

    @Override
    public CalibrationResult calibrateWithoutCurves(TensorStatistics stats, QuantSpec quant) {
      return inner.calibrateWithoutCurves(stats, quant).withMethod(key);
    }

    @Override
    public boolean acceptsFractionalCounts() {
      return inner.acceptsFractionalCounts();
    }

    @Override
    public boolean acceptsValues() {
      return inner.acceptsValues();
    }
  }
}
