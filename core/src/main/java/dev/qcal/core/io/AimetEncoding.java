package dev.qcal.core.io;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.quant.Scheme;
import dev.qcal.core.table.ChannelResult;
import java.util.ArrayList;
import java.util.List;

/**
 * One tensor's AIMET / QNN encoding: bit width, symmetry, and per channel (one entry for a
 * per-tensor encoding) the grid {@code real = (q + offset)·scale}, {@code q} in [0, 2^B − 1], with
 * its ends {@code min = offset·scale} and {@code max}. QNN's {@code Qnn_ScaleOffset_t} convention,
 * so {@code offset = −zero_point} of the unsigned ONNX grid (docs/design/formats.md §5.1).
 * Immutable.
 *
 * <p>Computed from a result's clip range exactly as AIMET's Python {@code recompute_grid_params}
 * ({@code aimet_common/quantsim.py}, the last step of {@code create_encoding_from_min_max}), in
 * double: widen to contain 0 and to at least {@code MIN_RANGE} = 0.01 ({@code max ≥ min + 0.01});
 * then
 *
 * <ul>
 *   <li>symmetric: {@code scale = amax/(2^(B−1) − 1)}, {@code offset = −2^(B−1)}, {@code min =
 *       scale·offset}, {@code max = scale·(2^(B−1) − 1)} (AIMET's default, not strict, so the grid
 *       has −2^(B−1) too; the scale is TensorRT's amax/127);
 *   <li>asymmetric: {@code scale = (max − min)/(2^B − 1)}, {@code offset = round(min/scale)} half
 *       to even (Python {@code round}; AIMET's C++ core rounds half away from zero and differs on
 *       exact ties, formats.json {@code aimet_qnn_encodings}), {@code min = scale·offset}, {@code
 *       max = min + scale·(2^B − 1)}.
 * </ul>
 *
 * <p>qcal's {@code symmetric} scheme maps to symmetric; {@code affine} and {@code affine_signed} to
 * asymmetric on the result's range; {@code unsigned} (NVIDIA's [0, 2^B − 1] grid with zero point 0)
 * to asymmetric on [0, amax], which gives its scale amax/(2^B − 1) and offset 0. FP8 has no integer
 * encoding here.
 */
public final class AimetEncoding {
  private static final double MIN_RANGE = 0.01;

  private final int bitwidth;
  private final boolean symmetric;
  private final List<Channel> channels;
  private final boolean perChannel;

  /**
   * One channel's grid (the only one of a per-tensor encoding).
   *
   * @param min the grid's lowest value, {@code offset·scale}
   * @param max the grid's highest value
   * @param scale the step
   * @param offset the grid offset, ≤ 0 ({@code −zero_point})
   */
  public record Channel(double min, double max, double scale, long offset) {}

  private AimetEncoding(int bitwidth, boolean symmetric, List<Channel> channels) {
    this(bitwidth, symmetric, channels, channels.size() > 1);
  }

  private AimetEncoding(
      int bitwidth, boolean symmetric, List<Channel> channels, boolean perChannel) {
    this.bitwidth = bitwidth;
    this.symmetric = symmetric;
    this.channels = List.copyOf(channels);
    this.perChannel = perChannel;
  }

  /**
   * The per-channel encoding of per-channel results, one grid per channel computed as {@link
   * #of(CalibrationResult)} computes a tensor's (a one-channel tensor is still per channel).
   *
   * @throws IllegalArgumentException if the results' scheme is FP8
   */
  public static AimetEncoding of(ChannelResult result) {
    Scheme scheme = result.quant().scheme();
    int bits = result.quant().bits();
    List<Channel> channels = new ArrayList<>(result.count());
    for (int c = 0; c < result.count(); c++) {
      channels.add(channel(scheme, result.range(c), bits));
    }
    return new AimetEncoding(bits, scheme == Scheme.SYMMETRIC, channels, true);
  }

  private static Channel channel(Scheme scheme, ClipRange range, int bits) {
    switch (scheme) {
      case SYMMETRIC:
        return symmetric(range.min(), range.max(), bits);
      case AFFINE:
      case AFFINE_SIGNED:
        return asymmetric(range.min(), range.max(), bits);
      case UNSIGNED:
        return asymmetric(0.0, range.amax(), bits);
      default:
        throw new IllegalArgumentException(
            "Cannot build an AIMET encoding for a "
                + scheme.key()
                + " result: AIMET encodes integer grids only");
    }
  }

  /**
   * The per-tensor encoding of a result under its own quantizer.
   *
   * @throws IllegalArgumentException if the result's scheme is FP8
   */
  public static AimetEncoding of(CalibrationResult result) {
    Scheme scheme = result.quant().scheme();
    int bits = result.quant().bits();
    ClipRange range = result.range();
    switch (scheme) {
      case SYMMETRIC:
        return new AimetEncoding(bits, true, List.of(symmetric(range.min(), range.max(), bits)));
      case AFFINE:
      case AFFINE_SIGNED:
        return new AimetEncoding(bits, false, List.of(asymmetric(range.min(), range.max(), bits)));
      case UNSIGNED:
        return new AimetEncoding(bits, false, List.of(asymmetric(0.0, range.amax(), bits)));
      default:
        throw new IllegalArgumentException(
            "Cannot build an AIMET encoding for a "
                + scheme.key()
                + " result: AIMET encodes integer grids only");
    }
  }

  /** AIMET's symmetric grid of [min, max] (see the class comment). */
  static Channel symmetric(double min, double max, int bits) {
    double lo = Math.min(0.0, min);
    double hi = Math.max(Math.max(0.0, max), lo + MIN_RANGE);
    long positive = (1L << (bits - 1)) - 1;
    double amax = Math.max(Math.abs(hi), Math.abs(lo));
    double scale = amax / positive;
    long offset = -(positive + 1);
    return new Channel(scale * offset, scale * positive, scale, offset);
  }

  /** AIMET's asymmetric grid of [min, max] (see the class comment). */
  static Channel asymmetric(double min, double max, int bits) {
    double lo = Math.min(0.0, min);
    double hi = Math.max(Math.max(0.0, max), lo + MIN_RANGE);
    long steps = (1L << bits) - 1;
    double scale = (hi - lo) / steps;
    long offset = (long) Math.rint(lo / scale);
    double gridMin = scale * offset;
    return new Channel(gridMin, gridMin + scale * steps, scale, offset);
  }

  /** The bit width. */
  public int bitwidth() {
    return bitwidth;
  }

  /** Whether the encoding is symmetric (offset −2^(B−1)). */
  public boolean isSymmetric() {
    return symmetric;
  }

  /** The channels' grids; one for a per-tensor encoding. */
  public List<Channel> channels() {
    return channels;
  }

  /** True for a per-channel encoding (of per-channel results, or of more than one channel). */
  public boolean isPerChannel() {
    return perChannel;
  }
}
