package dev.qcal.core.channel;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.Calibrator;
import dev.qcal.core.calib.Calibrators;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.table.ChannelCalibration;
import dev.qcal.core.table.ChannelResult;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the per-channel methods of a run on every channel of one tensor: each channel is calibrated
 * exactly as a tensor with that channel's statistics and histograms would be (same calibrators,
 * same degenerate-tensor fallbacks, each noted), and the results become arrays ({@link
 * ChannelResult}).
 *
 * <p>Methods that run per channel: {@code max}, the percentile family ({@code percentile}, {@code
 * percentile:nv}, {@code percentile:ort}, {@code percentile:ort-affine}, {@code percentile:affine},
 * any {@code @p}), {@code mse}, {@code mse:ppq}, {@code mse:ppq-affine}, {@code mse:sweep}, {@code
 * octav} and {@code octav:aiedge}. The others (the KL/entropy family, coverage, {@code mse:torch},
 * {@code wq}) are searches designed for a tensor's full 2048-bin (or larger) histogram; they run
 * per tensor only, and a per-channel tensor keeps their per-tensor result.
 */
public final class ChannelCalibrator implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final Set<String> PER_CHANNEL =
      Set.of(
          "max",
          "percentile",
          "percentile:nv",
          "percentile:ort",
          "percentile:ort-affine",
          "percentile:affine",
          "mse",
          "mse:ppq",
          "mse:ppq-affine",
          "mse:sweep",
          "octav",
          "octav:aiedge");

  private final List<String> methods;
  private final QuantSpec quant;
  private transient List<Calibrator> calibrators;

  /**
   * A runner of the per-channel methods among {@code methods} (in their order) under {@code quant}.
   *
   * @throws IllegalArgumentException on an unknown key (see {@link Calibrators})
   */
  public ChannelCalibrator(List<String> methods, QuantSpec quant) {
    List<String> kept = new ArrayList<>();
    for (String m : methods) {
      if (runsPerChannel(m)) {
        kept.add(m);
      }
    }
    this.methods = List.copyOf(kept);
    this.quant = quant;
    this.calibrators = Calibrators.create(this.methods);
  }

  /** True when method {@code key} runs per channel (see the class comment). */
  public static boolean runsPerChannel(String key) {
    int at = key.indexOf(Calibrators.PARAMETER);
    return PER_CHANNEL.contains(at < 0 ? key : key.substring(0, at));
  }

  /** The method keys that run per channel, in requested order (may be empty). */
  public List<String> methods() {
    return methods;
  }

  private List<Calibrator> calibrators() {
    if (calibrators == null) {
      calibrators = Calibrators.create(methods);
    }
    return calibrators;
  }

  /** The histograms the per-channel methods read (empty when only max runs per channel). */
  public Set<Domain> domains() {
    Set<Domain> domains = EnumSet.noneOf(Domain.class);
    for (Calibrator c : calibrators()) {
      domains.addAll(c.domains());
    }
    return domains;
  }

  /**
   * The per-channel results of tensor {@code name} from its per-channel {@code states}.
   *
   * @throws IllegalStateException naming the tensor, channel and method if a calibrator fails (a
   *     bug: the calibrator contract forbids it)
   */
  public ChannelCalibration calibrate(String name, ChannelStates states) {
    ChannelRanges ranges = states.ranges();
    int n = ranges.count();
    List<Calibrator> all = calibrators();
    List<List<CalibrationResult>> perMethod = new ArrayList<>();
    for (int m = 0; m < all.size(); m++) {
      perMethod.add(new ArrayList<>(n));
    }
    for (int c = 0; c < n; c++) {
      TensorStatistics stats = TensorStatistics.of(ranges.channel(c), states.histograms(c));
      for (int m = 0; m < all.size(); m++) {
        Calibrator k = all.get(m);
        try {
          // A channel's result keeps no curve, so no search values every candidate.
          perMethod.get(m).add(k.calibrateWithoutCurves(stats, quant));
        } catch (RuntimeException e) {
          throw new IllegalStateException(
              String.format(
                  "Calibration of channel %d of tensor '%s' with method %s failed: %s",
                  c, name, k.name(), e.getMessage()),
              e);
        }
      }
    }
    Map<String, ChannelResult> results = new LinkedHashMap<>();
    for (int m = 0; m < all.size(); m++) {
      results.put(methods.get(m), ChannelResult.of(methods.get(m), perMethod.get(m)));
    }
    return new ChannelCalibration(ranges.axis(), ranges.channels(), results);
  }
}
