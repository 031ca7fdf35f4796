package dev.morpheus.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {
    @Test
    void parsesListsAndNumbersInBothForms() {
        Options o = Options.parse(new String[] {"--workers", "1,8", "--duration=2.5", "--modes", "naive,morpheus", "--contend", "3"});
        assertEquals(List.of(1, 8), o.workers);
        assertEquals(2.5, o.durationS);
        assertEquals(List.of("naive", "morpheus"), o.modes);
        assertEquals(3, o.contend);
        assertEquals("morpheus", o.morpheusExecutor);
        assertEquals("thread-pool", Options.parse(new String[] {"--morpheus-executor", "thread-pool"}).morpheusExecutor);
        assertEquals("fork-join", Options.parse(new String[] {"--morpheus-executor", "fork-join"}).morpheusExecutor);
    }

    @Test
    void quickShortensRunsButExplicitOptionsWin() {
        Options o = Options.parse(new String[] {"--duration", "4", "--quick"});
        assertTrue(o.quick);
        assertEquals(4.0, o.durationS);
        assertTrue(o.pipelineItems < new Options().pipelineItems);
    }

    @Test
    void badValuesNameTheOptionTheValueAndTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Options.parse(new String[] {"--threads", "0"}));
        assertTrue(e.getMessage().contains("--threads") && e.getMessage().contains("0") && e.getMessage().contains("between 1 and 256"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--modes", "naive,fast"}));
        assertTrue(e.getMessage().contains("'fast'") && e.getMessage().contains("morpheus-direct"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--duration", "x"}));
        assertTrue(e.getMessage().contains("--duration") && e.getMessage().contains("'x'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--morpheus-executor", "affinity"}));
        assertTrue(e.getMessage().contains("'affinity'") && e.getMessage().contains("morpheus, thread-pool or fork-join"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--nope", "1"}));
        assertTrue(e.getMessage().contains("--nope"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--workers"}));
        assertTrue(e.getMessage().contains("needs a value"), e.getMessage());
    }
}
