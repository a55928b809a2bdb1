package org.lockstep.cli;

import java.util.List;

/** The command's help texts. */
final class Help {
    private Help() {
    }

    static String main() {
        return """
                lockstep: apply SQL schema migrations to SQLite, safely when many processes start at once.

                Usage: lockstep COMMAND [OPTIONS]

                Commands:
                  migrate    apply pending migrations (exactly once, however many workers run it together)
                  validate   check the scripts against the history table; changes nothing
                  status     list every migration with its state; changes nothing
                  help CMD   show the options of a command (same as: lockstep CMD --help)

                  --version  print the version
                  --help     show this help

                Exit codes: 0 success; 1 a migration failed (rolled back); 2 bad arguments or bad input;
                3 migration lock not acquired in time; 4 validation failed.
                """;
    }

    static String command(String command, List<Options.Spec> options) {
        StringBuilder text = new StringBuilder();
        text.append("Usage: lockstep ").append(command).append(" [OPTIONS]\n\n");
        switch (command) {
            case "migrate":
                text.append("Applies every pending migration in version order. If the database is up to date it\n"
                        + "only reads; otherwise it takes SQLite's write lock, waiting (up to --lock-timeout) while\n"
                        + "another worker migrates, and reports what it applied and what others applied.\n");
                break;
            case "validate":
                text.append("Checks the scripts against the history table: edited applied scripts, applied\n"
                        + "versions without a script, pending versions below the highest applied one. Read-only.\n");
                break;
            default:
                text.append("Lists every known version with its state (APPLIED, PENDING, CHECKSUM_MISMATCH,\n"
                        + "MISSING_SCRIPT, OUT_OF_ORDER) and who applied it when. Read-only.\n");
                break;
        }
        text.append("\nOptions:\n");
        for (Options.Spec spec : options) {
            text.append(String.format("  %-17s %s%n", spec.name(), spec.help()));
        }
        text.append("\nEnvironment (the command line wins):\n");
        for (Options.Spec spec : options) {
            if (spec.variable() != null) {
                text.append(String.format("  %-24s %s%n", spec.variable(), spec.name()));
            }
        }
        return text.toString();
    }
}
