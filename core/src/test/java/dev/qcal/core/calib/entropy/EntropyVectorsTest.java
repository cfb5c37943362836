package dev.qcal.core.calib.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.testing.ReferenceVector;
import org.junit.jupiter.api.Test;

/** The reference vectors of the |x| entropy methods (expected values from the tools' own code). */
class EntropyVectorsTest {

  private static CalibrationResult run(
      dev.qcal.core.calib.Calibrator calibrator, ReferenceVector v, int bits) {
    return calibrator.calibrate(v.statistics(Domain.ABSOLUTE), QuantSpec.symmetric(bits));
  }

  @Test
  void nvidiaGaussian() {
    // numpy-path histogram with explicit edges (it starts at min|x|, not 0; 5322 bins after
    // growth).
    ReferenceVector v = ReferenceVector.load("nv_entropy_gaussian_8bit.json");
    CalibrationResult r = run(new NvidiaEntropyCalibrator(), v, v.param("num_bits").asInt());
    v.assertClose("amax", v.expected("amax"), r.amax());
  }

  @Test
  void nvidiaReluGaussian() {
    // A ReLU spike in bin 0 (99710 counts) that h[0] := h[1] replaces.
    ReferenceVector v = ReferenceVector.load("nv_entropy_relu_gaussian_8bit.json");
    CalibrationResult r = run(new NvidiaEntropyCalibrator(), v, v.param("num_bits").asInt());
    v.assertClose("amax", v.expected("amax"), r.amax());
  }

  @Test
  void ncnnGaussian() {
    // 2048 bins over [0, absmax] as float32 linspace edges; the last edge is params.absmax.
    ReferenceVector v = ReferenceVector.load("ncnn_kl_gaussian.json");
    CalibrationResult r = run(new NcnnEntropyCalibrator(), v, 8);
    assertEquals((float) v.param("absmax").asDouble(), (float) v.max());
    assertEquals((int) v.expected("index"), ((Number) r.details().get("bin")).intValue());
    v.assertClose("threshold", v.expected("threshold"), r.amax());
  }

  @Test
  void ppqGaussian() {
    // 4096 bins over [0, range] in float64 (dtype float64): hist_scale = range/4096.
    ReferenceVector v = ReferenceVector.load("ppq_kl_gaussian.json");
    CalibrationResult r = run(new PpqEntropyCalibrator(), v, v.param("num_bits").asInt());
    double w = v.max() / 4096;
    v.assertClose("hist_scale", v.param("hist_scale").asDouble(), w);
    v.assertClose("scale", v.expected("scale"), r.params().scale());
  }
}
