package dev.qcal.core.io;

import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * ONNX Runtime's {@code calibration.flatbuffers}, the table its TensorRT execution provider reads
 * by default ({@code trt_int8_enable=1}, {@code trt_int8_calibration_table_name=<file>}, {@code
 * trt_int8_use_native_calibration_table=0}; docs/design/formats.md §3.2). Schema (ORT {@code
 * trt_cal_table.fbs}; no file identifier):
 *
 * <pre>
 * namespace CalTableFlatBuffers;
 * table KeyValue { key:string (key); value:string; }
 * table TrtTable { dict:[KeyValue]; }   // the root
 * </pre>
 *
 * <p>{@code key} is the tensor name, verbatim (FlatBuffers strings are UTF-8 with a length, so any
 * name survives); {@code value} is the decimal text of the dynamic range {@code max(|min|, |max|)}
 * in float32, as Python prints it ({@link PythonFloat}: {@code 2.5}, {@code 3.0}), which the EP
 * parses with {@code std::stof} and passes to {@code setDynamicRange(-v, v)}. This is ORT ≤ 1.16's
 * value; ORT ≥ 1.20 writes {@code max(min, max)} without the abs, which is wrong for a range whose
 * negative side is larger (ORT issue #25621), so qcal deliberately differs there.
 *
 * <p>Tensors whose amax is 0 or not a finite float32 are left out ({@link #omitted}), as in the
 * TensorRT cache: TensorRT rejects a zero range, and without an entry the EP leaves the tensor to
 * run in higher precision.
 *
 * <p>Entries are built in code point order of the names (ORT's {@code sorted(keys)}) with ORT's
 * call sequence. {@link Order#ASCENDING}, the default, lays the vector out ascending so generated
 * code's {@code dictByKey} binary search (the {@code (key)} attribute) works; {@link Order#ORT}
 * reproduces ORT's Python writer, whose {@code PrependUOffsetTRelative} loop leaves the vector
 * descending, byte for byte. The EP iterates by index, so it reads both the same.
 */
public final class OrtCalibrationFlatBuffers {
  /** ORT's file name; pass it as {@code trt_int8_calibration_table_name}. */
  public static final String FILE_NAME = "calibration.flatbuffers";

  private static final String WHAT = "ONNX Runtime calibration.flatbuffers";

  /** The order of the {@code dict} vector. */
  public enum Order {
    /** Ascending by name (UTF-8 bytes), so a binary search by key works. The default. */
    ASCENDING,
    /** Descending, as ONNX Runtime's {@code write_calibration_table} leaves it (byte-identical). */
    ORT
  }

  private OrtCalibrationFlatBuffers() {}

  /** Writes the primary method's table, ascending; flushed, not closed. */
  public static void write(CalibrationTable table, OutputStream out) {
    write(table, table.primaryMethod(), Order.ASCENDING, out);
  }

  /**
   * Writes {@code method}'s table in {@code order}; flushed, not closed.
   *
   * @throws IllegalArgumentException if the table has no such method
   */
  public static void write(CalibrationTable table, String method, Order order, OutputStream out) {
    FormatSupport.writeBytes(toBytes(table, method, order), out, WHAT);
  }

  /**
   * The buffer {@link #write} writes.
   *
   * @throws IllegalArgumentException if the table has no such method
   */
  public static byte[] toBytes(CalibrationTable table, String method, Order order) {
    FormatSupport.requireMethod(table, method, WHAT);
    FlatBufferWriter fb = new FlatBufferWriter();
    List<Integer> entries = new ArrayList<>();
    for (TensorCalibration t : FormatSupport.byCodePoint(table)) {
      float amax = FormatSupport.amax(t, method);
      if (!FormatSupport.writable(amax)) {
        continue;
      }
      // ORT: CreateString(key), CreateString(value), KeyValueStart, AddKey, AddValue, KeyValueEnd.
      int key = fb.createString(t.name());
      int value = fb.createString(PythonFloat.repr(amax));
      fb.startTable(2);
      fb.addOffset(0, key);
      fb.addOffset(1, value);
      entries.add(fb.endTable());
    }
    int[] dict = new int[entries.size()];
    for (int i = 0; i < dict.length; i++) {
      dict[i] = entries.get(order == Order.ASCENDING ? i : dict.length - 1 - i);
    }
    int vector = fb.createOffsetVector(dict);
    fb.startTable(1);
    fb.addOffset(0, vector);
    return fb.finish(fb.endTable());
  }

  /** The tensors left out for {@code method} (amax 0 or not a finite float32), sorted by name. */
  public static List<TensorIssue> omitted(CalibrationTable table, String method) {
    return FormatSupport.zeroRanges(table, method);
  }
}
