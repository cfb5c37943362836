package dev.qcal.jobs.testing;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real local[2] SparkSession for every test class of the run (started once, stopped when the
 * JUnit run ends), configured as Deequ's tests do: no UI, two shuffle partitions, loopback only.
 * Inject it with a {@code SparkSession} test-constructor or method parameter.
 */
public final class SharedSpark implements BeforeAllCallback, ParameterResolver {
  private static final Namespace NAMESPACE = Namespace.create(SharedSpark.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    session(context);
  }

  /**
   * The shared session, made the thread's active session: Spark 4 plans take the active session
   * when they are built (a write's command fails with a null session without one), and a command
   * run in-process by an earlier test clears it when it stops its own handle.
   */
  public static SparkSession session(ExtensionContext context) {
    SparkSession spark =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent("spark", k -> new Resource(), Resource.class)
            .spark;
    SparkSession.setActiveSession(spark);
    return spark;
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == SparkSession.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return session(e);
  }

  private static final class Resource implements ExtensionContext.Store.CloseableResource {
    final SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("qcal tests")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();

    @Override
    public void close() {
      spark.stop();
    }
  }
}
