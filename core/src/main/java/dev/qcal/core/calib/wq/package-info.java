/**
 * Weighted-entropy quantization (Park, Ahn, Yoo, "Weighted-Entropy-based Quantization for Deep
 * Neural Networks", CVPR 2017), after the authors' code {@code EunhyeokPark/caffe-WQ} @ 2aa588e:
 * non-uniform levels for weights ({@link dev.qcal.core.calib.wq.WqCalibrator}, {@link
 * dev.qcal.core.calib.wq.WeightedEntropyWeights}) and log-domain levels for activations ({@link
 * dev.qcal.core.calib.wq.WqLogCalibrator}, {@link dev.qcal.core.calib.wq.LogEntropySearch}).
 */
package dev.qcal.core.calib.wq;
