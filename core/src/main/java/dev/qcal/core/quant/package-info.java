/**
 * Quantization arithmetic: integer grids, scales and zero points, rounding.
 *
 * <p>Rounding is always half to even ({@link java.lang.Math#rint}), as numpy, PyTorch, Python's
 * {@code round} and ONNX QuantizeLinear do; {@code Math.round} (half up) is never used.
 */
package dev.qcal.core.quant;
