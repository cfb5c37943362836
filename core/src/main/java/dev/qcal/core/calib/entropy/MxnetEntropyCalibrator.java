package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.SharedSearches;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.calib.screen.TieRule;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;

/**
 * {@code entropy:mxnet}: MXNet ≥ 1.6's C++ operator {@code _contrib_calibrate_entropy} ({@code
 * apache/mxnet} @ b84609d, {@code src/operator/quantization/calibrate.cc}) on qcal's signed
 * histogram, quirks included: float32 counts (above 2^24 rounded, noted), {@code slice[0] = 0} for
 * Q, smoothing that returns empty (KL = +∞), the first minimum below {@code FLT_MAX}, as
 * docs/design/algorithms.md §4.2 and §4.4 describe. An even bin count gets windows {@code [−i·w,
 * (i+1)·w)} and a note. The scale is the quant spec's. Screened ({@link CppKlWindow}) as {@link
 * OrtEntropyCalibrator} is.
 */
public final class MxnetEntropyCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "entropy:mxnet";

  /** MXNet's {@code num_quantized_bins}. */
  public static final int DEFAULT_QUANTIZED_BINS = 255;

  private final MxnetQuantizedDtype dtype;
  private final int quantizedBins;

  /**
   * MXNet's defaults, 255 quantized bins, with {@code quantized_dtype} from the run's scheme
   * ({@link MxnetQuantizedDtype#SCHEME}): uint8 under {@code --scheme unsigned}, int8 otherwise.
   */
  public MxnetEntropyCalibrator() {
    this(MxnetQuantizedDtype.SCHEME, DEFAULT_QUANTIZED_BINS);
  }

  /** MXNet with {@code quantized_dtype = dtype} and {@code num_quantized_bins = nq}. */
  public MxnetEntropyCalibrator(MxnetQuantizedDtype dtype, int quantizedBins) {
    super(NAME, Domain.SIGNED);
    if (dtype == null) {
      throw new IllegalArgumentException("Cannot build " + NAME + ": quantized dtype is null");
    }
    this.dtype = dtype;
    this.quantizedBins = SignedWindowSearch.checkQuantizedBins(quantizedBins);
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    MxnetQuantizedDtype dtype = this.dtype.resolve(quant.scheme());
    double min = stats.range().min();
    int nq = dtype.quantizedBins(min, quantizedBins);
    SignedWindowSearch.Result s =
        cppSearch(histogram, nq, CppKlWindow.Counts.FLOAT32, TieRule.FIRST_BELOW_FLT_MAX);
    int n = histogram.binCount();
    double th = histogram.edge(s.end());
    ClipRange range = dtype.range(min, th);
    CalibrationResult.Builder b =
        cppResult(
            NAME,
            s,
            range,
            quant,
            n,
            "counts above 2^24 were rounded to float32, as MXNet passes them");
    if (s.count() == 0) {
      b.note(SignedWindowSearch.noCandidate(n, nq, "MXNet fails", "the whole histogram"));
    }
    return b.build();
  }

  /**
   * The C++ search ({@link CppKlWindow}) of {@code h}, shared with TVM, screened when the closed
   * form applies. Counts in [0, 2^24] are the same in MXNet's float32 and TVM's int32, and there
   * the two minimum rules pick the same (the values are never NaN), so within one {@link
   * dev.qcal.core.calib.TensorCalibrator} call entropy:mxnet and entropy:tvm share one search.
   */
  static SignedWindowSearch.Result cppSearch(
      Histogram h, int nq, CppKlWindow.Counts counts, TieRule rule) {
    if (countsFitBoth(h)) {
      return SharedSearches.computeIfAbsent(
          new SharedKey(h, nq), () -> new CppKlWindow(h, nq, counts, rule).run(h));
    }
    return new CppKlWindow(h, nq, counts, rule).run(h);
  }

  /** The key of a search whose counts both tools hold exactly (see {@link #cppSearch}). */
  private record SharedKey(Histogram histogram, int nq) {}

  /**
   * Whether every count is in [0, 2^24]: then both {@link CppKlWindow.Counts} conversions keep it.
   */
  private static boolean countsFitBoth(Histogram h) {
    for (int j = 0, n = h.binCount(); j < n; j++) {
      long c = h.count(j);
      if (c < 0 || c > CppKlWindow.EXACT_FLOAT_INTEGERS) {
        return false;
      }
    }
    return true;
  }

  /**
   * The result for the tool's threshold: curve, objective and the notes of the quirks hit. {@code
   * countsNote} names what the tool did to counts it cannot hold.
   */
  static CalibrationResult.Builder cppResult(
      String method,
      SignedWindowSearch.Result s,
      ClipRange range,
      QuantSpec quant,
      int binCount,
      String countsNote) {
    CalibrationResult.Builder b = s.builder(method, range, quant);
    if (binCount % 2 == 0) {
      b.note(String.format(SignedWindowSearch.EVEN_BINS_NOTE, "the tool reads past the edges for"));
    }
    if (s.countsAltered()) {
      b.note(countsNote);
    }
    if (s.objective() == Double.POSITIVE_INFINITY) {
      b.note(
          "every candidate has KL = +Inf (all-zero Q): the first candidate was chosen, as the tool"
              + " does");
    }
    return b;
  }
}
