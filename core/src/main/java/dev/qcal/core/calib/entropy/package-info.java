/**
 * KL/entropy calibrators that search the |x| histogram ({@link
 * dev.qcal.core.histogram.Domain#ABSOLUTE}), one class per reference tool: {@code entropy} (NVIDIA
 * pytorch-quantization / Model Optimizer, the default), {@code entropy:trt} (the TensorRT GTC 2017
 * talk), {@code entropy:ncnn} (ncnn2table) and {@code entropy:ppq} (PPQ's KL observer). Each
 * reproduces its tool on the same histogram, quirks included, documents them in its Javadoc, and
 * returns the divergence of every candidate as the {@code kl} curve.
 */
package dev.qcal.core.calib.entropy;
