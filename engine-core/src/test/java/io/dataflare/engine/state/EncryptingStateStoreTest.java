package io.dataflare.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.engine.state.keyed.DirectorySnapshotFiles;
import io.dataflare.engine.state.keyed.SnapshotEncryption;
import io.dataflare.engine.state.keyed.SnapshotFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract holds through the encrypting decorator over a file store; and at rest nothing of a value,
 * a log record or a snapshot file is in clear, a changed byte is refused naming the key, and rotation works.
 */
class EncryptingStateStoreTest extends StateStoreContract {
    private static final String KEY_A = EncryptionKeys.generate();
    private static final String KEY_B = EncryptionKeys.generate();
    private static final String SECRET = "plain-secret-value-9431";

    @TempDir
    Path dir;

    @Override
    StateStore store() {
        return StateEncryption.protect(new FileStateStore(dir.resolve("state")), EncryptionKeys.of(KEY_A));
    }

    private static Path directory(StateStore store) {
        return ((FileStateStore) StateEncryption.unwrap(store)).directory();
    }

    @Override
    String url(StateStore store) {
        return "file:" + directory(store);
    }

    @Override
    StateStore another(StateStore store) {
        return StateEncryption.protect(StateStores.open(url(store)), EncryptionKeys.of(KEY_A));
    }

    @Override
    StateStore reopen(StateStore store) {
        return StateEncryption.protect(new FileStateStore(directory(store)), EncryptionKeys.of(KEY_A));
    }

    private void writeEverything(StateStore s) {
        s.put("checkpoints", "p", "{\"v\":\"" + SECRET + "\"}");
        s.append("spool", "t.in", "[\"" + SECRET + "\"]");
        s.transaction()
                .put("tasks", "t", SECRET)
                .append("history", "wf-1", SECRET)
                .commit();
    }

    @Test
    void nothingIsInClearAtRestAndAllReadsBack() throws Exception {
        StateStore s = store();
        writeEverything(s);
        SnapshotFiles files =
                SnapshotEncryption.protect(new DirectorySnapshotFiles(dir.resolve("state/keyed-state/p")), s);
        files.write("1.snap", SECRET.getBytes(StandardCharsets.UTF_8));
        assertThat(filesContaining(SECRET)).isEmpty();

        StateStore again = reopen(s);
        assertThat(again.get("checkpoints", "p")).contains("{\"v\":\"" + SECRET + "\"}");
        assertThat(again.get("tasks", "t")).contains(SECRET);
        assertThat(again.read("spool", "t.in", 1, 10))
                .extracting(LogRecord::data)
                .containsExactly("[\"" + SECRET + "\"]");
        assertThat(again.read("history", "wf-1", 1, 10))
                .extracting(LogRecord::data)
                .containsExactly(SECRET);
        assertThat(new String(files.read("1.snap"), StandardCharsets.UTF_8)).isEqualTo(SECRET);
    }

