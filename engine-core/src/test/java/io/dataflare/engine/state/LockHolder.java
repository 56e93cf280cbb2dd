package io.dataflare.engine.state;

/** A separate process that takes a state lock and holds it until it is killed: {@code LockHolder URL NAME OWNER}. */
public final class LockHolder {
    private LockHolder() {}

    public static void main(String[] args) throws Exception {
        StateStore store = StateStores.open(args[0]);
        store.lock(args[1], args[2]);
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
