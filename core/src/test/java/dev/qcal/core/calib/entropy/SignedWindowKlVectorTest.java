package dev.qcal.core.calib.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.testing.ReferenceVector;
import org.junit.jupiter.api.Test;

/**
 * The reference vectors of the signed-window KL family, each on the histogram the tool built (see
 * {@link SignedEdges} for its edges), within the vector's rtol (1e-6) on the chosen bin's edge: no
 * ±1-bin tolerance is needed.
 */
class SignedWindowKlVectorTest {
  private static final QuantSpec INT8 = QuantSpec.symmetric(8);

  @Test
  void ortGaussianGrownFrom128Bins() {
    ReferenceVector v = ReferenceVector.load("ort_entropy_gaussian_bins128.json");
    CalibrationResult r =
        new OrtEntropyCalibrator(v.param("num_quantized_bins").asInt())
            .calibrate(SignedEdges.statistics(v), QuantSpec.affine(8));
    v.assertClose("min", v.expected("min"), r.range().min());
    v.assertClose("max", v.expected("max"), r.range().max());
  }

  @Test
  void ortReluGaussianGrownFrom2048Bins() {
    ReferenceVector v = ReferenceVector.load("ort_entropy_relu_gaussian_bins2048.json");
    CalibrationResult r =
        new OrtEntropyCalibrator(v.param("num_quantized_bins").asInt())
            .calibrate(SignedEdges.statistics(v), QuantSpec.affine(8));
    // A ReLU output: the window's left edge is below the data, so lo is the data min, 0.
    assertEquals(v.expected("min"), r.range().min());
    v.assertClose("max", v.expected("max"), r.range().max());
  }

  @Test
  void mxnet15GaussianInt8() {
    ReferenceVector v = ReferenceVector.load("mxnet_py_kl_gaussian_int8.json");
    CalibrationResult r =
        new Mxnet15EntropyCalibrator(
                MxnetQuantizedDtype.valueOf(
                    v.param("quantized_dtype").asText().toUpperCase(java.util.Locale.ROOT)),
                Mxnet15EntropyCalibrator.DEFAULT_QUANTIZED_BINS)
            .calibrate(SignedEdges.statistics(v), INT8);
    v.assertClose("threshold", v.expected("threshold"), r.range().max());
    assertEquals(-r.range().max(), r.range().min());
    assertTrue(r.notes().isEmpty(), r.notes().toString());
  }

  @Test
  void mxnetCppGaussianGrownOver4Batches() {
    ReferenceVector v = ReferenceVector.load("mxnet_cc_kl_gaussian.json");
    CalibrationResult r = new MxnetEntropyCalibrator().calibrate(SignedEdges.statistics(v), INT8);
    v.assertClose("threshold", v.expected("threshold"), r.range().max());
    assertEquals(-r.range().max(), r.range().min());
    assertTrue(r.notes().isEmpty(), r.notes().toString());
  }

  @Test
  void tvmLaplace() {
    ReferenceVector v = ReferenceVector.load("tvm_kl_laplace.json");
    CalibrationResult r = new TvmEntropyCalibrator().calibrate(SignedEdges.statistics(v), INT8);
    v.assertClose("threshold", v.expected("threshold"), r.range().max());
    assertEquals(-r.range().max(), r.range().min());
    // TVM's scale is th/128, clip ±127 (not the quant spec's th/127).
    assertEquals((float) (v.expected("threshold") / 128), r.params().scale());
    assertEquals(127, r.params().qmax());
    assertEquals(-127, r.params().qmin());
  }

  @Test
  void vectorEdgesAreTheToolsFloat32Linspace() {
    // The helper's edges equal the vector's expected thresholds exactly at the chosen bins.
    ReferenceVector v = ReferenceVector.load("tvm_kl_laplace.json");
    double[] e = SignedEdges.edges(v);
    assertEquals((float) v.expected("threshold"), (float) e[6673]);
  }
}
