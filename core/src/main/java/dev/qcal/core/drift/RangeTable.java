package dev.qcal.core.drift;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.quant.Scheme;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A calibration table reduced to what the drift gate compares: the quantizer (scheme and bit
 * width), the methods in table order, and per tensor its flags and per-method ranges, sorted by
 * name. Built from the table a run computed ({@link #of}) or read from a baseline's {@code
 * calibration.json} ({@link dev.qcal.core.io.RangeTableJson}).
 *
 * @param scheme the quantization scheme the scales are for
 * @param bits the bit width
 * @param methods the method keys, primary first
 * @param tensors one entry per tensor, sorted by name
 */
public record RangeTable(
    Scheme scheme, int bits, List<String> methods, List<TensorRanges> tensors) {

  /** Sorts the tensors and refuses duplicates. */
  public RangeTable {
    if (scheme == null) {
      throw new IllegalArgumentException("Cannot build a range table: no scheme");
    }
    methods = List.copyOf(methods);
    List<TensorRanges> sorted = new ArrayList<>(tensors);
    sorted.sort(Comparator.comparing(TensorRanges::name));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
        throw new IllegalArgumentException(
            "Cannot build a range table: tensor '" + sorted.get(i).name() + "' appears twice");
      }
    }
    tensors = List.copyOf(sorted);
  }

  /** The ranges and scales of {@code table}. */
  public static RangeTable of(CalibrationTable table) {
    List<TensorRanges> out = new ArrayList<>(table.tensors().size());
    for (TensorCalibration t : table.tensors()) {
      Map<String, MethodRange> methods = new LinkedHashMap<>();
      for (Map.Entry<String, CalibrationResult> e : t.results().entrySet()) {
        CalibrationResult r = e.getValue();
        methods.put(
            e.getKey(), new MethodRange(r.range().min(), r.range().max(), r.params().scale()));
      }
      out.add(TensorRanges.of(t.name(), t.flags(), methods));
    }
    return new RangeTable(table.quant().scheme(), table.quant().bits(), table.methods(), out);
  }

  /** "symmetric, 8 bits": the quantizer, for messages. */
  public String quantDescription() {
    return scheme.key() + ", " + bits + " bits";
  }
}
