package dev.morpheus.pekko;

/**
 * Marker for classic actors whose every message must run inside a Morpheus critical section:
 * on a Morpheus dispatcher their batches are never cut by hints and an enforcing kernel will not
 * force-preempt them mid-message. Use for short handlers that hold locks or talk to native code.
 *
 * <pre>
 *   public class LedgerWriter extends AbstractActor implements CriticalActor { ... }
 * </pre>
 * Typed actors cannot use a marker (their classic class is Pekko's adapter): tag them instead,
 * {@code ActorTags.create("morpheus-critical")} (the tag name is the dispatcher's
 * {@code morpheus.critical-tag}); classic actors may be tagged too ({@link MorpheusProps#critical}).
 */
public interface CriticalActor {}
