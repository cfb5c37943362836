/**
 * ONNX models in pure Java: {@link dev.qcal.onnx.OnnxModel} reads and writes a model file and looks
 * up its operator sets, initializers and value infos; {@link dev.qcal.onnx.FloatTensors} converts
 * FLOAT tensors to arrays and back.
 *
 * <p>The protobuf classes in {@code dev.qcal.onnx.proto} are generated at build time (protoc from
 * Maven Central) from {@code src/main/proto/onnx.proto}, qcal's own statement of the ONNX IR
 * messages with the specification's field numbers. No Spark here: the jobs module wires this to its
 * commands, and its shaded jar carries protobuf relocated so a cluster's copy never clashes.
 */
package dev.qcal.onnx;
