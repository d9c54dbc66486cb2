package dev.agentrt.telemetry.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * A small set of JVM runtime metrics under the OpenTelemetry semantic-convention names, read from
 * the platform MXBeans when a reader collects: {@code jvm.memory.used}, {@code jvm.thread.count},
 * {@code jvm.class.count}, {@code jvm.cpu.count}, {@code jvm.cpu.time}, {@code
 * jvm.cpu.recent_utilization}, and garbage collection as {@code jvm.gc.collections} and {@code
 * jvm.gc.time} by collector (the semantic conventions' {@code jvm.gc.duration} histogram needs GC
 * notifications, which the OpenTelemetry runtime instrumentation provides; it cannot be used here,
 * see docs/telemetry.md).
 */
public final class JvmMetrics {
  private static final AttributeKey<String> MEMORY_TYPE = AttributeKey.stringKey("jvm.memory.type");
  private static final AttributeKey<String> POOL_NAME =
      AttributeKey.stringKey("jvm.memory.pool.name");
  private static final AttributeKey<String> GC_NAME = AttributeKey.stringKey("jvm.gc.name");

  private JvmMetrics() {}

  /** Registers the instruments; closing the result unregisters them. */
  public static AutoCloseable register(Meter meter) {
    List<AutoCloseable> handles = new ArrayList<>();
    List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
    handles.add(
        meter
            .upDownCounterBuilder("jvm.memory.used")
            .setUnit("By")
            .setDescription("Memory used, by memory pool.")
            .buildWithCallback(
                m -> {
                  for (MemoryPoolMXBean pool : pools) {
                    if (!pool.isValid()) continue;
                    m.record(
                        pool.getUsage().getUsed(),
                        Attributes.of(
                            MEMORY_TYPE,
                            pool.getType() == MemoryType.HEAP ? "heap" : "non_heap",
                            POOL_NAME,
                            pool.getName()));
                  }
                }));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    handles.add(
        meter
            .upDownCounterBuilder("jvm.thread.count")
            .setUnit("{thread}")
            .setDescription("Live platform threads.")
            .buildWithCallback(m -> m.record(threads.getThreadCount())));
    ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
    handles.add(
        meter
            .upDownCounterBuilder("jvm.class.count")
            .setUnit("{class}")
            .setDescription("Classes currently loaded.")
            .buildWithCallback(m -> m.record(classes.getLoadedClassCount())));
    handles.add(
        meter
            .upDownCounterBuilder("jvm.cpu.count")
            .setUnit("{cpu}")
            .setDescription("Processors available to the JVM.")
            .buildWithCallback(m -> m.record(Runtime.getRuntime().availableProcessors())));
    List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    handles.add(
        meter
            .counterBuilder("jvm.gc.collections")
            .setUnit("{collection}")
            .setDescription("Garbage collections since the JVM started, by collector.")
            .buildWithCallback(
                m -> {
                  for (GarbageCollectorMXBean gc : collectors) {
                    if (gc.getCollectionCount() >= 0)
                      m.record(gc.getCollectionCount(), Attributes.of(GC_NAME, gc.getName()));
                  }
                }));
    handles.add(
        meter
            .counterBuilder("jvm.gc.time")
            .ofDoubles()
            .setUnit("s")
            .setDescription("Time spent in garbage collection since the JVM started, by collector.")
            .buildWithCallback(
                m -> {
                  for (GarbageCollectorMXBean gc : collectors) {
                    if (gc.getCollectionTime() >= 0)
                      m.record(gc.getCollectionTime() / 1e3, Attributes.of(GC_NAME, gc.getName()));
                  }
                }));
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      handles.add(
          meter
              .counterBuilder("jvm.cpu.time")
              .ofDoubles()
              .setUnit("s")
              .setDescription("CPU time used by the process.")
              .buildWithCallback(
                  m -> {
                    long nanos = sun.getProcessCpuTime();
                    if (nanos >= 0) m.record(nanos / 1e9);
                  }));
      handles.add(
          meter
              .gaugeBuilder("jvm.cpu.recent_utilization")
              .setUnit("1")
              .setDescription("Recent CPU utilization of the process, 0 to 1.")
              .buildWithCallback(
                  m -> {
                    double load = sun.getProcessCpuLoad();
                    if (load >= 0) m.record(load);
                  }));
    }
    return () -> {
      for (AutoCloseable h : handles) h.close();
    };
  }
}
