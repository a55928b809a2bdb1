package org.lockstep.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The start gate that releases a herd of processes at one instant, so that their start-up
 * times do not spread them out. One protocol for every herd: the {@link Herd} of
 * {@code demo} and {@code stress}, the bench's process herds, and the tests' worker processes.
 *
 * <p>A child prints the line {@value #READY} on standard output once it is ready, then blocks
 * until it reads a byte from standard input. The parent waits, bounded, until every child has
 * printed that line, then {@linkplain #open opens} every child's gate by writing a line feed
 * and closing the pipe. A child whose parent has gone reads end of input instead, and stops.
 *
 * <p>Two kinds of child: the hidden {@code worker} command waits after its JVM has started and
 * loaded the driver ({@link #await}), so the herd contends for the database from its first
 * instant; a {@linkplain #beforeExec shell} waits before it starts the command, so that what
 * is measured from the gate includes the JVM's start-up, as the bench wants.
 */
public final class StartGate {
    /** The line a child prints when it waits at the gate. */
    public static final String READY = "lockstep-worker ready";

    private StartGate() {}

    /**
     * The child's side: prints {@link #READY} and blocks until the gate opens.
     *
     * @throws EnvironmentException if standard input ends or fails first: the parent has gone
     */
    static void await(PrintWriter out, InputStream in) {
        out.println(READY);
        out.flush();
        try {
            if (in.read() < 0) {
                throw new EnvironmentException(
                        "The start gate closed before it opened: the process that started" + " this worker has gone");
            }
        } catch (IOException e) {
            throw new EnvironmentException("The start gate cannot be read: " + e, e);
        }
    }

    /**
     * A command line that runs {@code command} through {@code /bin/sh} after the gate opens:
     * the shell prints {@link #READY}, reads a line, and then becomes the command.
     */
    public static List<String> beforeExec(List<String> command) {
        List<String> gated =
                new ArrayList<>(List.of("/bin/sh", "-c", "echo '" + READY + "' && read gate && exec \"$0\" \"$@\""));
        gated.addAll(command);
        return gated;
    }

    /** Whether a line a child printed says it waits at the gate. */
    public static boolean isReady(String line) {
        return READY.equals(line);
    }

    /**
     * The parent's side: opens one child's gate.
     *
     * @throws IOException if the child has already exited
     */
    public static void open(Process child) throws IOException {
        try (OutputStream gate = child.getOutputStream()) {
            gate.write('\n');
        }
    }
}
