/**
 * KL/entropy calibrators, one class per reference tool. On the |x| histogram ({@link
 * dev.qcal.core.histogram.Domain#ABSOLUTE}): {@code entropy} (NVIDIA pytorch-quantization / Model
 * Optimizer, the default), {@code entropy:trt} (the TensorRT GTC 2017 talk), {@code entropy:ncnn}
 * (ncnn2table) and {@code entropy:ppq} (PPQ's KL observer). On the signed histogram, with a window
 * around zero ({@link dev.qcal.core.histogram.Domain#SIGNED}): {@code entropy:ort} (ONNX Runtime),
 * {@code entropy:mxnet} (MXNet ≥ 1.6), {@code entropy:mxnet15} (MXNet ≤ 1.5) and {@code
 * entropy:tvm} (TVM relay). Each reproduces its tool on the same histogram, quirks included,
 * documents them in its Javadoc, and returns the divergence of every candidate as the {@code kl}
 * curve.
 */
package dev.qcal.core.calib.entropy;
