package dev.qcal.core.calib.eval;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.Calibrator;
import dev.qcal.core.calib.Calibrators;
import dev.qcal.core.calib.SearchPoint;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.calib.wq.WqCalibrator;
import dev.qcal.core.calib.wq.WqLogCalibrator;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.Scheme;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code best} method: per tensor, the candidate method whose choice has the smallest measured
 * quantization error ({@link QuantNoise}: quantize-dequantize of the full histogram at the run's
 * bits and scheme, clipping included), so one table can take entropy's range on one tensor and
 * mse's on the next.
 *
 * <p><b>Candidates.</b> Within a run ({@link dev.qcal.core.calib.TensorCalibrator}) the other
 * methods of the run, in their order; alone ({@code --methods best}) the default set {@value
 * #DEFAULT_CANDIDATES_TEXT}, qcal's default methods. Methods with non-uniform levels ({@code wq},
 * {@code wq:log}) are never candidates: their scale is informative only, so the uniform grid's
 * error does not describe them.
 *
 * <p><b>Choice, deterministic.</b> The smallest MSE wins (for one tensor every candidate is
 * measured on the same histogram, so this is the largest SQNR); on equal MSE the earlier candidate
 * in the run's order wins; a candidate whose error cannot be measured (no histogram, an FP8 grid)
 * never wins, unless no candidate can be measured, when the first one is taken with a note.
 *
 * <p><b>Result.</b> The winner's result (range, scale, zero point, objective, curves, details,
 * notes) filed under {@code best}, with {@code details.chosen} (the winner's key), {@code
 * details."mse.<key>"} and {@code details."sqnr_db.<key>"} for every candidate (null in JSON when
 * not finite), and a note naming the winner and every candidate's SQNR. As the primary method it
 * goes to every format.
 */
public final class BestMethod implements Calibrator {
  /** The method key. */
  public static final String NAME = "best";

  /** The candidates when {@code best} runs alone, in order. */
  public static final List<String> DEFAULT_CANDIDATES =
      List.of("entropy", "percentile", "mse", "max");

  private static final Set<String> NON_UNIFORM = Set.of(WqCalibrator.NAME, WqLogCalibrator.NAME);

  private List<Calibrator> defaults;

  /** The method with its default candidates. */
  public BestMethod() {}

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The default candidates' histograms and |x|, the measure's histogram for the default symmetric
   * scheme ({@link dev.qcal.core.calib.TensorCalibrator#domains} adds the one of the run's scheme).
   */
  @Override
  public Set<Domain> domains() {
    Set<Domain> out = EnumSet.of(QuantNoise.domainFor(Scheme.SYMMETRIC));
    for (Calibrator c : defaults()) {
      out.addAll(c.domains());
    }
    return out;
  }

  private List<Calibrator> defaults() {
    if (defaults == null) {
      defaults = Calibrators.create(DEFAULT_CANDIDATES);
    }
    return defaults;
  }

  /**
   * True when {@code key} may be a candidate (every method but best and those with non-uniform
   * levels).
   */
  public static boolean isCandidate(String key) {
    return !NAME.equals(key) && hasUniformGrid(key);
  }

  /**
   * False for the methods with non-uniform levels ({@code wq}, {@code wq:log}), whose scale is
   * informative only, so that the measured error of a uniform grid does not describe them.
   */
  public static boolean hasUniformGrid(String key) {
    return !NON_UNIFORM.contains(key);
  }

  /** The choice among the default candidates, each run on {@code stats}. */
  @Override
  public CalibrationResult calibrate(TensorStatistics stats, QuantSpec quant) {
    return chooseAmongDefaults(stats, quant, true);
  }

  @Override
  public CalibrationResult calibrateWithoutCurves(TensorStatistics stats, QuantSpec quant) {
    return chooseAmongDefaults(stats, quant, false);
  }

  private CalibrationResult chooseAmongDefaults(
      TensorStatistics stats, QuantSpec quant, boolean curves) {
    Map<String, CalibrationResult> results = new LinkedHashMap<>();
    Map<String, QuantNoise> errors = new LinkedHashMap<>();
    TensorNoise noise = new TensorNoise(stats);
    for (Calibrator c : defaults()) {
      CalibrationResult r =
          curves ? c.calibrate(stats, quant) : c.calibrateWithoutCurves(stats, quant);
      results.put(c.name(), r);
      errors.put(c.name(), noise.of(r));
    }
    return choose(results, errors);
  }

  /**
   * The choice among {@code results} (candidates in order; those that may not be candidates are
   * skipped), given each one's measured error.
   *
   * @throws IllegalArgumentException if no result may be a candidate
   */
  public static CalibrationResult choose(
      Map<String, CalibrationResult> results, Map<String, QuantNoise> errors) {
    List<String> keys = new ArrayList<>();
    for (String key : results.keySet()) {
      if (isCandidate(key)) {
        keys.add(key);
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot choose the best method: no candidate among "
              + results.keySet()
              + " (wq and wq:log have non-uniform levels and are never candidates)");
    }
    String winner = null;
    double least = Double.NaN;
    for (String key : keys) {
      double mse = errors.getOrDefault(key, QuantNoise.UNKNOWN).mse();
      if (!Double.isNaN(mse) && (winner == null || mse < least)) {
        winner = key;
        least = mse;
      }
    }
    boolean measured = winner != null;
    if (!measured) {
      winner = keys.get(0);
    }
    CalibrationResult w = results.get(winner);
    CalibrationResult.Builder b =
        CalibrationResult.builder(NAME, w.range(), w.quant())
            .params(w.params())
            .objective(w.objective());
    for (Map.Entry<String, List<SearchPoint>> c : w.curves().entrySet()) {
      b.curve(c.getKey(), c.getValue());
    }
    w.details().forEach(b::detail);
    b.detail("chosen", winner);
    StringBuilder scores = new StringBuilder();
    for (String key : keys) {
      QuantNoise e = errors.getOrDefault(key, QuantNoise.UNKNOWN);
      b.detail("mse." + key, e.mse());
      b.detail("sqnr_db." + key, e.sqnrDb());
      scores.append(scores.length() == 0 ? "" : ", ").append(key).append(' ').append(e.sqnrText());
    }
    w.notes().forEach(b::note);
    b.note(
        measured
            ? "best of " + keys.size() + " by measured SQNR (" + scores + "): " + winner
            : "no candidate's error could be measured (no histogram, or an FP8 grid): took the"
                + " first, "
                + winner);
    return b.build();
  }
}
