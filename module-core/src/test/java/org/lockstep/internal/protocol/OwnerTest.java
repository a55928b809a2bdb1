package org.lockstep.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The default owner: this process's id at this host, numbered after the first Migrator. */
final class OwnerTest {

    @Test
    void theCurrentOwnerIsThePidAtTheKernelsHostName() throws Exception {
        Path kernelName = Path.of("/proc/sys/kernel/hostname");
        String host =
                Files.isReadable(kernelName) ? Files.readString(kernelName).strip() : null;

        String current = Owner.current();

        assertTrue(current.startsWith(ProcessHandle.current().pid() + "@"), current);
        if (host != null && !host.isEmpty()) {
            assertEquals(ProcessHandle.current().pid() + "@" + host, current);
        }
        assertTrue(current.length() > (ProcessHandle.current().pid() + "@").length(), current);
    }

    @Test
    void everyLaterOwnerOfTheProcessIsNumberedAndNoneRepeats() {
        String first = Owner.next();
        String second = Owner.next();
        String third = Owner.next();

        assertNotEquals(first, second);
        assertNotEquals(second, third);
        assertTrue(second.startsWith(Owner.current() + "#"), second);
        int n = Integer.parseInt(second.substring(second.indexOf('#') + 1));
        assertTrue(n >= 2, second);
        assertEquals(Owner.current() + "#" + (n + 1), third);
        assertTrue(first.equals(Owner.current()) || first.equals(Owner.current() + "#" + (n - 1)), first);
    }
}
