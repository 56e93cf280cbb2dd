package io.dataflare.engine.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksumsTest {
    // sha256sum of "abc" and of "abd"
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String ABD = "a52d159f262b2c6ddb724a61840befc36eb30c88877a4030b65cbe86298449c9";

    @TempDir
    Path dir;

    @Test
    void givesTheFilesSha256AgainWhenAskedTwice() throws Exception {
        Path f = Files.writeString(dir.resolve("a.jar"), "abc");
        assertThat(Checksums.sha256(f)).isEqualTo(ABC);
        assertThat(Checksums.sha256(dir.resolve("./a.jar"))).isEqualTo(ABC);
    }

    @Test
    void aFileRewrittenInPlaceIsDigestedAgain() throws Exception {
        Path f = Files.writeString(dir.resolve("b.jar"), "abc");
        FileTime before = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(f, before);
        assertThat(Checksums.sha256(f)).isEqualTo(ABC);
        // same size, same inode: only the modification time tells
        Files.write(f, "abd".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.TRUNCATE_EXISTING);
        Files.setLastModifiedTime(f, FileTime.fromMillis(before.toMillis() + 1));
        assertThat(Checksums.sha256(f)).isEqualTo(ABD);
    }

    @Test
    void aFileReplacedByAnotherIsDigestedAgainEvenWithTheSameTimeAndSize() throws Exception {
        Path f = Files.writeString(dir.resolve("c.jar"), "abc");
        FileTime t = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(f, t);
        assertThat(Checksums.sha256(f)).isEqualTo(ABC);
        Path other = Files.writeString(dir.resolve("c.jar.new"), "abd");
        Files.setLastModifiedTime(other, t);
        Files.move(other, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(Checksums.sha256(f)).isEqualTo(ABD);
    }

    @Test
    void aDigestRememberedByAnEarlierProcessIsUsedWithoutReadingTheFile() throws Exception {
        Path f = Files.writeString(dir.resolve("d.jar"), "abc");
        FileIdentity id = FileIdentity.of(f.toAbsolutePath().normalize());
        // what an earlier process wrote; a digest the content cannot have shows it was not read again
        new DigestCacheFile(dir.resolve("cache/plugin-digests")).put(id, ABD, settledAfter(id));
        assertThat(Checksums.sha256(f, new DigestCacheFile(dir.resolve("cache/plugin-digests"))))
                .isEqualTo(ABD);
    }

    @Test
    void aRememberedDigestIsNotUsedOnceTheFileChangedEvenWithItsOldSizeAndModificationTime() throws Exception {
        Path f = Files.writeString(dir.resolve("e.jar"), "abc");
        FileTime t = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(f, t);
        Path cache = dir.resolve("cache/plugin-digests");
        FileIdentity before = FileIdentity.of(f.toAbsolutePath().normalize());
        new DigestCacheFile(cache).put(before, ABC, settledAfter(before));
        Thread.sleep(20); // past the file system's timestamp granularity
        Files.write(f, "abd".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.TRUNCATE_EXISTING);
        Files.setLastModifiedTime(f, t); // a tamperer can set the modification time back, not the status-change time
        FileIdentity after = FileIdentity.of(f.toAbsolutePath().normalize());
        assertThat(after.size()).isEqualTo(before.size());
        assertThat(after.mtimeNanos()).isEqualTo(before.mtimeNanos());
        assertThat(new DigestCacheFile(cache).get(after)).isNull();
        assertThat(Checksums.sha256(f, new DigestCacheFile(cache))).isEqualTo(ABD);
    }

    @Test
    void aFileThatChangedJustBeforeItWasReadIsNotRemembered() throws Exception {
        Path f = Files.writeString(dir.resolve("g.jar"), "abc");
        Path cache = dir.resolve("cache/plugin-digests");
        FileIdentity id = FileIdentity.of(f.toAbsolutePath().normalize());
        new DigestCacheFile(cache).put(id, ABC, id.ctimeNanos() + 1_000_000L);
        assertThat(new DigestCacheFile(cache).get(id)).isNull();
        assertThat(Files.exists(cache)).isFalse();
    }

    @Test
    void aTornOrForeignCacheFileCostsOnlyHashingAgain() throws Exception {
        Path f = Files.writeString(dir.resolve("h.jar"), "abc");
        Path cache = dir.resolve("cache/plugin-digests");
        Files.createDirectories(cache.getParent());
        Files.writeString(cache, "not a digest line\n" + ABD + " 3 x y z w " + f.toAbsolutePath() + "\n");
        assertThat(Checksums.sha256(f, new DigestCacheFile(cache))).isEqualTo(ABC);
    }

    private static long settledAfter(FileIdentity id) {
        return id.ctimeNanos() + 3_000_000_000L;
    }
}
