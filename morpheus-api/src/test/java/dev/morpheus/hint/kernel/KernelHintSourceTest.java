package dev.morpheus.hint.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.morpheus.Morpheus;
import dev.morpheus.MorpheusConfig;
import dev.morpheus.hint.HintSourceContext;
import dev.morpheus.hint.HintSourceSettings;
import dev.morpheus.hint.HintSourceException;
import dev.morpheus.hint.HintSourceProvider;
import dev.morpheus.hint.HintSources;
import dev.morpheus.hint.ScbBinding;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The kernel hint source without a daemon: discovery, refusal with a reason, fallback. */
class KernelHintSourceTest {

    private static HintSourceContext context(MorpheusConfig config) {
        return new HintSourceContext() {
            @Override
            public HintSourceSettings settings() {
                return config.hintSourceSettings();
            }

            @Override
            public long pendingWork() {
                return 0;
            }

            @Override
            public void rebind(ScbBinding old, ScbBinding fresh) {}
        };
    }

    @Test
    void providerIsFoundThroughTheServiceLoaderAboveTheInProcessSources() {
        Optional<HintSourceProvider> kernel = HintSources.providers().stream().filter(p -> p.name().equals("kernel")).findFirst();
        assertTrue(kernel.isPresent(), "kernel provider registered in META-INF/services");
        for (HintSourceProvider p : HintSources.providers()) {
            if (!p.name().equals("kernel")) {
                assertTrue(kernel.get().autoPriority() > p.autoPriority(), "kernel preferred over " + p.name());
            }
        }
    }

    @Test
    void libmorpheusLoadsFromTheBuild() {
        java.nio.file.Path lib = java.nio.file.Path.of(System.getProperty("morpheus.root", ".."), "build/native/libmorpheus.so");
        dev.morpheus.CiAssume.require(java.nio.file.Files.exists(lib), lib + " not built (make native)");
        assertEquals(null, NativeMorpheus.loadError(), "libmorpheus from jna.library.path");
    }

    @Test
    void noDaemonMeansUnavailableWithTheSocketNamed() throws Exception {
        MorpheusConfig config = MorpheusConfig.builder().hintSource("kernel").socket("/nonexistent/morpheusd.sock").build();
        HintSourceProvider p = new KernelHintSourceProvider();
        Optional<String> why = p.unavailableReason(context(config));
        assertTrue(why.isPresent() && why.get().contains("/nonexistent/morpheusd.sock"), String.valueOf(why));
        HintSourceException e = assertThrows(HintSourceException.class, () -> p.create(context(config)));
        assertTrue(e.getMessage().contains("/nonexistent/morpheusd.sock"), e.getMessage());
    }

    @Test
    void autoFallsBackToAnInProcessSourceWhenNoDaemonAnswers() {
        MorpheusConfig config = MorpheusConfig.builder().hintSource("auto").socket("/nonexistent/morpheusd.sock").build();
        try (Morpheus m = Morpheus.open("auto-no-daemon", config)) {
            assertNotEquals("kernel", m.hintSourceName());
        }
    }
}
