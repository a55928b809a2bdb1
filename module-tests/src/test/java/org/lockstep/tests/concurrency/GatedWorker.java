package org.lockstep.tests.concurrency;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.spi.ToolProvider;

/**
 * A child JVM for the process tests: loads the {@code lockstep} command from its module (as
 * the {@link ToolProvider} the module provides), prints {@code ready}, waits for one byte on
 * standard input (the start gate the parent opens for every child at once), then runs the
 * command with its arguments and exits with its exit code. Without the gate, the JVMs'
 * start-up times would spread the herd out over seconds.
 */
public final class GatedWorker {
    private GatedWorker() {
    }

    /**
     * Runs the gated command.
     *
     * @param args the command's arguments
     * @throws IOException if standard input fails
     */
    public static void main(String[] args) throws IOException {
        ToolProvider tool = ToolProvider.findFirst("lockstep").orElseThrow();
        System.out.println("ready");
        System.out.flush();
        if (System.in.read() < 0) {
            System.exit(100);
        }
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(tool.run(out, err, args));
    }
}
