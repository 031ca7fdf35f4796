package dev.morpheus.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class WorkerStateTest {
    @Test
    void allowedTransitionsAreExactlyTheDocumentedOnes() {
        for (WorkerState from : WorkerState.values()) {
            EnumSet<WorkerState> expected = switch (from) {
                case INIT -> EnumSet.of(WorkerState.REGISTERED, WorkerState.DEAD);
                case REGISTERED -> EnumSet.of(WorkerState.RUNNING, WorkerState.QUIESCING, WorkerState.DEAD);
                case RUNNING -> EnumSet.of(WorkerState.QUIESCING, WorkerState.DEAD);
                case QUIESCING -> EnumSet.of(WorkerState.RUNNING, WorkerState.DEAD);
                case DEAD -> EnumSet.noneOf(WorkerState.class);
            };
            for (WorkerState to : WorkerState.values()) {
                assertEquals(expected.contains(to), from.canMoveTo(to), from + " -> " + to);
            }
        }
    }

    @Test
    void deadIsFinalAndNothingGoesBackToInit() {
        for (WorkerState s : WorkerState.values()) {
            assertFalse(WorkerState.DEAD.canMoveTo(s));
            assertFalse(s.canMoveTo(WorkerState.INIT));
            assertTrue(s == WorkerState.DEAD || s.canMoveTo(WorkerState.DEAD));
        }
    }

    @Test
    void codesRoundTripAndBadCodesNameTheRange() {
        for (WorkerState s : WorkerState.values()) {
            assertEquals(s, WorkerState.fromCode(s.code()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorkerState.fromCode(9));
        assertTrue(e.getMessage().contains("9") && e.getMessage().contains("0 - 4"), e.getMessage());
    }

    @Test
    void unknownCodesFallBackWithoutThrowing() {
        for (WorkerState s : WorkerState.values()) {
            assertEquals(s, WorkerState.fromCodeOr(s.code(), WorkerState.DEAD));
        }
        assertEquals(WorkerState.DEAD, WorkerState.fromCodeOr(-1, WorkerState.DEAD));
        assertEquals(WorkerState.DEAD, WorkerState.fromCodeOr(5, WorkerState.DEAD));
    }
}
