/**
 * Q/DQ models from calibration tables: {@link dev.qcal.onnx.qdq.QdqWriter} puts QuantizeLinear and
 * DequantizeLinear nodes on the inputs of the quantized ops of a float model (placement in {@code
 * QdqPlacement}, activation scales from a table through {@link dev.qcal.onnx.qdq.ActivationScales},
 * weights quantized from their own values), and {@link dev.qcal.onnx.qdq.QdqPatcher} gives a model
 * that already has Q/DQ nodes a table's scales. Pure logic over the protobuf model: no Spark, no
 * ONNX Runtime (the tests run the results with it).
 */
package dev.qcal.onnx.qdq;
