package dev.morpheus.pekko;

/**
 * Marker for classic actors whose every message must run inside a Morpheus critical section:
 * on a Morpheus dispatcher a batch of theirs is one section, not cut by hints and not
 * force-preempted by an enforcing kernel mid-message, for up to {@code morpheus.max-critical}
 * (then a waiting hint ends the batch at a message boundary). Use for short handlers that hold
 * locks or talk to native code.
 *
 * <pre>
 *   public class LedgerWriter extends AbstractActor implements CriticalActor { ... }
 * </pre>
 * Typed actors cannot use a marker (their classic class is Pekko's adapter): tag them instead,
 * {@code ActorTags.create("morpheus-critical")} (the tag name is the dispatcher's
 * {@code morpheus.critical-tag}); classic actors may be tagged too ({@link MorpheusProps#critical}).
 */
public interface CriticalActor {}
