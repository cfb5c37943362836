package dev.qcal.core.calib.mse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThreadArrayTest {
  private final ThreadArray<double[]> arrays = new ThreadArray<>(double[]::new, a -> a.length, 64);

  @Test
  void theThreadsLastArrayIsTakenOverWhileItIsLongEnough() {
    double[] first = arrays.room(10);
    assertEquals(10, first.length);
    assertSame(first, arrays.room(10));
    assertSame(first, arrays.room(3), "a shorter request takes the longer array");
    double[] longer = arrays.room(11);
    assertEquals(11, longer.length);
    assertSame(longer, arrays.room(5), "the longer array replaced the first");
  }

  @Test
  void anArrayPastTheLimitIsNotKept() {
    double[] kept = arrays.room(64);
    double[] past = arrays.room(65);
    assertEquals(65, past.length);
    assertSame(kept, arrays.room(64));
    assertNotSame(past, arrays.room(65));
  }

  @Test
  void eachThreadHasItsOwn() throws Exception {
    double[] mine = arrays.room(8);
    AtomicReference<double[]> theirs = new AtomicReference<>();
    Thread t = new Thread(() -> theirs.set(arrays.room(8)));
    t.start();
    t.join();
    assertTrue(theirs.get() != null && theirs.get() != mine);
    assertSame(mine, arrays.room(8));
  }
}
