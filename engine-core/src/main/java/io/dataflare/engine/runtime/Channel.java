package io.dataflare.engine.runtime;

import io.dataflare.api.data.RecordBatch;
import java.util.concurrent.TimeUnit;

/**
 * The input of a stage: bounded queue(s) of batches between its producers and its instances. A full
 * queue blocks the producer, which is how a slow stage slows everything upstream and memory stays
 * bounded. Each producer instance calls {@link #producerDone()} once; after the last one every
 * consumer instance receives {@link #END}.
 */
interface Channel {
    /** Marks the end of input for a consumer instance. */
    Object END = new Object() {
        @Override
        public String toString() {
            return "END";
        }
    };

    /** Sends a batch with no read time (dead letters): like {@link #send(RecordBatch, long)}. */
    default void send(RecordBatch batch) throws InterruptedException {
        send(batch, TimedBatch.UNTIMED);
    }

    /**
     * Sends a batch whose records the source read at {@code readNanos} to the stage (blocks while the queue is
     * full); consumers take it as a {@link TimedBatch}.
     */
    void send(RecordBatch batch, long readNanos) throws InterruptedException;

    /** The next batch for consumer {@code instance}, or {@link #END}. Blocks while empty. */
    Object take(int instance) throws InterruptedException;

    /** Like {@link #take}, but gives up after {@code timeout}: null when nothing came. */
    Object poll(int instance, long timeout, TimeUnit unit) throws InterruptedException;

    /** Puts a control marker (a checkpoint barrier) in front of every consumer instance; not counted in flight. */
    void control(Object marker) throws InterruptedException;

    /**
     * Adds a producer for a while (dead letters put back into the stage), unless every producer has finished (the
     * stage's end of input is on its way): false then. One who joined calls {@link #producerDone()} when done.
     */
    boolean join();

    /** One producer instance has finished. */
    void producerDone() throws InterruptedException;

    /** Batches waiting, all instances together. */
    int queued();

    /** How many batches the queue(s) hold at most, all instances together. */
    int capacity();
}
