package dev.qcal.core.io;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.ChannelCalibration;
import dev.qcal.core.table.ChannelResult;
import dev.qcal.core.table.TensorFlag;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The {@code channels} object of a per-channel tensor in {@code calibration.json} (see {@link
 * CalibrationJson}): arrays indexed by channel, numbers written as the rest of the table writes
 * them.
 *
 * <pre>{@code
 * "channels": {
 *   "axis": 0,
 *   "count": 3,
 *   "stats": {"count": [..], "nan": [..], "pos_inf": [..], "neg_inf": [..], "min": [..], "max": [..]},
 *                                                   // + "null": [..] when a channel has a null element
 *   "flags": {"all_zero": [2]},                     // flag → its channels; {} when none
 *   "methods": {                                    // the methods that run per channel
 *     "max": {"amax": [..],                         // or "min": [..], "max": [..] (affine)
 *             "scale": [..], "zero_point": [..],
 *             "notes": {"all-zero tensor: zero range, scale set to 1": [2]}}}}
 * }</pre>
 */
final class ChannelJson {
  static final String CHANNELS = "channels";
  static final String AXIS = "axis";
  static final String COUNT = "count";

  private ChannelJson() {}

  static void write(ChannelCalibration cc, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeNumberField(AXIS, cc.axis());
    g.writeNumberField(COUNT, cc.count());
    List<RangeStats> stats = cc.stats();
    g.writeObjectFieldStart(CalibrationJson.STATS);
    longs(g, CalibrationJson.COUNT, stats, RangeStats::count);
    longs(g, CalibrationJson.NAN, stats, RangeStats::nanCount);
    longs(g, CalibrationJson.POS_INF, stats, RangeStats::posInfCount);
    longs(g, CalibrationJson.NEG_INF, stats, RangeStats::negInfCount);
    if (stats.stream().anyMatch(RangeStats::hasNulls)) { // null rows belong to no channel
      longs(g, CalibrationJson.NULL, stats, RangeStats::nullCount);
    }
    g.writeArrayFieldStart(CalibrationJson.MIN);
    for (RangeStats s : stats) {
      number(g, s.hasNoFiniteValue() ? Double.NaN : s.min());
    }
    g.writeEndArray();
    g.writeArrayFieldStart(CalibrationJson.MAX);
    for (RangeStats s : stats) {
      number(g, s.hasNoFiniteValue() ? Double.NaN : s.max());
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeObjectFieldStart(CalibrationJson.FLAGS);
    for (Map.Entry<TensorFlag, int[]> e : cc.flags().entrySet()) {
      ints(g, e.getKey().key(), e.getValue());
    }
    g.writeEndObject();
    g.writeObjectFieldStart(CalibrationJson.METHODS);
    for (Map.Entry<String, ChannelResult> e : cc.results().entrySet()) {
      g.writeObjectFieldStart(e.getKey());
      writeResult(e.getValue(), g);
      g.writeEndObject();
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void writeResult(ChannelResult r, JsonGenerator g) throws IOException {
    int n = r.count();
    if (r.quant().scheme().isSymmetric()) {
      g.writeArrayFieldStart(CalibrationJson.AMAX);
      for (int c = 0; c < n; c++) {
        number(g, r.amax(c));
      }
      g.writeEndArray();
    } else {
      g.writeArrayFieldStart(CalibrationJson.MIN);
      for (int c = 0; c < n; c++) {
        number(g, r.range(c).min());
      }
      g.writeEndArray();
      g.writeArrayFieldStart(CalibrationJson.MAX);
      for (int c = 0; c < n; c++) {
        number(g, r.range(c).max());
      }
      g.writeEndArray();
    }
    g.writeArrayFieldStart(CalibrationJson.SCALE);
    for (int c = 0; c < n; c++) {
      number(g, r.scale(c));
    }
    g.writeEndArray();
    g.writeArrayFieldStart(CalibrationJson.ZERO_POINT);
    for (int c = 0; c < n; c++) {
      g.writeNumber(r.zeroPoint(c));
    }
    g.writeEndArray();
    g.writeObjectFieldStart(CalibrationJson.NOTES);
    for (Map.Entry<String, int[]> e : r.notes().entrySet()) {
      ints(g, e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  private interface LongOf {
    long of(RangeStats s);
  }

  private static void longs(JsonGenerator g, String field, List<RangeStats> stats, LongOf f)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (RangeStats s : stats) {
      g.writeNumber(f.of(s));
    }
    g.writeEndArray();
  }

  private static void ints(JsonGenerator g, String field, int[] values) throws IOException {
    g.writeArrayFieldStart(field);
    for (int v : values) {
      g.writeNumber(v);
    }
    g.writeEndArray();
  }

  private static void number(JsonGenerator g, double v) throws IOException {
    if (Double.isFinite(v)) {
      g.writeNumber(Decimals.of(v));
    } else {
      g.writeNull();
    }
  }
}
