package dev.recur.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports Recur's version, the JVM and the kernel mode. */
public final class Version implements IVersionProvider {
    /** Recur's version, as model cards record it. */
    public static final String VERSION = "0.1.0-SNAPSHOT";

    @Override
    public String[] getVersion() {
        return new String[] {
            "recur " + VERSION,
            "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
            "kernels: " + System.getProperty("recur.kernels", "vector"),
        };
    }
}
