package dev.qcal.core.drift;

import java.util.Locale;

/** How one method's change against the baseline was measured, or why it could not be. */
public enum Measure {
  /** Symmetric schemes: |s − s0| / s0 of the scale. */
  SCALE,
  /**
   * Affine schemes: |min − min0| and |max − max0|, each relative to the baseline's range width max0
   * − min0; the change is the larger.
   */
  RANGE,
  /**
   * The tensor gained or lost a degenerate flag (e.g. it went all-zero) and its range changed: no
   * ratio describes that, so the change is unbounded and always exceeds a limit.
   */
  DEGENERATE_CHANGED,
  /** The baseline's range has no width and the current one differs: unbounded, always exceeds. */
  ZERO_BASELINE,
  /** Not compared (e.g. per-channel ranges): no change, never exceeds. */
  NOT_COMPARED;

  /** The lower-case key written in {@code drift.json}, e.g. {@code degenerate_changed}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
