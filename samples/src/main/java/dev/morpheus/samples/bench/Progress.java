package dev.morpheus.samples.bench;

/**
 * A progress bar on stderr for the whole run: redrawn in place on a terminal, one line per step
 * otherwise (logs, CI). Shows steps done, the current step and the estimated time left.
 */
final class Progress {
    private int total;
    private final boolean tty = System.console() != null;
    private final long start = System.nanoTime();
    private int done;

    Progress(int total) {
        this.total = Math.max(1, total);
    }

    void step(String what) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        String eta = done == 0 ? "?" : String.format("%.0fs", elapsed / done * (total - done));
        int width = 30;
        int filled = (int) Math.round(width * (double) done / total);
        String bar = "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
        String line = String.format("%s %3d/%d  %-44s eta %s", bar, done + 1, total, trim(what), eta);
        if (tty) {
            System.err.print("\r" + line + "   ");
        } else {
            System.err.println(line);
        }
        done++;
    }

    /** Steps that will not run (a point or scenario left out): they no longer count toward the estimate. */
    void skip(int steps) {
        total = Math.max(done + 1, total - steps);
    }

    void finish() {
        if (tty) {
            System.err.print("\r" + " ".repeat(100) + "\r");
        }
        System.err.printf("done: %d runs in %.1f s%n", done, (System.nanoTime() - start) / 1e9);
    }

    private static String trim(String s) {
        return s.length() <= 44 ? s : s.substring(0, 41) + "...";
    }
}
