package dev.qcal.jobs.testing;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.Location;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.VMDeathEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Holds a child JVM at one line of qcal's source, through the JDK's debugger interface (JDWP and
 * JDI), so a test can kill it at exactly that point: deterministic where waiting for a log line and
 * killing would race a step that takes milliseconds (the renames of a commit). The child is started
 * with {@link #AGENT} (suspended until the breakpoint is set); the line is found by its text in
 * {@code jobs/src/main/java}, so a test fails with a clear message, instead of stopping elsewhere,
 * when that line is edited.
 */
public final class Breakpoint implements AutoCloseable {
  /** The child's JVM option: a JDWP server on a free loopback port, suspended until attached. */
  public static final String AGENT =
      "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:0";

  private static final Pattern LISTENING =
      Pattern.compile("Listening for transport dt_socket at address: (\\d+)");

  private final VirtualMachine vm;
  private final String where;

  private Breakpoint(VirtualMachine vm, String where) {
    this.vm = vm;
    this.where = where;
  }

  /**
   * Attaches to {@code child} (started with {@link #AGENT}), sets a breakpoint at the one line of
   * {@code className}'s source whose trimmed text is {@code line}, lets the child run and returns
   * once it is stopped there (every thread suspended).
   *
   * @throws AssertionError if the line is not in the source exactly once, or the child exits or
   *     times out before reaching it
   */
  public static Breakpoint await(
      ChildProcess child, String className, String line, Duration timeout)
      throws IOException, InterruptedException {
    int lineNumber = lineOf(className, line);
    String where = className + ":" + lineNumber + " (" + line + ")";
    VirtualMachine vm = attach(child, port(child, timeout));
    Breakpoint b = new Breakpoint(vm, where);
    try {
      ClassPrepareRequest prepare = vm.eventRequestManager().createClassPrepareRequest();
      prepare.addClassFilter(className);
      prepare.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
      prepare.enable();
      for (ReferenceType loaded : vm.classesByName(className)) {
        set(vm, loaded, lineNumber, where);
      }
      vm.resume();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        EventSet events = vm.eventQueue().remove(200);
        if (events == null) {
          continue;
        }
        for (Event e : events) {
          if (e instanceof BreakpointEvent) {
            return b; // the event set suspended every thread: the child stays here until killed
          }
          if (e instanceof ClassPrepareEvent prepared) {
            set(vm, prepared.referenceType(), lineNumber, where);
          }
          if (e instanceof VMDeathEvent || e instanceof VMDisconnectEvent) {
            throw new AssertionError(
                child.name() + " ended before " + where + "\n" + child.logText());
          }
        }
        events.resume();
      }
      throw new AssertionError(
          child.name() + " did not reach " + where + " in " + timeout + "\n" + child.logText());
    } catch (VMDisconnectedException e) {
      throw new AssertionError(child.name() + " ended before " + where + "\n" + child.logText(), e);
    } catch (RuntimeException | Error | InterruptedException e) {
      b.close();
      throw e;
    }
  }

  /** Where the child is held: class, line number and text. */
  public String where() {
    return where;
  }

  /**
   * Lets the child go on from the breakpoint: the breakpoint is removed and every thread resumed,
   * then the debugger detaches.
   */
  public void resume() {
    vm.eventRequestManager().deleteAllBreakpoints();
    vm.resume();
    close();
  }

  /** Detaches without resuming (a no-op once the child is killed). */
  @Override
  public void close() {
    try {
      vm.dispose();
    } catch (VMDisconnectedException e) {
      // Killed: nothing to detach from.
    }
  }

  private static void set(VirtualMachine vm, ReferenceType type, int line, String where) {
    try {
      List<Location> at = type.locationsOfLine(line);
      if (at.isEmpty()) {
        throw new AssertionError("No code at " + where + " (compiled without line numbers?)");
      }
      BreakpointRequest request = vm.eventRequestManager().createBreakpointRequest(at.get(0));
      request.setSuspendPolicy(EventRequest.SUSPEND_ALL);
      request.enable();
    } catch (com.sun.jdi.AbsentInformationException e) {
      throw new AssertionError(
          "No line numbers in " + type.name() + ": cannot stop at " + where, e);
    }
  }

  /** The 1-based line of {@code className}'s main source whose trimmed text is {@code text}. */
  private static int lineOf(String className, String text) throws IOException {
    Path source =
        Qcal.ROOT.resolve("jobs/src/main/java").resolve(className.replace('.', '/') + ".java");
    List<String> lines = Files.readAllLines(source);
    int found = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().equals(text)) {
        if (found >= 0) {
          throw new AssertionError("'" + text + "' is on more than one line of " + source);
        }
        found = i + 1;
      }
    }
    if (found < 0) {
      throw new AssertionError(
          "'" + text + "' is not a line of " + source + ": the test's stop point moved");
    }
    return found;
  }

  private static int port(ChildProcess child, Duration timeout) throws InterruptedException {
    child.awaitLine("Listening for transport dt_socket at address: ", timeout);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = LISTENING.matcher(child.logText());
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      Thread.sleep(20); // the line is there, its digits may not be flushed yet
    }
    throw new AssertionError(child.name() + " printed no JDWP port\n" + child.logText());
  }

  private static VirtualMachine attach(ChildProcess child, int port) throws IOException {
    AttachingConnector socket =
        Bootstrap.virtualMachineManager().attachingConnectors().stream()
            .filter(c -> c.name().equals("com.sun.jdi.SocketAttach"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("No JDI socket connector in this JDK"));
    Map<String, Connector.Argument> args = socket.defaultArguments();
    args.get("hostname").setValue("127.0.0.1");
    args.get("port").setValue(String.valueOf(port));
    try {
      return socket.attach(args);
    } catch (com.sun.jdi.connect.IllegalConnectorArgumentsException e) {
      throw new IllegalStateException("Cannot attach to " + child.name() + " on port " + port, e);
    }
  }
}
