/**
 * Fixed-range, mergeable histograms: pass 2 of the calibration job in the range layout; in the grid
 * layout (the default) built in the same single scan as the range statistics by {@link
 * dev.qcal.core.histogram.GrowingGridAccumulator}, whose layouts grow with the data by exact
 * coarsening.
 *
 * <h2>Bin convention</h2>
 *
 * A histogram of {@code n} bins over {@code [lo, hi]} has the edges {@code e[j] = lo + j·(hi −
 * lo)/n}. Bin {@code j} holds the values in {@code [e[j], e[j+1])}; the last bin is closed, so
 * {@code hi} itself falls in bin {@code n − 1}. A value's bin is {@code min(n − 1, ⌊(x − lo)·(n /
 * (hi − lo))⌋)} computed in double arithmetic, which agrees with the edges up to one double ulp.
 *
 * <h2>Domains</h2>
 *
 * <ul>
 *   <li>{@link dev.qcal.core.histogram.Domain#ABSOLUTE}: bins over |x| in {@code [0, hi]} (NVIDIA
 *       pytorch-quantization, TensorRT, ncnn, PPQ).
 *   <li>{@link dev.qcal.core.histogram.Domain#SIGNED}: bins over x in {@code [lo, hi]} (ONNX
 *       Runtime, MXNet, TVM, the PyTorch HistogramObserver, two-pointer coverage).
 *   <li>{@link dev.qcal.core.histogram.Domain#LOG2}: bins over log2(x) of positive x, 16 per octave
 *       (Park et al., CVPR 2017, log-domain activations); {@code lo} and {@code hi} are whole
 *       octaves and the edges are {@code 2^(lo + j/16)}.
 * </ul>
 *
 * <h2>What falls outside</h2>
 *
 * Nothing is dropped silently: values below {@code lo} (for LOG2: non-positive values and positive
 * values under {@code 2^lo}) are counted in {@code below}, values above {@code hi} (±Inf included)
 * in {@code above}, and NaN in {@code nan}.
 */
package dev.qcal.core.histogram;
