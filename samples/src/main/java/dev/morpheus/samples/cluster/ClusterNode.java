package dev.morpheus.samples.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of one node of the cluster sample: {@code ClusterNode <port>} starts an
 * ActorSystem named {@value #SYSTEM_NAME} on 127.0.0.1:port with {@code cluster.conf} (seed
 * nodes 25251 and 25252) and runs until the node leaves the cluster. SIGTERM or Ctrl-C runs
 * Pekko's coordinated shutdown: a graceful leave with shard hand-off, then the JVM exits.
 * {@code scripts/cluster.sh} starts three of these.
 */
public final class ClusterNode {
    public static final String SYSTEM_NAME = "morpheus-cluster";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    private ClusterNode() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ClusterNode <port>   (1 - 65535; the seed nodes are 25251 and 25252)");
            System.exit(2);
        }
        int port;
        try {
            port = Integer.parseInt(args[0]);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            System.err.println("ClusterNode: port = " + args[0] + ": must be an integer between 1 and 65535");
            System.exit(2);
        }
        Config config = ConfigFactory.parseString("pekko.remote.artery.canonical.port = " + port)
                .withFallback(ConfigFactory.load("cluster"));
        SampleSettings settings = SampleSettings.from(config);
        LOG.info("starting node 127.0.0.1:{} (seeds {}), app actors on dispatcher '{}' ({})", port,
                config.getStringList("pekko.cluster.seed-nodes"), settings.appDispatcher(),
                config.getString(settings.appDispatcher() + ".type"));
        ActorSystem<Void> system = ActorSystem.create(ClusterSample.guardian(settings, new NodeStats()), SYSTEM_NAME, config);
        system.getWhenTerminated().toCompletableFuture().join();
        LOG.info("node 127.0.0.1:{} stopped", port);
    }
}
