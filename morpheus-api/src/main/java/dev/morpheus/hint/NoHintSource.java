package dev.morpheus.hint;

/**
 * {@code hint-source = none}: never posts a hint. Workers run their batches to the configured
 * bound, exactly like Pekko's stock dispatcher; useful as a baseline and where hints are unwanted.
 */
public final class NoHintSource extends LocalHintSource {
    public NoHintSource(HintSourceContext context) {
        super(context);
    }

    @Override
    public String name() {
        return "none";
    }
}
