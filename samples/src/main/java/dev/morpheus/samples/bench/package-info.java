/**
 * The Morpheus benchmark runner: the seeds' experiments on Pekko as one command.
 *
 * <pre>
 *   make demo                                  # short version (&lt; 3 min): target/morpheus-report/
 *   bash scripts/demo.sh --full                # workers 1..32, hint sources auto and queue, 3 interleaved repeats
 *   bash scripts/demo.sh --full --contend 2    # ... with 2 competing CPU-hog processes
 *   java -jar samples/target/morpheus-samples.jar --help
 *   make bench                                 # JMH (benchmarks/): checkpoint cost and dispatcher benchmarks
 * </pre>
 *
 * Suites: {@code yield} (seed 000: blocking / naive / deadline / morpheus / morpheus-direct with a
 * 10 ms probe), {@code dispatchers} (seed 002: fork-join, thread-pool, affinity-pool, pinned,
 * virtual-thread on JDK 21+, Morpheus; assignment latency and Jain's fairness), {@code scaling}
 * (seed 002: fixed work over 1..32 workers), {@code pipelines} (seed 003: 3- and 5-stage, 1 and
 * 10 concurrent, latency percentiles, start-up, peak RSS, identical output) and {@code runtimes}
 * (seed 003's three runtimes as: no checkpoint, mmapped-SCB checkpoint, JNA call per checkpoint)
 * and {@code pareto} (issue 12: scenarios S1 busy actors + probe at 2/10/75 us units, S2 the same
 * beside CPU-hog processes, S3 open-loop request/response beside busy actors, each at every stock
 * Pekko throughput/executor/deadline setting and at the Morpheus default and each hint source;
 * throughput against p99, the stock frontier, and MET/MISSED verdicts for the Morpheus default).
 * Output: {@code throughput.json}, {@code dispatchers.json}, {@code scaling.json},
 * {@code pipelines.json}, {@code pareto.json}, PNG charts and {@code BENCHMARK_REPORT.md}.
 */
package dev.morpheus.samples.bench;
