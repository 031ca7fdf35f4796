package dev.morpheus;

/**
 * One thread's life in a churn test, the same on the host and in the VM: register the calling
 * thread, run checkpoints for a while (answering any hint), mark it quiescing and close it.
 * What the thread leaves behind is what the churn tests look for ({@link KernelSourceHandles}).
 *
 * <p>In morpheus-api's test-jar, for KernelHintSourceDaemonTest and the VM's VmKernelChurn.
 *
 * @param managed     whether the worker got a kernel SCB (false: it ran on an in-process fallback)
 * @param checkpoints how many checkpoints it ran
 */
public record ChurnWorker(boolean managed, long checkpoints) {

    /** Lives one churn thread's life on the calling thread: registered, {@code nanos} of checkpoints, closed. */
    public static ChurnWorker live(Morpheus morpheus, long nanos) {
        MorpheusWorker w = morpheus.registerCurrentThread();
        boolean managed = w.managed();
        w.markRunning();
        long end = System.nanoTime() + nanos;
        long n = 0;
        do {
            if (w.checkpoint()) {
                w.acknowledgeHint();
            }
            n++;
        } while (System.nanoTime() < end);
        w.markQuiescing();
        w.close();
        return new ChurnWorker(managed, n);
    }
}
