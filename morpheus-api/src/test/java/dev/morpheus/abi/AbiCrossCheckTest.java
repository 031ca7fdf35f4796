package dev.morpheus.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compiles native/tools/abi_dump.c against bpf/include/morpheus_abi.h with the system's C
 * compiler, runs it, and compares every offset, size and constant it prints with the Java
 * mirror, in both directions: a constant missing on either side fails too.
 */
class AbiCrossCheckTest {
    private static final Map<String, Long> CONSTS = new HashMap<>();
    private static final Map<String, Map<String, Integer>> ENUMS = new HashMap<>();

    @BeforeAll
    static void dumpHeader() throws Exception {
        Path root = Path.of(System.getProperty("morpheus.root", "..")).toAbsolutePath().normalize();
        Path source = root.resolve("native/tools/abi_dump.c");
        Path include = root.resolve("bpf/include");
        assertTrue(Files.isRegularFile(source), "missing " + source);
        Path exe = Files.createTempFile("abi_dump", "");
        run(List.of(compiler(), "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-I", include.toString(),
                source.toString(), "-o", exe.toString()));
        for (String line : run(List.of(exe.toString()))) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals("CONST")) {
                CONSTS.put(f[1], Long.parseUnsignedLong(f[2]));
            } else if (f[0].equals("ENUM")) {
                ENUMS.computeIfAbsent(f[1], k -> new HashMap<>()).put(f[2].toUpperCase(Locale.ROOT), Integer.parseInt(f[3]));
            } else {
                fail("unexpected abi_dump line: " + line);
            }
        }
        Files.deleteIfExists(exe);
    }

    private static String compiler() {
        String cc = System.getenv("CC");
        return cc == null || cc.isBlank() ? "cc" : cc;
    }

    private static List<String> run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> out = new ArrayList<>(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
        assertEquals(0, p.exitValue(), () -> command + " failed:\n" + String.join("\n", out));
        return out;
    }

    @Test
    void everyHeaderConstantMatchesScbLayout() throws Exception {
        assertTrue(CONSTS.size() > 40, "abi_dump printed too few constants: " + CONSTS.size());
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, Long> e : CONSTS.entrySet()) {
            Field f;
            try {
                f = ScbLayout.class.getField(e.getKey());
            } catch (NoSuchFieldException missing) {
                mismatches.add(e.getKey() + ": in the header, missing in ScbLayout");
                continue;
            }
            long javaValue = ((Number) f.get(null)).longValue();
            long cValue = e.getValue();
            if (f.getType() == int.class) {
                javaValue = Integer.toUnsignedLong((int) javaValue);
            }
            if (javaValue != cValue) {
                mismatches.add(e.getKey() + ": header " + cValue + ", Java " + javaValue);
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void everyPublicScbLayoutConstantIsInTheHeader() {
        Set<String> missing = new HashSet<>();
        for (Field f : ScbLayout.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && !CONSTS.containsKey(f.getName())) {
                missing.add(f.getName());
            }
        }
        assertEquals(Set.of(), missing, "ScbLayout constants abi_dump does not print (add them to abi_dump.c)");
    }

    @Test
    void enumsMatchBothWays() {
        checkEnum(SchedulerMode.class, SchedulerMode::code);
        checkEnum(WorkerState.class, WorkerState::code);
        checkEnum(EscalationPolicy.class, EscalationPolicy::code);
        checkEnum(HintReason.class, HintReason::code);
        checkEnum(YieldCause.class, YieldCause::code);
        checkEnum(RuntimeMode.class, RuntimeMode::code);
        checkEnum(KernelStat.class, KernelStat::code);
        assertEquals(CONSTS.get("STAT_COUNT").intValue(), KernelStat.values().length);
    }

    private static <E extends Enum<E>> void checkEnum(Class<E> type, java.util.function.ToIntFunction<E> code) {
        Map<String, Integer> c = ENUMS.get(type.getSimpleName());
        assertTrue(c != null, "abi_dump prints no " + type.getSimpleName());
        Map<String, Integer> java = new HashMap<>();
        for (E e : type.getEnumConstants()) {
            java.put(e.name(), code.applyAsInt(e));
        }
        assertEquals(c, java, type.getSimpleName() + " differs from the header");
    }

    @Test
    void scbSplitsKernelAndRuntimeLinesAndIsAligned() {
        assertEquals(0, ScbLayout.SCB_HINT_WORD_OFFSET % 8, "the hint word is one aligned 64-bit load");
        assertEquals(ScbLayout.SCB_HINT_WORD_OFFSET + 4, ScbLayout.SCB_LOCAL_HINT_SEQ_OFFSET, "both sequences in the hint word");
        assertEquals(0, ScbLayout.SCB_ACK_WORD_OFFSET % 8, "the ack word is one aligned 64-bit store");
        assertEquals(ScbLayout.SCB_ACK_WORD_OFFSET + 4, ScbLayout.SCB_LOCAL_ACK_SEQ_OFFSET, "the ack word mirrors the hint word");
        assertEquals(ScbLayout.CACHE_LINE, ScbLayout.SCB_OWNER_TID_OFFSET);
        assertTrue(ScbLayout.SCB_HINT_LOSS_COUNT_OFFSET < ScbLayout.CACHE_LINE);
        assertTrue(ScbLayout.SCB_RUN_SEQ_OFFSET + 8 <= ScbLayout.SCB_SIZE);
        assertEquals(ScbLayout.REGION_SIZE, ScbLayout.regionSize(ScbLayout.MAX_SLOTS));
    }
}
