package dev.qcal.onnx.testing;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * One ONNX Runtime session (CPU, one thread) kept open for many runs of a model with one FLOAT
 * input and a FLOAT first output, for the tests that run hundreds of inputs (creating a session
 * costs more than running the recognizer on a line).
 */
public final class OrtModel implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final String input;

  private OrtModel(OrtSession session) throws OrtException {
    this.session = session;
    this.input = session.getInputNames().iterator().next();
  }

  /** A session of {@code model}'s bytes at ONNX Runtime's graph optimization {@code level}. */
  public static OrtModel open(byte[] model, OptLevel level) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(level);
      return new OrtModel(env.createSession(model, options));
    }
  }

  /** The model's first output for {@code input} fed to its (only) input. */
  public FloatOutput run(FloatOutput input) throws OrtException {
    try (OnnxTensor tensor =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(input.values()), input.shape());
        OrtSession.Result result = session.run(Map.of(this.input, tensor))) {
      OnnxTensor out = (OnnxTensor) result.get(0);
      FloatBuffer buffer = out.getFloatBuffer();
      float[] values = new float[buffer.remaining()];
      buffer.get(values);
      return new FloatOutput(out.getInfo().getShape(), values);
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
