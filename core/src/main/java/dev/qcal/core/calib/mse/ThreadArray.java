package dev.qcal.core.calib.mse;

import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * One array per thread that the mse search's next user on the thread takes over from the last: a
 * search keeps its screen, bounds and errors no longer than itself, and a thread runs one search at
 * a time, so the last user is done with it. Fresh arrays per tensor, zeroed by the JVM, were most
 * of the cost of setting up a search at 20 000 small tensors (72.7 of its 87.6 KB a tensor; a 60 KB
 * prefix array took about 25 µs to zero, thread CPU). Each use site has its own instance, since one
 * search holds several at once. Arrays longer than the kept limit are not kept.
 *
 * @param <A> the array type
 */
final class ThreadArray<A> {
  private final ThreadLocal<A> last = new ThreadLocal<>();
  private final IntFunction<A> allocate;
  private final ToIntFunction<A> length;
  private final int keepUpTo;

  /**
   * Arrays made by {@code allocate}, of length {@code length}, kept when at most {@code keepUpTo}
   * long.
   */
  ThreadArray(IntFunction<A> allocate, ToIntFunction<A> length, int keepUpTo) {
    this.allocate = allocate;
    this.length = length;
    this.keepUpTo = keepUpTo;
  }

  /**
   * An array of at least {@code size} elements: the thread's last one when it is long enough (its
   * contents are the last user's: the caller writes every slot it reads), else a new one.
   */
  A room(int size) {
    A a = last.get();
    if (a != null && length.applyAsInt(a) >= size) {
      return a;
    }
    a = allocate.apply(size);
    if (size <= keepUpTo) {
      last.set(a);
    }
    return a;
  }
}
