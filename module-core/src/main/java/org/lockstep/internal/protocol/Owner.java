package org.lockstep.internal.protocol;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default owner name recorded in the history table: {@code pid@host} for the first
 * Migrator of a process, {@code pid@host#n} for the n-th, so that a loser of a race between
 * two Migrators of one process never names itself as the winner.
 */
public final class Owner {
    // Process-wide by nature: it numbers the Migrators of this process.
    private static final AtomicInteger CREATED = new AtomicInteger();

    private Owner() {}

    /** Returns {@code pid@host} for this process. */
    public static String current() {
        return ProcessHandle.current().pid() + "@" + hostName();
    }

    /** Returns a name no other caller of this method in this process gets. */
    public static String next() {
        int n = CREATED.incrementAndGet();
        return n == 1 ? current() : current() + "#" + n;
    }

    // InetAddress.getLocalHost() can wait seconds on a DNS lookup, which every worker would
    // pay at boot; the kernel's own name and the usual variables answer at once.
    private static String hostName() {
        try {
            Path kernelName = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernelName)) {
                String name = Files.readString(kernelName).strip();
                if (!name.isEmpty()) {
                    return name;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the next source
        }
        for (String variable : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
            String name = System.getenv(variable);
            if (name != null && !name.isBlank()) {
                return name.strip();
            }
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
