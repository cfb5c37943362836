package dev.qcal.core.histogram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ByteBuffersTest {
  @Test
  void aBufferWithRoomEnoughIsKept() {
    ByteBuffer b = ByteBuffer.allocate(8);
    b.put((byte) 1);
    assertSame(b, ByteBuffers.withRoom(b, 7));
  }

  @Test
  void aLargerBufferKeepsTheBytesSoFarAndItsPosition() {
    ByteBuffer b = ByteBuffer.allocate(8);
    b.put(new byte[] {1, 2, 3, 4, 5});
    ByteBuffer larger = ByteBuffers.withRoom(b, 4);
    assertNotSame(b, larger);
    assertEquals(5, larger.position());
    assertEquals(16, larger.capacity(), "twice the capacity");
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, Arrays.copyOf(larger.array(), 5));
    ByteBuffer huge = ByteBuffers.withRoom(larger, 100);
    assertTrue(huge.remaining() >= 100, "at least the room asked for");
    assertEquals(105, huge.capacity());
  }

  @Test
  void aNameComesBackWithTheBytesItTook() {
    for (String name : new String[] {"", "conv1/relu:0", "Gr\u00f6\u00dfe/\u03bc-\ud83d\ude00"}) {
      ByteBuffer b = ByteBuffer.allocate(ByteBuffers.nameBytes(name) + 1);
      ByteBuffers.putName(b, name);
      assertEquals(ByteBuffers.nameBytes(name), b.position(), name);
      b.put((byte) 7).flip();
      assertEquals(name, ByteBuffers.getName(b));
      assertEquals(7, b.get(), "left just after the name");
    }
  }

  @Test
  void aBadNameLengthIsRefused() {
    ByteBuffer negative = ByteBuffer.allocate(4).putInt(0, -1);
    assertThrows(IllegalArgumentException.class, () -> ByteBuffers.getName(negative));
    ByteBuffer beyond = ByteBuffer.allocate(8).putInt(0, 3);
    assertThrows(IllegalArgumentException.class, () -> ByteBuffers.getName(beyond));
    ByteBuffer cut = ByteBuffer.allocate(2);
    assertThrows(BufferUnderflowException.class, () -> ByteBuffers.getName(cut));
  }
}
