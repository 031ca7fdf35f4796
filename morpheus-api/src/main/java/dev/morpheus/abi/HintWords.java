package dev.morpheus.abi;

import java.nio.ByteOrder;

/**
 * The two halves of a hint or ack word: the 64-bit SCB word that holds the kernel's sequence
 * ({@code kernel_hint_seq}) and the JVM posters' ({@code local_hint_seq}) side by side, so the
 * checkpoint reads both with one load (see {@link ScbLayout}). Pure arithmetic on a word already
 * read, the same on every JDK: {@link ScbAccess} does the reading.
 */
public final class HintWords {
    private HintWords() {}

    /** Where the 32-bit field at offset 0 of a 64-bit word sits in the word's value. */
    private static final int KERNEL_HALF_SHIFT = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0 : 32;
    private static final int LOCAL_HALF_SHIFT = 32 - KERNEL_HALF_SHIFT;

    /** The kernel's sequence ({@code kernel_hint_seq}) in a hint or ack word. */
    public static int kernelSeq(long word) {
        return (int) (word >>> KERNEL_HALF_SHIFT);
    }

    /** The JVM posters' sequence ({@code local_hint_seq}) in a hint or ack word. */
    public static int localSeq(long word) {
        return (int) (word >>> LOCAL_HALF_SHIFT);
    }

    /** Hints in a hint word: both sequences, unsigned (for counts over a span without a wrap of either). */
    public static long hintCount(long word) {
        return Integer.toUnsignedLong(kernelSeq(word)) + Integer.toUnsignedLong(localSeq(word));
    }
}
