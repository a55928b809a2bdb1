package org.lockstep.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lockstep.cli.bench.Bench;

/** {@code bench}: measures Lockstep on this machine; see {@link Bench}. */
final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "measure herds, wake-up latency, overhead and scale on this machine; writes bench.json";
    }

    @Override
    public String description() {
        return "Measures Lockstep on this machine (lockstep bench --help lists the sections).\n";
    }

    @Override
    public List<Options.Spec> options() {
        return List.of();
    }

    @Override
    public Optional<ExitCode> runWithOwnArguments(
            List<String> args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        return Optional.of(ExitCode.ofCode(Bench.run(out, err, args, env)));
    }

    @Override
    public ExitCode run(Options options, PrintWriter out, PrintWriter err) {
        throw new IllegalStateException("bench parses its own arguments");
    }
}
