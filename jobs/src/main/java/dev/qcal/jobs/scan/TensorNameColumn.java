package dev.qcal.jobs.scan;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;

/**
 * The tensor-name column of a row group for {@link PageDecoder}: every row's name (null for a null
 * name) and whether {@code --tensors} selects it. A few thousand rows per row group, so it goes
 * through parquet-java's generic column reader; each distinct name is decoded and matched once per
 * task.
 */
final class TensorNameColumn {
  private final Pattern tensors;
  private final PerChannelRows channels;
  private final Map<Binary, RowName> names = new HashMap<>();
  private String[] rowNames = new String[0];

  /** Whether --tensors selects each row's tensor (rows with a null name: false). */
  private boolean[] rowSelected = new boolean[0];

  /** Whether each row's tensor is selected and calibrated per channel. */
  private boolean[] rowPerChannel = new boolean[0];

  /**
   * @param tensors the {@code --tensors} filter, or null for every tensor
   * @param channels the per-channel tensors, or null when none is
   */
  TensorNameColumn(Pattern tensors, PerChannelRows channels) {
    this.tensors = tensors;
    this.channels = channels;
  }

  /** The name of row {@code i} of the row group read last, or null. */
  String name(int i) {
    return rowNames[i];
  }

  /** Whether row {@code i} has a name that {@code --tensors} selects. */
  boolean selected(int i) {
    return rowSelected[i];
  }

  /** Whether row {@code i}'s tensor is selected and calibrated per channel. */
  boolean perChannel(int i) {
    return rowPerChannel[i];
  }

  /** A tensor name as read, whether --tensors selects it, and whether per channel. */
  private record RowName(String text, boolean selected, boolean perChannel) {}

  /** Reads the tensor name of every row of the row group and whether it is selected. */
  void read(
      PageReadStore group,
      MessageType requested,
      ColumnDescriptor column,
      String createdBy,
      int count) {
    if (rowNames.length < count) {
      rowNames = new String[Math.max(count, rowNames.length * 2)];
      rowSelected = new boolean[rowNames.length];
      rowPerChannel = new boolean[rowNames.length];
    }
    ColumnReader reader =
        new ColumnReadStoreImpl(group, new IgnoringConverter(1), requested, createdBy)
            .getColumnReader(column);
    int max = column.getMaxDefinitionLevel();
    for (int i = 0; i < count; i++) {
      if (reader.getCurrentDefinitionLevel() == max) {
        Binary b = reader.getBinary();
        RowName s = names.get(b);
        if (s == null) {
          String text = b.toStringUsingUTF8();
          boolean selected = tensors == null || tensors.matcher(text).matches();
          s = new RowName(text, selected, selected && channels != null && channels.selects(text));
          names.put(b.copy(), s);
        }
        rowNames[i] = s.text();
        rowSelected[i] = s.selected();
        rowPerChannel[i] = s.perChannel();
      } else {
        rowNames[i] = null;
        rowSelected[i] = false;
        rowPerChannel[i] = false;
      }
      reader.consume();
    }
  }

  /**
   * A converter that converts nothing: the generic column reader needs one for the path of the
   * column it reads ({@code depth} fields, a group converter above the leaf).
   */
  static final class IgnoringConverter extends GroupConverter {
    private final Converter child;

    IgnoringConverter(int depth) {
      this.child = depth > 1 ? new IgnoringConverter(depth - 1) : new PrimitiveConverter() {};
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return child;
    }

    @Override
    public void start() {}

    @Override
    public void end() {}
  }
}
