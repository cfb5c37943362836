package dev.qcal.onnx.opset;

import java.util.Arrays;

/**
 * ONNX's shape arithmetic on what is known of values ({@link TensorFacts}): the output shape of
 * broadcasting, MatMul, Transpose, Gather, Squeeze, Unsqueeze and Slice from the operands' shapes
 * and the node's axes, permutation or bounds, a dim unknown where the dims it comes from are. It
 * sees no node and no graph: {@link FactInference} reads those (attributes, constant inputs) and
 * calls these.
 */
final class ShapeArithmetic {
  private ShapeArithmetic() {}

  /** {@code axis} (negative: from the end) clamped into [0, rank], as Shape's start and end are. */
  static long clampAxis(long axis, int rank) {
    long a = axis < 0 ? axis + rank : axis;
    return Math.max(0, Math.min(rank, a));
  }

  /** The shape two shapes broadcast to (numpy's rule), unknown where a dim is. */
  static long[] broadcast(long[] a, long[] b) {
    long[] merged = new long[Math.max(a.length, b.length)];
    for (int k = 1; k <= merged.length; k++) {
      long x = k <= a.length ? a[a.length - k] : 1;
      long y = k <= b.length ? b[b.length - k] : 1;
      merged[merged.length - k] = x == 1 ? y : y == 1 ? x : x == y ? x : TensorFacts.UNKNOWN_DIM;
    }
    return merged;
  }

  /** MatMul's output, numpy's matmul: batch dims broadcast, 1-D operands promoted and dropped. */
  static TensorFacts matMul(TensorFacts a, TensorFacts b) {
    long[] da = a.dims();
    long[] db = b.dims();
    if (da == null || db == null) {
      return TensorFacts.of(a.elemType(), null);
    }
    // numpy's matmul: a 1-D operand gains a dim of 1 (before for a, after for b), dropped after.
    long[] ma = da.length == 1 ? new long[] {1, da[0]} : da;
    long[] mb = db.length == 1 ? new long[] {db[0], 1} : db;
    long[] batch = broadcast(Arrays.copyOf(ma, ma.length - 2), Arrays.copyOf(mb, mb.length - 2));
    long[] out = Arrays.copyOf(batch, batch.length + 2);
    out[batch.length] = ma[ma.length - 2];
    out[batch.length + 1] = mb[mb.length - 1];
    int drop = (da.length == 1 ? 1 : 0) + (db.length == 1 ? 1 : 0);
    long[] dims = Arrays.copyOf(out, out.length - drop);
    if (da.length == 1 && db.length != 1) {
      dims[dims.length - 1] = out[out.length - 1];
    }
    return TensorFacts.of(a.elemType(), dims);
  }

  /** Transpose's output for permutation {@code perm} (null: the dims reversed, its default). */
  static TensorFacts transpose(TensorFacts x, long[] perm) {
    long[] dims = x.dims();
    if (dims == null) {
      return x;
    }
    long[] out = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      out[i] = perm == null ? dims[dims.length - 1 - i] : dims[(int) perm[i]];
    }
    return TensorFacts.of(x.elemType(), out);
  }

  /** Gather's output along {@code axis}: data's dims with the indices' dims in place of axis. */
  static TensorFacts gather(TensorFacts data, TensorFacts indices, long axis) {
    long[] d = data.dims();
    long[] q = indices.dims();
    if (d == null || q == null) {
      return TensorFacts.of(data.elemType(), null);
    }
    int a = (int) (axis < 0 ? axis + d.length : axis);
    long[] out = new long[d.length + q.length - 1];
    System.arraycopy(d, 0, out, 0, a);
    System.arraycopy(q, 0, out, a, q.length);
    System.arraycopy(d, a + 1, out, a + q.length, d.length - a - 1);
    return TensorFacts.of(data.elemType(), out);
  }

  /** Squeeze's output without the dims at {@code axes} (null: axes unknown, so the rank is). */
  static TensorFacts squeeze(TensorFacts x, long[] axes) {
    long[] dims = x.dims();
    if (dims == null || axes == null) {
      return TensorFacts.of(x.elemType(), null);
    }
    boolean[] drop = new boolean[dims.length];
    for (long axis : axes) {
      drop[(int) (axis < 0 ? axis + dims.length : axis)] = true;
    }
    long[] out = new long[dims.length - axes.length];
    for (int i = 0, k = 0; i < dims.length; i++) {
      if (!drop[i]) {
        out[k++] = dims[i];
      }
    }
    return TensorFacts.of(x.elemType(), out);
  }

  /** Unsqueeze's output with dims of 1 at {@code axes} of the output (null: unknown rank). */
  static TensorFacts unsqueeze(TensorFacts x, long[] axes) {
    long[] dims = x.dims();
    if (dims == null || axes == null) {
      return TensorFacts.of(x.elemType(), null);
    }
    int rank = dims.length + axes.length;
    boolean[] inserted = new boolean[rank];
    for (long axis : axes) {
      inserted[(int) (axis < 0 ? axis + rank : axis)] = true;
    }
    long[] out = new long[rank];
    for (int i = 0, k = 0; i < rank; i++) {
      out[i] = inserted[i] ? 1 : dims[k++];
    }
    return TensorFacts.of(x.elemType(), out);
  }

  /** The length ONNX's Slice gives along one axis of size {@code d} (unknown when d is). */
  static long sliceLength(long d, long start, long end, long step) {
    if (d < 0 || step == 0) {
      return TensorFacts.UNKNOWN_DIM;
    }
    long s = start < 0 ? start + d : start;
    long e = end < 0 ? end + d : end;
    if (step > 0) {
      s = Math.max(0, Math.min(d, s));
      e = Math.max(0, Math.min(d, e));
      return e > s ? (e - s + step - 1) / step : 0;
    }
    s = Math.max(-1, Math.min(d - 1, s));
    e = Math.max(-1, Math.min(d - 1, e));
    return s > e ? (s - e - step - 1) / -step : 0;
  }
}
