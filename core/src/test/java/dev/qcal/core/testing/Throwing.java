package dev.qcal.core.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Checks that code fails with a message that tells the user what was wrong and where. */
public final class Throwing {
  private Throwing() {}

  /**
   * Asserts that {@code code} throws {@code type} with a message containing every one of {@code
   * fragments} (the offending value, name, file or flag, and what to do), and returns the
   * exception. A failure shows the whole message.
   */
  public static <T extends Throwable> T assertThrowsSaying(
      Class<T> type, Executable code, String... fragments) {
    T e = assertThrows(type, code);
    String message = e.getMessage();
    assertNotNull(message, () -> type.getSimpleName() + " has no message");
    for (String fragment : fragments) {
      assertTrue(
          message.contains(fragment), () -> "message lacks \"" + fragment + "\": " + message);
    }
    return e;
  }
}
