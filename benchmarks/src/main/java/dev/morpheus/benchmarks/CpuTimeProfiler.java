package dev.morpheus.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that reports the benchmark JVM's CPU time per operation ({@code cpu.ns/op}):
 * the process CPU time used during each measurement iteration (every thread: the pool's, the
 * benchmark thread's, JIT and GC), divided by the iteration's operations.
 *
 * <p>Why: the wall-clock score moves with how much of the machine the JVM got: time the
 * hypervisor steals from a vCPU, or a pool thread that parks while work waits, lowers ops/s
 * without making any message dearer. CPU time per operation separates the two: if a dispatcher
 * loses on ops/s but not here, it left CPUs idle (or got fewer of them); if it loses here too,
 * each message costs it more. Work that scores hide is counted: a spinning idle thread costs
 * CPU time here. At full load on N threads, {@code cpu.ns/op x ops/s} is close to N x 10^9.
 * Measured on this project's 2-vCPU machines, 8 ping-pong pairs, 4 interleaved forks per
 * dispatcher: both threads were busy for every dispatcher, and the two ratios agreed within
 * 1-2% (Morpheus default 0.846x on ops/s, 0.852x on CPU per message): the gap there is per
 * message, and the fork-to-fork noise (0.70-1.13x) is in how fast a CPU runs, not in how much
 * of it the JVM gets.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar MessageHeavyPingPong -prof dev.morpheus.benchmarks.CpuTimeProfiler</pre>
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuAtStart;

    @Override
    public String getDescription() {
        return "process CPU time per operation (insensitive to CPU time other tenants take)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuAtStart = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long cpu = os.getProcessCpuTime() - cpuAtStart;
        long ops = result.getMetadata().getMeasuredOps();
        if (cpu < 0 || ops <= 0) {
            return List.of(); // no CPU clock on this platform (-1), or an iteration without operations
        }
        return List.of(new ScalarResult("cpu.ns/op", (double) cpu / ops, "ns/op", AggregationPolicy.AVG));
    }
}
