package org.lockstep.internal.protocol;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** The default owner name recorded in the history table: {@code pid@host}. */
public final class Owner {
    private Owner() {
    }

    /** Returns {@code pid@host} for this process. */
    public static String current() {
        return ProcessHandle.current().pid() + "@" + hostName();
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
