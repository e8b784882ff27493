package dev.recur.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How npm's failure output is condensed into the one-line error. */
class NpmPackTest {
    @TempDir
    Path dir;

    private String summarise(String output) throws IOException {
        Path log = dir.resolve("npm.log");
        Files.writeString(log, output);
        return NpmPack.summary(log);
    }

    @Test
    void anUnreachableRegistryGivesTheCodeAndReason() throws IOException {
        assertThat(summarise("""
                npm error code ECONNREFUSED
                npm error syscall connect
                npm error FetchError: request to http://127.0.0.1:9/x failed, reason: connect ECONNREFUSED 127.0.0.1:9
                npm error     at ClientRequest.<anonymous> (index.js:130:14)
                npm error }
                npm error
                npm error A complete log of this run can be found in: /tmp/_logs/debug-0.log
                """)).isEqualTo("ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:9)");
    }

    @Test
    void olderNpmOutputAndPlainMessagesAreCondensedToo() throws IOException {
        assertThat(summarise("npm ERR! code E404\nnpm ERR! 404 Not Found - GET x\n")).isEqualTo("E404");
        assertThat(summarise("something went wrong\n\n")).isEqualTo("something went wrong");
        assertThat(summarise("")).isEqualTo("no output");
    }
}
