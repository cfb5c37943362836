/**
 * Raising an ONNX model's opset: {@link dev.qcal.onnx.opset.OpsetConverter} converts every node
 * whose operator changed its signature between the model's default-domain opset and the target, one
 * schema change at a time (a table of adapters keyed by operator and since version, from ONNX's
 * operator changelog), refuses what it cannot convert naming the node, and leaves every other node
 * byte for byte. Pure Java, like the rest of the onnx module.
 */
package dev.qcal.onnx.opset;
