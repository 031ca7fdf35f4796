package dev.morpheus.samples.bench;

import java.util.Map;

/** The measurements of one run of the worker workload. */
record RunResult(String mode, String hintSource, int workers, int threads, double windowS, long units,
                 double throughputPerS, double probeP50Ms, double probeP99Ms, double probeP999Ms, double probeMaxMs,
                 int probeSent, int probeLate, double assignP50Ms, double assignP99Ms,
                 double jainActors, double jainThreads, Map<String, Long> yields, long threadSwitches,
                 double startupMs, long peakRssKb, String morpheusMode, double loadAvg1m) {
}
