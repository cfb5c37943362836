package dev.qcal.jobs.capture;

import dev.qcal.core.io.InputFormatException;
import dev.qcal.jobs.JobException;
import dev.qcal.onnx.DeclaredShape;
import dev.qcal.onnx.ExposedModel;
import dev.qcal.onnx.ModelDigest;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.proto.ValueInfoProto;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The model of a capture, read once on the driver from any Hadoop file system path: parsed,
 * digested (the executors check their copy against the digest) and its inputs checked to be FLOAT
 * tensors, which is what {@code capture} feeds.
 */
final class CaptureModel {
  private final String path;
  private final OnnxModel model;
  private final String sha256;

  private CaptureModel(String path, OnnxModel model, String sha256) {
    this.path = path;
    this.model = model;
    this.sha256 = sha256;
  }

  /**
   * Reads the model at {@code path}.
   *
   * @throws JobException (input) naming the file when it is missing, unreadable, not an ONNX model
   *     or has an input that is not a FLOAT tensor
   */
  static CaptureModel read(String path, Configuration conf) {
    byte[] bytes;
    try {
      bytes = ModelFile.readAll(new Path(path), conf);
    } catch (FileNotFoundException e) {
      throw JobException.input("Model " + path + " does not exist: check --model", e);
    } catch (IOException e) {
      throw JobException.input("Cannot read model " + path + ": " + e.getMessage(), e);
    }
    OnnxModel model;
    try {
      model = OnnxModel.parse(bytes, path);
    } catch (InputFormatException e) {
      throw JobException.input(e.getMessage() + ": --model must be an ONNX model file (.onnx)", e);
    }
    for (DeclaredShape input : inputs(model)) {
      if (!input.isFloat()) {
        throw JobException.input(
            "Model "
                + path
                + ": input '"
                + input.name()
                + "' is "
                + input.elementTypeName()
                + "; capture feeds FLOAT inputs only");
      }
    }
    return new CaptureModel(path, model, ModelDigest.sha256(bytes));
  }

  private static List<DeclaredShape> inputs(OnnxModel model) {
    List<DeclaredShape> out = new ArrayList<>();
    for (ValueInfoProto input : model.inputs()) {
      out.add(DeclaredShape.of(input));
    }
    return out;
  }

  /** The path as given. */
  String path() {
    return path;
  }

  /** The parsed model. */
  OnnxModel model() {
    return model;
  }

  /** The file's SHA-256, lower-case hex. */
  String sha256() {
    return sha256;
  }

  /** The inputs the model is fed, as declared. */
  List<DeclaredShape> inputs() {
    return inputs(model);
  }

  /** The serialized model with {@code tensors} made graph outputs. */
  byte[] exposed(List<String> tensors) {
    return ExposedModel.withOutputs(model, tensors).toBytes();
  }
}
