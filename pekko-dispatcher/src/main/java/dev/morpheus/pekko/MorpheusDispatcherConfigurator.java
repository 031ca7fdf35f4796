package dev.morpheus.pekko;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.morpheus.Morpheus;
import dev.morpheus.MorpheusConfigException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.dispatch.DispatcherPrerequisites;
import org.apache.pekko.dispatch.MessageDispatcher;
import org.apache.pekko.dispatch.MessageDispatcherConfigurator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.duration.FiniteDuration;

/**
 * Creates a {@link MorpheusDispatcher} from configuration:
 *
 * <pre>
 *   my-dispatcher {
 *     type = "dev.morpheus.pekko.MorpheusDispatcherConfigurator"
 *     executor = "thread-pool-executor"          # the default; or fork-join-executor
 *     thread-pool-executor { fixed-pool-size = 4 }
 *     morpheus { hint-source = auto, max-batch = 1000 }
 *   }
 * </pre>
 *
 * Validates the {@code morpheus} section (see {@code reference.conf}) when constructed; on first use opens one Morpheus
 * instance for the dispatcher, registers its JMX bean, and returns the same dispatcher for every
 * call, like Pekko's {@code DispatcherConfigurator}. Pekko's {@code throughput} key is not used:
 * {@code morpheus.max-batch} is the batch bound.
 */
public final class MorpheusDispatcherConfigurator extends MessageDispatcherConfigurator {
    private static final Logger LOG = LoggerFactory.getLogger(MorpheusDispatcherConfigurator.class);

    private final MorpheusDispatcherSettings settings;
    private final Config poolConfig;
    private volatile MorpheusDispatcher instance;

    /** Validates the configuration; the dispatcher (and its Morpheus instance) is created on first use. */
    public MorpheusDispatcherConfigurator(Config config, DispatcherPrerequisites prerequisites) {
        super(config, prerequisites);
        Config c = config();
        String id = c.getString("id");
        this.settings = MorpheusDispatcherSettings.from(id, section(id, c),
                prerequisites.settings().config().getConfig(MorpheusDispatcherSettings.DEFAULTS_PATH));
        this.poolConfig = MorpheusExecutorConfigurator.poolConfig(id, c, prerequisites.settings().config());
        MorpheusExecutorConfigurator.validate(id, poolConfig);
    }

    /**
     * Creates the dispatcher. Lazy because Pekko may construct two configurators for one id when
     * two threads look it up at once, and keeps only one: only that one opens a Morpheus instance.
     */
    private MorpheusDispatcher create() {
        Config c = config();
        String id = settings.dispatcherId();
        String system = prerequisites().settings().name();
        Morpheus morpheus = Morpheus.open(system + "/" + id, settings.morpheus());
        MorpheusDispatcher d;
        try {
            DispatcherRuntime runtime = new DispatcherRuntime(settings, morpheus);
            MorpheusExecutorConfigurator executor = new MorpheusExecutorConfigurator(poolConfig, prerequisites(), runtime);
            d = new MorpheusDispatcher(this, id,
                    FiniteDuration.create(c.getDuration("throughput-deadline-time").toNanos(), TimeUnit.NANOSECONDS),
                    executor,
                    FiniteDuration.create(c.getDuration("shutdown-timeout").toMillis(), TimeUnit.MILLISECONDS),
                    runtime);
        } catch (RuntimeException e) {
            morpheus.close();
            throw e;
        }
        MorpheusDispatcherMBean mbean = null;
        if (settings.jmx()) {
            mbean = new MorpheusDispatcherMBean(d);
            mbean.register(system);
        }
        MorpheusDispatchers.add(prerequisites().settings(), new MorpheusDispatchers.Entry(d, mbean));
        LOG.info("Morpheus dispatcher {} ({}): {}, hint source {}, max-batch {}, critical tag '{}', defensive slice {} us",
                id, system, poolConfig.getString("executor"), morpheus.hintSourceName(), settings.maxBatch(), settings.criticalTag(),
                settings.morpheus().defensiveSliceNanos() / 1000);
        return d;
    }

    private static Config section(String id, Config c) {
        if (!c.hasPath(MorpheusDispatcherSettings.SECTION)) {
            return ConfigFactory.empty();
        }
        try {
            return c.getConfig(MorpheusDispatcherSettings.SECTION);
        } catch (ConfigException.WrongType e) {
            throw new MorpheusConfigException(id, MorpheusDispatcherSettings.SECTION,
                    c.getValue(MorpheusDispatcherSettings.SECTION).render(), "must be an object: morpheus { ... }");
        }
    }

    /** The same dispatcher for every call. */
    @Override
    public MessageDispatcher dispatcher() {
        MorpheusDispatcher d = instance;
        if (d == null) {
            synchronized (this) {
                d = instance;
                if (d == null) {
                    d = create();
                    instance = d;
                }
            }
        }
        return d;
    }
}
