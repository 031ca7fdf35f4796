package dev.morpheus.pekko;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.morpheus.Morpheus;
import dev.morpheus.MorpheusWorker;
import dev.morpheus.hint.ManualHintSource;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/** Shared configuration and helpers of the dispatcher tests. */
final class TestSupport {
    /** Manual hints on the default executor (morpheus-executor), 4 threads. */
    static final String MANUAL = "manual-dispatcher";
    /** Manual hints on Pekko's thread-pool executor (one FIFO queue), 4 threads. */
    static final String MANUAL_TP = "manual-tp-dispatcher";
    /** Manual hints on the fork-join executor, 4 threads. */
    static final String MANUAL_FJ = "manual-fj-dispatcher";
    /** The manual dispatcher with a short max-critical (20 ms), for the critical-batch bound. */
    static final String MANUAL_SHORT_CRITICAL = "manual-short-critical-dispatcher";
    static final String NONE = "none-dispatcher";
    static final String STOCK = "stock-dispatcher";

    static final Config CONFIG = ConfigFactory.parseString("""
            pekko.loglevel = WARNING
            pekko.actor.testkit.typed.single-expect-default = 20s
            manual-dispatcher {
              type = "dev.morpheus.pekko.MorpheusDispatcherConfigurator"
              shutdown-timeout = 100ms
              morpheus-executor { parallelism-min = 4, parallelism-max = 4 }
              morpheus { hint-source = manual, defensive-slice = 2ms }
            }
            manual-tp-dispatcher = ${manual-dispatcher} {
              executor = thread-pool-executor
              thread-pool-executor { fixed-pool-size = 4 }
            }
            # A thread pool that grows past its core size (bounded queue) and whose threads time out.
            elastic-dispatcher {
              type = "dev.morpheus.pekko.MorpheusDispatcherConfigurator"
              executor = thread-pool-executor
              thread-pool-executor {
                core-pool-size-min = 1, core-pool-size-factor = 1.0, core-pool-size-max = 1
                max-pool-size-min = 3, max-pool-size-factor = 1.0, max-pool-size-max = 3
                task-queue-size = 1
                keep-alive-time = 100ms
                allow-core-timeout = on
              }
              morpheus { hint-source = manual }
            }
            # A Morpheus executor of up to 3 threads whose idle threads end after 100ms.
            elastic-morpheus-dispatcher {
              type = "dev.morpheus.pekko.MorpheusDispatcherConfigurator"
              morpheus-executor { parallelism-min = 3, parallelism-max = 3, keep-alive-time = 100ms }
              morpheus { hint-source = manual }
            }
            manual-short-critical-dispatcher = ${manual-dispatcher} {
              morpheus { max-critical = 20ms }
            }
            manual-fj-dispatcher = ${manual-dispatcher} {
              executor = fork-join-executor
              fork-join-executor { parallelism-min = 4, parallelism-max = 4 }
            }
            none-dispatcher {
              type = "dev.morpheus.pekko.MorpheusDispatcherConfigurator"
              morpheus { hint-source = none }
            }
            stock-dispatcher {
              type = Dispatcher
              throughput = 1000
            }
            """).resolve();

    static final Duration WAIT = Duration.ofSeconds(30);

    private TestSupport() {}

    static ActorTestKit testKit(String name) {
        return ActorTestKit.create(name, CONFIG.withFallback(ConfigFactory.load()));
    }

    static MorpheusDispatcher dispatcher(ActorTestKit kit, String id) {
        return (MorpheusDispatcher) kit.system().classicSystem().dispatchers().lookup(id);
    }

    static ManualHintSource manual(MorpheusDispatcher d) {
        return (ManualHintSource) d.morpheus().hintSource();
    }

    /** Posts a hint to the calling worker thread (must run on a Morpheus worker). */
    static void hintMe(ManualHintSource source) {
        MorpheusWorker me = Morpheus.currentWorker();
        if (me == null) {
            throw new IllegalStateException("not on a Morpheus worker: " + Thread.currentThread().getName());
        }
        if (me.tid() != 0) {
            source.postToTid(me.tid());
        } else {
            source.postToRunning();
        }
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released within " + WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A thread that posts hints to every worker continuously until closed. */
    static final class HintStorm {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        HintStorm(ManualHintSource source) {
            thread = new Thread(() -> {
                while (running.get()) {
                    source.postAll();
                    LockSupport.parkNanos(20_000L);
                }
            }, "hint-storm");
            thread.setDaemon(true);
            thread.start();
        }

        /** Stops the storm and waits for its thread. */
        void stop() {
            running.set(false);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
