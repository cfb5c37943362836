package dev.qcal.core.io;

import com.google.flatbuffers.Table;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reader of ORT's {@code CalTableFlatBuffers} schema on top of the real flatbuffers-java runtime,
 * written as {@code flatc --java} would generate it ({@code TrtTable.dict}, {@code dictLength},
 * {@code dictByKey}; {@code KeyValue.key}, {@code value}), so the tests decode qcal's buffers
 * independently of qcal's writer.
 */
final class CalTable extends Table {
  private CalTable() {}

  /** The root TrtTable of a buffer. */
  static CalTable root(byte[] bytes) {
    ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    CalTable t = new CalTable();
    t.init(bb.getInt(bb.position()) + bb.position(), bb);
    return t;
  }

  private void init(int at, ByteBuffer buffer) {
    __reset(at, buffer);
  }

  int dictLength() {
    int o = __offset(4);
    return o != 0 ? __vector_len(o) : 0;
  }

  KeyValue dict(int j) {
    int o = __offset(4);
    return KeyValue.at(__indirect(__vector(o) + j * 4), bb);
  }

  /** Entries in vector order. */
  Map<String, String> entries() {
    Map<String, String> out = new LinkedHashMap<>();
    for (int j = 0; j < dictLength(); j++) {
      out.put(dict(j).key(), dict(j).value());
    }
    return out;
  }

  /**
   * The value of {@code key} by binary search over the vector, as generated {@code dictByKey}
   * ({@code KeyValue.__lookup_by_key}) does: it compares UTF-8 bytes and needs ascending order.
   */
  String lookup(String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    int vector = __vector(__offset(4));
    int span = bb.getInt(vector - 4);
    int start = 0;
    while (span != 0) {
      int middle = span / 2;
      int table = __indirect(vector + 4 * (start + middle), bb);
      int comp = compareStrings(__offset(4, bb.capacity() - table, bb), k, bb);
      if (comp > 0) {
        span = middle;
      } else if (comp < 0) {
        middle++;
        start += middle;
        span -= middle;
      } else {
        return KeyValue.at(table, bb).value();
      }
    }
    return null;
  }

  /** One KeyValue. */
  static final class KeyValue extends Table {
    static KeyValue at(int table, ByteBuffer buffer) {
      KeyValue kv = new KeyValue();
      kv.__reset(table, buffer);
      return kv;
    }

    String key() {
      int o = __offset(4);
      return o != 0 ? __string(o + bb_pos) : null;
    }

    String value() {
      int o = __offset(6);
      return o != 0 ? __string(o + bb_pos) : null;
    }
  }
}
