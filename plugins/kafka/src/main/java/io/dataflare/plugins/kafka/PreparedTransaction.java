package io.dataflare.plugins.kafka;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.internals.TransactionManager;
import org.apache.kafka.common.utils.internals.ProducerIdAndEpoch;

/**
 * The producer id and epoch of a transactional producer's open transaction, and committing such a
 * transaction from another producer after the first one died.
 *
 * <p>Why reflection: a transaction prepared before a checkpoint was saved must be committed by the next
 * run, but {@link KafkaProducer#initTransactions()} aborts whatever the transactional id left open, and
 * kafka-clients 4.4 has no public way to take it over (KIP-939's {@code initTransactions(keepPreparedTxn)}
 * needs {@code transaction.two.phase.commit.enable} on the broker and is not on {@code KafkaProducer} yet).
 * So the new producer is put into the dead one's transaction by hand, as Apache Flink's Kafka sink does:
 * its transaction manager gets the saved producer id and epoch and the state "in a transaction with
 * records", then {@link Producer#commitTransaction()} sends the coordinator the commit for exactly that
 * producer id and epoch. A broker that no longer has that transaction open answers with a fencing error.
 * Everything that depends on the client's internals is in this class; {@link #check()} fails with a clear
 * message when a kafka-clients version no longer has them.
 */
final class PreparedTransaction {
    private static final String INCOMPATIBLE =
            "kafka sink: this kafka-clients version does not have the internals exactly-once delivery uses to"
                    + " commit a transaction after a restart (";

    private PreparedTransaction() {}

    /** The producer id and epoch {@code producer}'s current transaction runs under. */
    static ProducerIdAndEpoch of(Producer<?, ?> producer) {
        TransactionManager tm = transactionManager(producer);
        return (ProducerIdAndEpoch) get(field(TransactionManager.class, "producerIdAndEpoch"), tm);
    }

    /**
     * Makes {@code producer} (new, transactional, with the dead producer's transactional id, never
     * initialized) continue the transaction of {@code producerId}/{@code epoch}: its next
     * {@code commitTransaction()} commits that transaction. Call after the producer has talked to the
     * cluster (so that it knows the broker's transaction protocol version).
     */
    static void resume(Producer<?, ?> producer, long producerId, short epoch) {
        TransactionManager tm = transactionManager(producer);
        synchronized (tm) {
            // the transaction protocol the cluster speaks (learnt from its first connection), as initTransactions does
            invoke(tm, "maybeUpdateTransactionV2Enabled", new Class<?>[] {boolean.class}, true);
            transitionTo(tm, "INITIALIZING");
            invoke(get(field(TransactionManager.class, "txnPartitionMap"), tm), "reset", new Class<?>[0]);
            set(field(TransactionManager.class, "producerIdAndEpoch"), tm, new ProducerIdAndEpoch(producerId, epoch));
            transitionTo(tm, "READY");
            transitionTo(tm, "IN_TRANSACTION");
            // without it commitTransaction() thinks nothing was sent and does not ask the coordinator at all
            set(field(TransactionManager.class, "transactionStarted"), tm, true);
        }
    }

    /** Fails now, with the reason, when the internals this class uses are missing. */
    static void check() {
        field(KafkaProducer.class, "transactionManager");
        field(TransactionManager.class, "producerIdAndEpoch");
        field(TransactionManager.class, "txnPartitionMap");
        field(TransactionManager.class, "transactionStarted");
        method(TransactionManager.class, "maybeUpdateTransactionV2Enabled", boolean.class);
        method(TransactionManager.class, "transitionTo", stateClass());
        for (String s : new String[] {"INITIALIZING", "READY", "IN_TRANSACTION"}) state(s);
    }

    private static TransactionManager transactionManager(Producer<?, ?> producer) {
        if (!(producer instanceof KafkaProducer<?, ?>)) {
            throw new IllegalArgumentException("kafka sink: exactly-once needs a KafkaProducer, not "
                    + producer.getClass().getName());
        }
        TransactionManager tm = (TransactionManager) get(field(KafkaProducer.class, "transactionManager"), producer);
        if (tm == null || !tm.isTransactional()) {
            throw new IllegalArgumentException("kafka sink: the producer is not transactional");
        }
        return tm;
    }

    private static void transitionTo(TransactionManager tm, String state) {
        invoke(tm, "transitionTo", new Class<?>[] {stateClass()}, state(state));
    }

    private static Class<?> stateClass() {
        for (Class<?> c : TransactionManager.class.getDeclaredClasses()) {
            if (c.getSimpleName().equals("State") && c.isEnum()) return c;
        }
        throw new IllegalStateException(INCOMPATIBLE + "TransactionManager.State is missing)");
    }

    private static Object state(String name) {
        for (Object c : stateClass().getEnumConstants()) {
            if (((Enum<?>) c).name().equals(name)) return c;
        }
        throw new IllegalStateException(INCOMPATIBLE + "TransactionManager.State." + name + " is missing)");
    }

    private static Field field(Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) {
            throw new IllegalStateException(INCOMPATIBLE + owner.getSimpleName() + "." + name + " is missing)", e);
        }
    }

    private static Method method(Class<?> owner, String name, Class<?>... types) {
        try {
            Method m = owner.getDeclaredMethod(name, types);
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new IllegalStateException(INCOMPATIBLE + owner.getSimpleName() + "." + name + "() is missing)", e);
        }
    }

    private static Object get(Field f, Object target) {
        try {
            return f.get(target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(INCOMPATIBLE + f.getName() + " is not accessible)", e);
        }
    }

    private static void set(Field f, Object target, Object value) {
        try {
            f.set(target, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(INCOMPATIBLE + f.getName() + " is not accessible)", e);
        }
    }

    private static Object invoke(Object target, String name, Class<?>[] types, Object... args) {
        Method m = method(target.getClass(), name, types);
        try {
            return m.invoke(target, args);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(INCOMPATIBLE + name + "() is not accessible)", e);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }
}
