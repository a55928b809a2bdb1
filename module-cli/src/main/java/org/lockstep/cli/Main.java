package org.lockstep.cli;

/** The command's entry point; the only place that calls {@link System#exit}. */
public final class Main {
    private Main() {}

    /**
     * Runs the command and exits with its exit code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        Signals.install(System::exit, System.err);
        System.exit(Signals.exitCode(new LockstepTool().run(System.out, System.err, args)));
    }
}
