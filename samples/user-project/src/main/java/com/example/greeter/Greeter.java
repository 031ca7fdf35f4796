package com.example.greeter;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** A typed actor that answers each greeting with the name of the thread that ran it. */
public final class Greeter {
    /** A greeting to answer. */
    public record Greet(String whom, ActorRef<Greeted> replyTo) {}

    /** The answer: who was greeted, on which thread. */
    public record Greeted(String whom, String thread) {}

    private Greeter() {}

    public static Behavior<Greet> create() {
        return Behaviors.receiveMessage(g -> {
            g.replyTo().tell(new Greeted(g.whom(), Thread.currentThread().getName()));
            return Behaviors.same();
        });
    }
}
