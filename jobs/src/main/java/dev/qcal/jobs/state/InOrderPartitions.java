package dev.qcal.jobs.state;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;

/**
 * The elements of an RDD on the driver, partition after partition, like {@code toLocalIterator},
 * but with the jobs of the next {@code ahead} partitions already running while the caller consumes
 * one: {@code toLocalIterator} runs one single-task job at a time, which leaves every other core
 * idle and adds each job's round trip to the caller's time. The driver holds at most {@code ahead +
 * 1} partitions. {@link #close} cancels what is still running.
 */
final class InOrderPartitions<T> implements Iterator<T>, AutoCloseable {
  private final IntFunction<List<T>> partition;
  private final int partitions;
  private final ExecutorService jobs;
  private final Deque<Future<List<T>>> running = new ArrayDeque<>();
  private int submitted;
  private Iterator<T> current = Collections.emptyIterator();

  InOrderPartitions(JavaRDD<T> rdd, int ahead) {
    this(rdd.getNumPartitions(), p -> rdd.collectPartitions(new int[] {p})[0], ahead);
  }

  /**
   * The elements of {@code partitions} partitions, partition {@code p} collected by {@code
   * partition.apply(p)}, a job of its own.
   */
  InOrderPartitions(int partitions, IntFunction<List<T>> partition, int ahead) {
    this.partition = partition;
    this.partitions = partitions;
    this.jobs =
        Executors.newFixedThreadPool(
            ahead + 1,
            r -> {
              Thread thread = new Thread(r, "qcal: collect partition");
              thread.setDaemon(true);
              return thread;
            });
    for (int i = 0; i <= ahead; i++) {
      submitNext();
    }
  }

  private void submitNext() {
    if (submitted < partitions) {
      int p = submitted++;
      running.add(jobs.submit(() -> partition.apply(p)));
    }
  }

  @Override
  public boolean hasNext() {
    while (!current.hasNext() && !running.isEmpty()) {
      Future<List<T>> next = running.remove();
      submitNext();
      try {
        current = next.get().iterator();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while collecting a partition", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        // Spark's checked SparkException, which collect throws through Scala code.
        throw new IllegalStateException(
            cause.getMessage(), cause instanceof SparkException ? cause : e);
      }
    }
    return current.hasNext();
  }

  @Override
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return current.next();
  }

  @Override
  public void close() {
    for (Future<List<T>> f : running) {
      f.cancel(true);
    }
    running.clear();
    jobs.shutdownNow();
  }
}
