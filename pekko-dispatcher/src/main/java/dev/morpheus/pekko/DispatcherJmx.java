package dev.morpheus.pekko;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link MorpheusDispatcherMXBean} of one dispatcher, and its registration with the platform MBean server. */
final class DispatcherJmx implements MorpheusDispatcherMXBean {
    private static final Logger LOG = LoggerFactory.getLogger(DispatcherJmx.class);

    /** Live systems of one name in one JVM that get a bean each. */
    static final int MAX_INSTANCES = 1000;

    private final MorpheusDispatcher dispatcher;
    private volatile ObjectName registeredAs;

    DispatcherJmx(MorpheusDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /**
     * Registers the bean under a name unique to this dispatcher of this actor-system instance:
     * {@code dev.morpheus:type=PekkoDispatcher,system=<name>,dispatcher=<id>} for the first
     * system of that name in the JVM, {@code ...,instance=<n>} (the lowest free n) for further
     * live systems of the same name (clusters formed in one JVM, tests). Safe against systems
     * registering at the same moment: a name taken in between is skipped, not reported. Never
     * throws; a failure other than a taken name is logged.
     */
    void register(String systemName) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        String base = "dev.morpheus:type=PekkoDispatcher,system=" + ObjectName.quote(systemName) + ",dispatcher="
                + ObjectName.quote(dispatcher.id());
        try {
            for (int n = 0; n < MAX_INSTANCES; n++) {
                ObjectName name = new ObjectName(n == 0 ? base : base + ",instance=" + n);
                if (server.isRegistered(name)) {
                    continue;
                }
                try {
                    server.registerMBean(this, name);
                    registeredAs = name;
                    return;
                } catch (InstanceAlreadyExistsException taken) {
                    // another system of the same name registered it since isRegistered: next one
                }
            }
            LOG.warn("Morpheus dispatcher {}: no JMX bean: {} systems named {} already registered one", dispatcher.id(),
                    MAX_INSTANCES, systemName);
        } catch (JMException | RuntimeException e) {
            LOG.warn("Morpheus dispatcher {}: JMX registration failed: {}", dispatcher.id(), e.toString());
        }
    }

    void unregister() {
        ObjectName name = registeredAs;
        if (name == null) {
            return;
        }
        registeredAs = null;
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException e) {
            LOG.debug("Morpheus dispatcher {}: JMX unregistration failed: {}", dispatcher.id(), e.toString());
        }
    }

    ObjectName objectName() {
        return registeredAs;
    }

    /** A full snapshot (allocates: only for the yields map; every other getter reads its one counter). */
    private MorpheusDispatcherStats s() {
        return dispatcher.stats();
    }

    @Override
    public String getDispatcherId() {
        return dispatcher.id();
    }

    @Override
    public String getHintSource() {
        return dispatcher.morpheus().hintSourceName();
    }

    @Override
    public String getExecutor() {
        return dispatcher.executorKind();
    }

    @Override
    public String getMode() {
        return dispatcher.morpheus().mode().name();
    }

    @Override
    public int getMaxBatch() {
        return dispatcher.settings().maxBatch();
    }

    @Override
    public int getLiveWorkers() {
        return dispatcher.morpheus().liveWorkers();
    }

    @Override
    public long getRegisteredWorkers() {
        return dispatcher.morpheus().registeredTotal();
    }

    @Override
    public long getHintsPosted() {
        return dispatcher.morpheus().hintsPosted();
    }

    @Override
    public long getHintsAnswered() {
        return dispatcher.morpheus().hintsAnswered();
    }

    @Override
    public Map<String, Long> getYieldsByCause() {
        Map<String, Long> m = new LinkedHashMap<>();
        s().yields().forEach((c, n) -> m.put(c.name(), n));
        return m;
    }

    @Override
    public long getBatchesCutByHint() {
        return dispatcher.runtime().cutByHint.sum();
    }

    @Override
    public long getBatchesCutByDeadline() {
        return dispatcher.runtime().cutByDeadline.sum();
    }

    @Override
    public long getBatchesCutByHandover() {
        return dispatcher.runtime().cutByHandover.sum();
    }

    @Override
    public long getCpuYields() {
        return dispatcher.runtime().cpuYields.sum();
    }

    @Override
    public long getBatchesAtBudget() {
        return dispatcher.runtime().endedAtBudget.sum();
    }

    @Override
    public long getActorsChecked() {
        return dispatcher.runtime().actorsChecked.sum();
    }

    @Override
    public long getActorsCritical() {
        return dispatcher.runtime().actorsCritical.sum();
    }

    @Override
    public long getActorsUnchecked() {
        return dispatcher.runtime().actorsUnchecked.sum();
    }

    @Override
    public long getPendingWork() {
        return dispatcher.pendingWork();
    }
}
