package org.lockstep.cli;

import java.util.List;

/** The command's help texts, made from the commands and exit codes themselves so they stay true. */
final class Help {
    private Help() {}

    static String main(List<Command> commands) {
        StringBuilder text = new StringBuilder();
        text.append("lockstep: apply SQL schema migrations to SQLite, safely when many processes start at once.\n\n")
                .append("Usage: lockstep COMMAND [OPTIONS]\n\nCommands:\n");
        for (Command command : commands) {
            if (!command.summary().isEmpty()) {
                text.append(String.format("  %-10s %s%n", command.name(), command.summary()));
            }
        }
        text.append(String.format(
                        "  %-10s %s%n", "help CMD", "show the options of a command (same as: lockstep CMD --help)"))
                .append('\n')
                .append(String.format("  %-10s %s%n", "--version", "print the version"))
                .append(String.format("  %-10s %s%n", "--help", "show this help"))
                .append("\nEvery option can also be set with an environment variable (see each command's help);\n"
                        + "the command line wins.\n")
                .append("\nExit codes:\n");
        for (ExitCode code : ExitCode.values()) {
            text.append(String.format("  %d  %s%n", code.code, code.meaning));
        }
        return text.toString();
    }

    static String command(Command command) {
        StringBuilder text = new StringBuilder();
        text.append("Usage: lockstep ")
                .append(command.name())
                .append(' ')
                .append(command.arguments())
                .append("\n\n");
        text.append(command.description());
        text.append("\nOptions:\n");
        for (Options.Spec spec : command.options()) {
            text.append(String.format("  %-17s %s%n", spec.name(), spec.help()));
        }
        if (command.options().stream().anyMatch(spec -> spec.variable() != null)) {
            text.append("\nEnvironment (the command line wins; flags take true or false):\n");
            for (Options.Spec spec : command.options()) {
                if (spec.variable() != null) {
                    text.append(String.format("  %-26s %s%n", spec.variable(), spec.name()));
                }
            }
        }
        return text.toString();
    }
}
