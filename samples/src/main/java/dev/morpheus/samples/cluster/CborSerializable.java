package dev.morpheus.samples.cluster;

/**
 * Marker for every message of the cluster sample that may cross the network. {@code cluster.conf}
 * binds it to Pekko's {@code jackson-cbor} serializer, so no message uses Java serialization
 * (which Pekko leaves disabled).
 */
public interface CborSerializable {
}
