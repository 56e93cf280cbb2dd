package io.dataflare.engine.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The write-ahead record of a {@link FileStateStore} transaction: every write it makes, resolved (the new
 * version of each key, the sequence number of each record), followed by a CRC32C of the whole. It is written
 * to a temporary file, forced and atomically renamed to {@code <dir>/.txn/redo}: that rename is the commit. A
 * crash before it leaves only a temporary file (discarded); after it, the store applies the redo again when
 * it next takes its lock, which is harmless because every write in it is idempotent.
 */
final class RedoFile {
    private static final int MAGIC = 0x44465458; // "DFTX"
    private static final int FORMAT = 1;

    /** One resolved write. */
    sealed interface Write permits Put, Delete, Append {}

    record Put(StateRef ref, long version, String value) implements Write {}

    record Delete(StateRef ref) implements Write {}

    record Append(StateRef log, long first, List<String> records) implements Write {}

    private RedoFile() {}

    /** Makes {@code writes} the store's pending transaction, durably. */
    static void commit(Path redo, List<Write> writes) throws IOException {
        DurableFiles.replace(redo, encode(writes), FaultInjection::duringRedoWrite);
    }

    /** The pending transaction, if a writer died before it finished applying one. */
    static Optional<List<Write>> pending(Path redo) throws IOException {
        byte[] b;
        try {
            b = Files.readAllBytes(redo);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        CRC32C crc = new CRC32C();
        if (b.length >= 4) crc.update(b, 0, b.length - 4);
        if (b.length < 12 || (int) crc.getValue() != ByteBuffer.wrap(b).getInt(b.length - 4))
            throw new StateStoreException("the pending transaction " + redo + " is damaged (checksum mismatch):"
                    + " the disk lost data it had confirmed; restore the state directory from a backup");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b, 0, b.length - 4))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT)
                throw new StateStoreException("the file " + redo + " is not a pending transaction of this version");
            int n = in.readInt();
            List<Write> writes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int type = in.readByte();
                StateRef ref = new StateRef(string(in), string(in));
                writes.add(
                        switch (type) {
                            case 'P' -> new Put(ref, in.readLong(), string(in));
                            case 'D' -> new Delete(ref);
                            case 'A' -> {
                                long first = in.readLong();
                                int count = in.readInt();
                                List<String> records = new ArrayList<>(count);
                                for (int r = 0; r < count; r++) records.add(string(in));
                                yield new Append(ref, first, records);
                            }
                            default -> throw new StateStoreException("unknown write '" + (char) type + "' in " + redo);
                        });
            }
            return Optional.of(writes);
        }
    }

    private static byte[] encode(List<Write> writes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeInt(writes.size());
        for (Write w : writes) {
            switch (w) {
                case Put p -> {
                    out.writeByte('P');
                    ref(out, p.ref());
                    out.writeLong(p.version());
                    string(out, p.value());
                }
                case Delete d -> {
                    out.writeByte('D');
                    ref(out, d.ref());
                }
                case Append a -> {
                    out.writeByte('A');
                    ref(out, a.log());
                    out.writeLong(a.first());
                    out.writeInt(a.records().size());
                    for (String r : a.records()) string(out, r);
                }
            }
        }
        out.flush();
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        out.flush();
        return bytes.toByteArray();
    }

    private static void ref(DataOutputStream out, StateRef ref) throws IOException {
        string(out, ref.namespace());
        string(out, ref.name());
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String string(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
