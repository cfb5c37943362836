package dev.qcal.core.calib.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.testing.ReferenceVector;
import org.junit.jupiter.api.Test;

/** The MXNet ≥ 1.6 and TVM reference vectors. */
class CxxKlVectorTest {

  @Test
  void mxnetCppGaussian() {
    ReferenceVector v = ReferenceVector.load("mxnet_cc_kl_gaussian.json");
    CalibrationResult r =
        new MxnetEntropyCalibrator()
            .calibrate(SignedEdges.statistics(v), QuantSpec.symmetric(8));
    v.assertClose("threshold", v.expected("threshold"), r.range().max());
    assertEquals(-r.range().max(), r.range().min());
  }

  @Test
  void tvmLaplace() {
    ReferenceVector v = ReferenceVector.load("tvm_kl_laplace.json");
    CalibrationResult r =
        new TvmEntropyCalibrator().calibrate(SignedEdges.statistics(v), QuantSpec.symmetric(8));
    v.assertClose("threshold", v.expected("threshold"), r.range().max());
    assertEquals((float) (v.expected("threshold") / 128), r.params().scale());
  }
}
