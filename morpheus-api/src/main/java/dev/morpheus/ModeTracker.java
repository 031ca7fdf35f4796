package dev.morpheus;

import dev.morpheus.abi.RuntimeMode;
import dev.morpheus.hint.Health;
import dev.morpheus.jfr.MorpheusEvents;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides an instance's runtime mode from what its hint source says, once per housekeeping tick:
 * <ul>
 *   <li>DEFENSIVE while the source reports itself lost or stale: hints cannot be trusted, so
 *       the housekeeper posts time-sliced DEFENSIVE hints itself;</li>
 *   <li>PRESSURED while a hint was posted or answered within the mode window;</li>
 *   <li>DETERMINISTIC otherwise: nobody is waiting, batches run to their bound.</li>
 * </ul>
 * Every change is logged (SLF4J, one line), recorded as a JFR event and told to listeners.
 */
final class ModeTracker {
    private static final Logger LOG = LoggerFactory.getLogger(ModeTracker.class);

    private final String instance;
    private final String sourceName;
    private final long windowNanos;
    private final List<Consumer<RuntimeMode>> listeners = new CopyOnWriteArrayList<>();
    private volatile RuntimeMode mode = RuntimeMode.DETERMINISTIC;
    /** Hint activity (posted + answered) at the last update; an instance starts with none. */
    private long lastActivity;
    private long lastHintAt;
    private long changes;

    ModeTracker(String instance, String sourceName, long windowNanos) {
        this.instance = instance;
        this.sourceName = sourceName;
        this.windowNanos = windowNanos;
    }

    RuntimeMode mode() {
        return mode;
    }

    long changes() {
        return changes;
    }

    void addListener(Consumer<RuntimeMode> listener) {
        listeners.add(listener);
    }

    /** Called by the housekeeper with the source's health and a count of hints seen so far. */
    void update(Health health, long hintActivity, long nowNanos) {
        if (hintActivity != lastActivity) {
            lastHintAt = nowNanos;
            lastActivity = hintActivity;
        }
        RuntimeMode next;
        if (!health.ok()) {
            next = RuntimeMode.DEFENSIVE;
        } else if (lastHintAt != 0 && nowNanos - lastHintAt <= windowNanos) {
            next = RuntimeMode.PRESSURED;
        } else {
            next = RuntimeMode.DETERMINISTIC;
        }
        if (next != mode) {
            String reason = switch (next) { // built on a change only: a tick allocates nothing
                case DEFENSIVE -> sourceName + " lost: " + health.reason();
                case PRESSURED -> "hints flowing from " + sourceName;
                case DETERMINISTIC -> mode == RuntimeMode.DEFENSIVE ? sourceName + " is back, no hints pending"
                        : "no hints for " + windowNanos / 1_000_000 + " ms";
            };
            RuntimeMode from = mode;
            mode = next;
            changes++;
            LOG.info("Morpheus {}: mode {} -> {} ({})", instance, from, next, reason);
            MorpheusEvents.modeChanged(instance, from, next, reason);
            for (Consumer<RuntimeMode> l : listeners) {
                l.accept(next);
            }
        }
    }
}
