package org.lockstep.internal.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A small property-testing core: runs a property over many seeded cases, and shrinks a
 * failing case to a minimal one before reporting it.
 *
 * <p>A case is whatever a {@link Tape} decides. A fresh case draws from a seed; the failure
 * report prints that seed, the shrunk case and its schedule. {@code -Dlockstep.seed=N} runs
 * just that seed (and shrinks it again, to the same result, since everything is
 * deterministic); {@code -Dlockstep.tries=N} sets the number of cases per property.
 *
 * <p>Shrinking works on the tape's recorded values, as Hypothesis does: it tries shorter
 * tapes, tapes with blocks deleted, and tapes with single values zeroed, halved or
 * decremented, keeping any candidate that still fails and is smaller (shorter, then
 * lexicographically smaller). Since every generator maps 0 to its simplest choice, a
 * smaller tape means fewer workers, fewer scripts, fewer and earlier crashes and a
 * simpler schedule.
 */
public final class PropertyRunner {
    private static final int SHRINK_BUDGET = 1500;

    /** Runs one case from a tape; throws {@link PropertyViolation} (or any error) if it fails. */
    public interface Case {
        void run(Tape tape, boolean keepTrace, Report report);
    }

    /** Where a case puts what the report prints about it. */
    public static final class Report {
        public String scenario = "";
        public List<String> trace = List.of();
    }

    private PropertyRunner() {}

    public static int tries(int defaultTries) {
        return Integer.getInteger("lockstep.tries", defaultTries);
    }

    /**
     * Checks a property over {@code tries} seeded cases, or only {@code -Dlockstep.seed}.
     *
     * @throws AssertionError describing the seed and the shrunk counterexample on failure
     */
    public static void check(String property, int defaultTries, Case body) {
        Long fixed = Long.getLong("lockstep.seed");
        long master = new SplittableRandom().nextLong();
        SplittableRandom seeds = new SplittableRandom(master);
        int tries = fixed != null ? 1 : tries(defaultTries);
        for (int i = 0; i < tries; i++) {
            long seed = fixed != null ? fixed : seeds.nextLong();
            Tape tape = Tape.fromSeed(seed);
            Throwable failure = attempt(body, tape, false, new Report());
            if (failure != null) {
                throw report(property, seed, i, body, tape.used(), failure);
            }
        }
    }

    /**
     * Checks that a property fails for some case within {@code tries}, and returns the
     * report of the shrunk counterexample: the proof that the harness catches a broken
     * protocol.
     */
    static Counterexample findCounterexample(String property, int tries, Case body) {
        SplittableRandom seeds = new SplittableRandom();
        for (int i = 0; i < tries; i++) {
            long seed = seeds.nextLong();
            Tape tape = Tape.fromSeed(seed);
            Throwable failure = attempt(body, tape, false, new Report());
            if (failure != null) {
                List<Integer> shrunk = shrink(body, tape.used());
                Report report = new Report();
                Throwable last = attempt(body, Tape.replay(shrunk), true, report);
                return new Counterexample(seed, shrunk, report, last == null ? failure : last);
            }
        }
        return null;
    }

    /** A shrunk failing case. */
    record Counterexample(long seed, List<Integer> tape, Report report, Throwable failure) {
        String describe() {
            return "seed " + seed + "\n" + report.scenario + "\nfailure: " + failure.getMessage() + "\nschedule:\n  "
                    + String.join("\n  ", report.trace);
        }
    }

    private static Throwable attempt(Case body, Tape tape, boolean keepTrace, Report report) {
        try {
            body.run(tape, keepTrace, report);
            return null;
        } catch (PropertyViolation | AssertionError e) {
            return e;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static AssertionError report(
            String property, long seed, int index, Case body, List<Integer> tape, Throwable failure) {
        List<Integer> shrunk = shrink(body, tape);
        Report report = new Report();
        Throwable last = attempt(body, Tape.replay(shrunk), true, report);
        Throwable shown = last != null ? last : failure;
        String message = "Property [" + property + "] failed on case " + (index + 1) + ", seed [" + seed + "]"
                + " (replay: -Dlockstep.seed=" + seed + ")\n"
                + "shrunk counterexample: " + report.scenario + "\n"
                + "failure: " + shown.getMessage() + "\n"
                + "schedule (" + report.trace.size() + " events):\n  " + String.join("\n  ", report.trace);
        AssertionError error = new AssertionError(message, shown);
        return error;
    }

    static List<Integer> shrink(Case body, List<Integer> start) {
        List<Integer> best = new ArrayList<>(start);
        int budget = SHRINK_BUDGET;
        boolean improved = true;
        while (improved && budget > 0) {
            improved = false;
            for (Function<List<Integer>, List<List<Integer>>> pass :
                    List.<Function<List<Integer>, List<List<Integer>>>>of(
                            PropertyRunner::truncations, PropertyRunner::deletions, PropertyRunner::reductions)) {
                for (List<Integer> candidate : pass.apply(best)) {
                    if (budget-- <= 0) {
                        break;
                    }
                    if (smaller(candidate, best)
                            && attempt(body, Tape.replay(candidate), false, new Report()) != null) {
                        best = candidate;
                        improved = true;
                        break;
                    }
                }
                if (improved) {
                    break;
                }
            }
        }
        return best;
    }

    private static List<List<Integer>> truncations(List<Integer> tape) {
        List<List<Integer>> candidates = new ArrayList<>();
        for (int length = 0; length < tape.size(); length = length == 0 ? 1 : length * 2) {
            candidates.add(new ArrayList<>(tape.subList(0, length)));
        }
        candidates.add(new ArrayList<>(tape.subList(0, Math.max(0, tape.size() - 1))));
        return candidates;
    }

    private static List<List<Integer>> deletions(List<Integer> tape) {
        List<List<Integer>> candidates = new ArrayList<>();
        for (int size = Math.max(1, tape.size() / 4); size >= 1; size /= 2) {
            for (int from = 0; from + size <= tape.size(); from += size) {
                List<Integer> candidate = new ArrayList<>(tape.subList(0, from));
                candidate.addAll(tape.subList(from + size, tape.size()));
                candidates.add(candidate);
            }
        }
        return candidates;
    }

    private static List<List<Integer>> reductions(List<Integer> tape) {
        List<List<Integer>> candidates = new ArrayList<>();
        for (int i = 0; i < tape.size(); i++) {
            int value = tape.get(i);
            if (value == 0) {
                continue;
            }
            for (int smaller : new int[] {0, value / 2, value - 1}) {
                List<Integer> candidate = new ArrayList<>(tape);
                candidate.set(i, smaller);
                candidates.add(candidate);
            }
        }
        return candidates;
    }

    private static boolean smaller(List<Integer> a, List<Integer> b) {
        if (a.size() != b.size()) {
            return a.size() < b.size();
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equals(b.get(i))) {
                return a.get(i) < b.get(i);
            }
        }
        return false;
    }
}