    @Test
    void withoutAKeyTheSameWritesAreInClear() throws Exception {
        writeEverything(new FileStateStore(dir.resolve("state")));
        assertThat(filesContaining(SECRET)).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void aChangedByteOfALogRecordOrSnapshotFileIsRefusedNamingIt() throws Exception {
        StateStore s = store();
        s.append("spool", "t.in", SECRET);
        SnapshotFiles files =
                SnapshotEncryption.protect(new DirectorySnapshotFiles(dir.resolve("state/keyed-state/p")), s);
        files.write("1.snap", SECRET.getBytes(StandardCharsets.UTF_8));

        Path snap = dir.resolve("state/keyed-state/p/1.snap");
        byte[] b = Files.readAllBytes(snap);
        b[b.length - 1] ^= 1;
        Files.write(snap, b);
        assertThatThrownBy(() -> files.read("1.snap"))
                .isInstanceOf(StateIntegrityException.class)
                .hasMessageContaining("1.snap")
                .hasMessageContaining("was modified");

        // a record's ciphertext moved to another log is refused like a modified one
        StateStore raw = StateEncryption.unwrap(s);
        String sealed = raw.read("spool", "t.in", 1, 1).get(0).data();
        raw.append("spool", "other", sealed);
        assertThatThrownBy(() -> s.read("spool", "other", 1, 1))
                .isInstanceOf(StateIntegrityException.class)
                .hasMessageContaining("spool/other")
                .hasMessageContaining("key " + EncryptionKeys.of(KEY_A).newestId());
    }

    @Test
    void stateInClearIsRefusedWithAKeyUntilRekeyed() {
        FileStateStore raw = new FileStateStore(dir.resolve("state"));
        raw.put("tasks", "t", SECRET);
        StateStore s = StateEncryption.protect(raw, EncryptionKeys.of(KEY_A));
        assertThatThrownBy(() -> s.get("tasks", "t"))
                .isInstanceOf(StateIntegrityException.class)
                .hasMessageContaining("in clear")
                .hasMessageContaining("dataflare state rekey");
        StateEncryption.rekey(raw, EncryptionKeys.of(KEY_A));
        assertThat(s.get("tasks", "t")).contains(SECRET);
    }

    @Test
    void rekeyMovesValuesLogsAndFilesToTheNewestKey() throws Exception {
        StateStore s = store();
        writeEverything(s);
        SnapshotFiles files =
                SnapshotEncryption.protect(new DirectorySnapshotFiles(dir.resolve("state/keyed-state/p")), s);
        files.write("1.snap", SECRET.getBytes(StandardCharsets.UTF_8));
        String idA = EncryptionKeys.of(KEY_A).newestId();
        EncryptionKeys both = EncryptionKeys.of(KEY_A, KEY_B);
        FileStateStore raw = new FileStateStore(directory(s));

        StateStore rotated = StateEncryption.protect(raw, both);
        assertThat(rotated.get("tasks", "t")).as("the old key still decrypts").contains(SECRET);
        assertThat(filesContaining(idA)).isNotEmpty();

        StateEncryption.Rekeyed r = StateEncryption.rekey(raw, both);
        assertThat(r.keyId()).isEqualTo(both.newestId()).isNotEqualTo(idA);
        assertThat(SnapshotEncryption.rekey(raw, both)).isEqualTo(1);
        assertThat(filesContaining(idA)).as("nothing left of the old key").isEmpty();

        StateStore onlyB = StateEncryption.protect(new FileStateStore(raw.directory()), EncryptionKeys.of(KEY_B));
        assertThat(onlyB.get("tasks", "t")).contains(SECRET);
        assertThat(onlyB.read("history", "wf-1", 1, 10))
                .extracting(LogRecord::data)
                .containsExactly(SECRET);
        assertThat(new String(
                        SnapshotEncryption.protect(
                                        new DirectorySnapshotFiles(dir.resolve("state/keyed-state/p")), onlyB)
                                .read("1.snap"),
                        StandardCharsets.UTF_8))
                .isEqualTo(SECRET);
        assertThatThrownBy(() -> StateEncryption.protect(new FileStateStore(raw.directory()), EncryptionKeys.none()))
                .isInstanceOf(StateIntegrityException.class)
                .hasMessageContaining("is encrypted (key " + both.newestId() + ")");
    }

    @Test
    void malformedKeysAreNamed() {
        assertThatThrownBy(() -> EncryptionKeys.fromEnvironment(
                        n -> n.equals(EncryptionKeys.KEY_VARIABLE) ? KEY_A + ",c2hvcnQ=" : null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DATAFLARE_ENCRYPTION_KEY key 2")
                .hasMessageContaining("32 bytes");
    }

    @Test
    void keysComeFromAFileOldestFirst() throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), "# rotation\n" + KEY_A + "\n\n" + KEY_B + "\n");
        EncryptionKeys keys = EncryptionKeys.fromEnvironment(
                n -> n.equals(EncryptionKeys.KEY_FILE_VARIABLE) ? file.toString() : null);
        assertThat(keys.ids()).hasSize(2);
        assertThat(keys.newestId()).isEqualTo(EncryptionKeys.of(KEY_B).newestId());
    }

    private List<Path> filesContaining(String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> {
                        try {
                            return indexOf(Files.readAllBytes(f), needle) >= 0;
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .toList();
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
