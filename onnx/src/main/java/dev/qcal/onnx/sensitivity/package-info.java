/**
 * Layer-wise quantization sensitivity: what quantizing each node alone costs a model's output
 * ({@link dev.qcal.onnx.sensitivity.SensitivityReport}), its {@code sensitivity.json} and CSV
 * ({@link dev.qcal.onnx.sensitivity.SensitivityJson}), and the nodes a report says to keep float.
 * The one-node models are {@link dev.qcal.onnx.qdq.SingleNodeModels}; {@code qcal sensitivity} runs
 * them.
 */
package dev.qcal.onnx.sensitivity;
