package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.quant.Scheme;

/**
 * MXNet's {@code quantized_dtype} as its KL calibration reads it ({@code
 * python/mxnet/contrib/quantization.py}; docs/design/algorithms.md §4.1).
 */
public enum MxnetQuantizedDtype {
  /** {@code int8} (MXNet's default): always {@code nq} bins and (−th, th). */
  INT8,
  /** {@code uint8}: 2·nq + 1 bins and (0, th) for a non-negative tensor. */
  UINT8,
  /** {@code auto}: as uint8 for a non-negative tensor, as int8 otherwise. */
  AUTO,
  /**
   * From the run's scheme ({@link #resolve}): {@code uint8} under {@link Scheme#UNSIGNED}, the grid
   * MXNet's uint8 quantization uses ((0, th) with no zero point), {@code int8} otherwise. The
   * method keys {@code entropy:mxnet} and {@code entropy:mxnet15} use it.
   */
  SCHEME;

  /** The dtype a search under {@code scheme} uses: {@link #SCHEME} resolved, any other as it is. */
  public MxnetQuantizedDtype resolve(Scheme scheme) {
    if (this != SCHEME) {
      return this;
    }
    return scheme == Scheme.UNSIGNED ? UINT8 : INT8;
  }

  private boolean unsignedFor(double dataMin) {
    if (this == SCHEME) {
      throw new IllegalStateException("resolve the scheme's dtype first");
    }
    return this != INT8 && dataMin >= 0;
  }

  /** The number of quantized bins the search uses for a tensor whose minimum is {@code dataMin}. */
  int quantizedBins(double dataMin, int nq) {
    return unsignedFor(dataMin) ? 2 * nq + 1 : nq;
  }

  /** The layer range for threshold {@code th}. */
  ClipRange range(double dataMin, double th) {
    return unsignedFor(dataMin) ? new ClipRange(0, th) : ClipRange.symmetric(th);
  }
}
