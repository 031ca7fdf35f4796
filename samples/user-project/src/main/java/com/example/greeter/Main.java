package com.example.greeter;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The user's application: an actor system whose greeter runs on the Morpheus dispatcher of
 * application.conf; greets once and prints the answer.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "greeter");
        try {
            System.out.println(greetOnce(system, "world"));
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get();
        }
    }

    /** Spawns a greeter on greeter-dispatcher and asks it once. */
    public static Greeter.Greeted greetOnce(ActorSystem<?> system, String whom) throws Exception {
        ActorRef<Greeter.Greet> greeter = system.systemActorOf(Greeter.create(), "greeter-" + whom,
                DispatcherSelector.fromConfig("greeter-dispatcher"));
        CompletionStage<Greeter.Greeted> answer = AskPattern.ask(greeter,
                replyTo -> new Greeter.Greet(whom, replyTo), Duration.ofSeconds(5), system.scheduler());
        return answer.toCompletableFuture().get();
    }
}
