package io.dataflare.engine.state;

import java.nio.file.Path;

/**
 * A separate process that appends {@code COUNT} records {@code NAME:i} to the log {@code history/shared} of a
 * file store, each in a transaction that also bumps the key {@code counters/NAME}: {@code LogAppender DIR NAME
 * COUNT}. Two of them at once show that writers of different processes take turns.
 */
public final class LogAppender {
    private LogAppender() {}

    public static void main(String[] args) {
        FileStateStore s = new FileStateStore(Path.of(args[0]));
        int count = Integer.parseInt(args[2]);
        for (int i = 1; i <= count; i++) {
            s.transaction()
                    .append("history", "shared", args[1] + ":" + i)
                    .put("counters", args[1], Integer.toString(i))
                    .commit();
        }
    }
}
