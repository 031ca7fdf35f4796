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
 * Validates the section when constructed: every key must be Pekko's or Morpheus's
 * ({@link DispatcherKeys}), the {@code morpheus} section and the pool (see {@code reference.conf});
 * on first use opens one Morpheus instance for the dispatcher, registers its JMX bean, and returns
 * the same dispatcher for every call, like Pekko's {@code DispatcherConfigurator}. Pekko's
 * {@code throughput} key is refused: {@code morpheus.max-batch} is the batch bound.
 *
 * <p>A configuration error is thrown by {@link #dispatcher()}, not by the constructor: Pekko wraps
 * whatever a configurator's constructor throws into a generic "Cannot instantiate
 * MessageDispatcherConfigurator" {@code ConfigurationException}, while what {@code dispatcher()}
 * throws reaches the caller of {@code lookup} (and the log) as it is, naming the dispatcher, the
 * key, the value and the range.
 */
public final class MorpheusDispatcherConfigurator extends MessageDispatcherConfigurator {
    private static final Logger LOG = LoggerFactory.getLogger(MorpheusDispatcherConfigurator.class);

    private final MorpheusDispatcherSettings settings;
    private final Config poolConfig;
    private final MorpheusConfigException configError;   // thrown by dispatcher(), see above
    private volatile MorpheusDispatcher instance;

    /** Validates the configuration; the dispatcher (and its Morpheus instance) is created on first use. */
    public MorpheusDispatcherConfigurator(Config config, DispatcherPrerequisites prerequisites) {
        super(config, prerequisites);
        Config c = config();
        String id = c.getString("id");
        Config system = prerequisites.settings().config();
        MorpheusDispatcherSettings s = null;
        Config pool = null;
        MorpheusConfigException error = null;
        try {
            DispatcherKeys.check(id, ownSection(id, system), system);
            s = MorpheusDispatcherSettings.from(id, section(id, c), system.getConfig(MorpheusDispatcherSettings.DEFAULTS_PATH));
            pool = MorpheusExecutorConfigurator.poolConfig(id, c, system);
            MorpheusExecutorConfigurator.validate(id, pool);
        } catch (MorpheusConfigException e) {
            error = e;
        }
        this.settings = s;
        this.poolConfig = pool;
        this.configError = error;
    }

    /** The dispatcher's section as the user wrote it, before Pekko's defaults; empty if not found. */
    private static Config ownSection(String id, Config system) {
        try {
            return system.hasPath(id) && system.getValue(id).valueType() == com.typesafe.config.ConfigValueType.OBJECT
                    ? system.getConfig(id) : ConfigFactory.empty();
        } catch (ConfigException e) {
            return ConfigFactory.empty();
        }
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
            DispatcherContext runtime = new DispatcherContext(settings, morpheus);
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
        DispatcherJmx mbean = null;
        if (settings.jmx()) {
            mbean = new DispatcherJmx(d);
            mbean.register(system);
        }
        DispatcherRegistry.add(prerequisites().settings(), new DispatcherRegistry.Entry(d, mbean));
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
        if (configError != null) {
            throw configError;
        }
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
