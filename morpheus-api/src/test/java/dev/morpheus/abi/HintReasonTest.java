package dev.morpheus.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HintReasonTest {
    @Test
    void codesRoundTripBothWays() {
        for (HintReason r : HintReason.values()) {
            assertEquals(r, HintReason.fromCode(r.code()));
            assertEquals(r, HintReason.fromCodeOr(r.code(), HintReason.NONE));
        }
    }

    @Test
    void unknownCodesThrowOrFallBack() {
        int past = HintReason.values().length;
        assertThrows(IllegalArgumentException.class, () -> HintReason.fromCode(past));
        assertEquals(HintReason.NONE, HintReason.fromCodeOr(past, HintReason.NONE));
        assertEquals(HintReason.MANUAL, HintReason.fromCodeOr(-1, HintReason.MANUAL));
    }
}
