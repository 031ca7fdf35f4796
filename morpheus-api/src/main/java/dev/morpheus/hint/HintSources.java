package dev.morpheus.hint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and creates hint sources by name. The in-process sources are built in; others (the
 * kernel source) register a {@link HintSourceProvider} with {@link ServiceLoader}.
 * {@code auto} tries the available sources from the highest {@link HintSourceProvider#autoPriority()}
 * down (kernel &gt; procfs &gt; queue) and logs one line saying which it chose and why.
 */
public final class HintSources {
    private static final Logger LOG = LoggerFactory.getLogger(HintSources.class);

    private HintSources() {}

    /** Every provider known: built-ins and those on the class path. */
    public static List<HintSourceProvider> providers() {
        List<HintSourceProvider> all = new ArrayList<>(List.of(
                builtIn("procfs", 50, c -> ProcfsHintSource.unavailableReason(), ProcfsHintSource::new),
                builtIn("queue", 10, c -> Optional.empty(), QueueHintSource::new),
                builtIn("manual", -1, c -> Optional.empty(), ManualHintSource::new),
                builtIn("none", -1, c -> Optional.empty(), NoHintSource::new)));
        for (HintSourceProvider p : ServiceLoader.load(HintSourceProvider.class, HintSources.class.getClassLoader())) {
            all.add(p);
        }
        return all;
    }

    /**
     * Creates the source the configuration names ({@code hint-source}).
     * @throws HintSourceException when the named source cannot be created here
     */
    public static HintSource create(HintSourceContext context) throws HintSourceException {
        String wanted = context.settings().hintSource();
        List<HintSourceProvider> all = providers();
        if (!"auto".equals(wanted)) {
            for (HintSourceProvider p : all) {
                if (p.name().equals(wanted)) {
                    HintSource s = p.create(context);
                    LOG.info("Morpheus hint source: {} (configured)", s.name());
                    return s;
                }
            }
            throw new HintSourceException("hint-source = " + wanted + " is not available: no provider on the class path");
        }
        List<String> skipped = new ArrayList<>();
        all.sort(Comparator.comparingInt(HintSourceProvider::autoPriority).reversed());
        for (HintSourceProvider p : all) {
            if (p.autoPriority() < 0) {
                continue;
            }
            Optional<String> why = p.unavailableReason(context);
            if (why.isPresent()) {
                skipped.add(p.name() + ": " + why.get());
                continue;
            }
            try {
                HintSource s = p.create(context);
                LOG.info("Morpheus hint source: {} (auto{})", s.name(), skipped.isEmpty() ? "" : "; skipped " + String.join("; ", skipped));
                return s;
            } catch (HintSourceException e) {
                skipped.add(p.name() + ": " + e.getMessage());
            }
        }
        throw new HintSourceException("hint-source = auto found no usable source: " + String.join("; ", skipped));
    }

    private interface Factory {
        HintSource create(HintSourceContext c) throws HintSourceException;
    }

    private static HintSourceProvider builtIn(String name, int priority,
                                              java.util.function.Function<HintSourceContext, Optional<String>> probe,
                                              Factory factory) {
        return new HintSourceProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int autoPriority() {
                return priority;
            }

            @Override
            public Optional<String> unavailableReason(HintSourceContext context) {
                return probe.apply(context);
            }

            @Override
            public HintSource create(HintSourceContext context) throws HintSourceException {
                return factory.create(context);
            }
        };
    }
}
