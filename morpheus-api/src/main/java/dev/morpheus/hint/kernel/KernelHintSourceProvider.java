package dev.morpheus.hint.kernel;

import dev.morpheus.hint.HintSource;
import dev.morpheus.hint.HintSourceContext;
import dev.morpheus.hint.HintSourceException;
import dev.morpheus.hint.HintSourceProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code hint-source = kernel}: found through {@link java.util.ServiceLoader}. Preferred by
 * {@code auto} above every in-process source when libmorpheus loads and morpheusd answers.
 */
public final class KernelHintSourceProvider implements HintSourceProvider {
    /** Above procfs (50) and queue (10). */
    static final int AUTO_PRIORITY = 100;

    @Override
    public String name() {
        return KernelHintSource.NAME;
    }

    @Override
    public int autoPriority() {
        return AUTO_PRIORITY;
    }

    @Override
    public Optional<String> unavailableReason(HintSourceContext context) {
        // The socket first: without a daemon, auto moves on without loading any native code
        // (JNA's library load is what JDK 22+ warns about unless native access is enabled).
        Path socket = Path.of(context.settings().socket());
        if (!Files.exists(socket)) {
            return Optional.of("no morpheusd socket at " + socket);
        }
        String error = NativeMorpheus.loadError();
        if (error != null) {
            return Optional.of("libmorpheus not loadable: " + error);
        }
        return Optional.empty();
    }

    @Override
    public HintSource create(HintSourceContext context) throws HintSourceException {
        return KernelHintSource.open(context);
    }
}
