package dev.recur.tasks.text;

import java.io.IOException;

/** Somewhere a pinned tarball comes from: npm in production, a tarball built in memory in tests. */
interface TarballFetcher {
    /** The tarball's bytes. */
    byte[] fetch() throws IOException;

    /** What is fetched, for messages ("npm package name@version"). */
    String describe();
}
