package dev.morpheus.samples.cluster;

import org.apache.pekko.actor.Address;

/** Short node names for logs and replies: {@code host:port} of a cluster address. */
final class NodeNames {
    private NodeNames() {
    }

    static String of(Address address) {
        return address.host().getOrElse(() -> "local") + ":" + address.port().getOrElse(() -> 0);
    }
}
