package org.lockstep.cli.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options of {@code lockstep bench}, and the sizes they imply.
 *
 * @param runs how many measured runs each figure is the median of
 * @param quick whether to use the small smoke-test sizes
 * @param output where the JSON report goes
 * @param image the runtime image whose {@code bin/lockstep} the process herd starts; empty to skip that section
 * @param imageNote why there is no image, when there is none
 * @param sections which sections to run, 1 to 8
 * @param childEnvironment the environment of the processes the process herd starts
 * @param help whether only the help was asked for
 */
record BenchSettings(
        int runs,
        boolean quick,
        Path output,
        Optional<Path> image,
        String imageNote,
        Set<Integer> sections,
        Map<String, String> childEnvironment,
        boolean help) {

    /** The default number of runs. */
    static final int DEFAULT_RUNS = 7;
    /** The number of runs with {@code --quick} and no {@code --runs}. */
    static final int QUICK_RUNS = 3;

    static final String HELP = String.join(
            "\n",
            "Usage: lockstep bench [--runs N] [--quick] [--output FILE] [--image DIR] [--sections LIST]",
            "",
            "Measures Lockstep on this machine and prints a table; writes the same figures, with",
            "every sample, as JSON. Each figure is the median of repeated runs (with min and max),",
            "each run on a fresh database in a temporary folder. Sections:",
            "  1  herd in-process: 1, 4 and 20 threads migrate a fresh database of 50 migrations",
            "  2  herd of processes: 1, 4 and 20 processes of the runtime image, started together",
            "  3  up-to-date start: the cost of migrate() with nothing pending, and that it takes",
            "     no write lock (it succeeds while another connection holds BEGIN IMMEDIATE)",
            "  4  wake-up latency: from the lock holder's commit to each waiter's return, against",
            "     waiters blocked in SQLite's own busy handler; and 20 waiting processes of the",
            "     runtime image (4 with --quick)",
            "  5  overhead against the floor: the 50 scripts through Lockstep vs plain JDBC",
            "  6  scale: 1 000 and 5 000 migrations, and status() on a 10 000-row history",
            "  7  lint of a 1 000-script history, and drift of the 200-table database it makes",
            "  8  a deploy's cost against the database's size: the lock held by a one-index deploy",
            "     beside a 2 000 000-row foreign-key child, and by a rebuild of that child",
            "",
            "Options:",
            "  --runs N         measured runs per figure (default " + DEFAULT_RUNS + ", " + QUICK_RUNS
                    + " with --quick)",
            "  --quick          smoke mode: fewer runs and trials, smaller sizes, no 20-process herd",
            "  --output FILE    the JSON report (default bench.json in the working folder)",
            "  --image DIR      the runtime image to start for section 2 (default: the running",
            "                   image, when the command runs from one; otherwise section 2 is skipped)",
            "  --sections LIST  comma-separated section numbers to run (default 1,2,3,4,5,6,7,8)",
            "  --help           this text",
            "",
            "Exit codes: 0 measured (a missed target is reported, not an error), 2 bad arguments,",
            "5 a benchmark failed or broke an invariant, 6 the scratch folder or the report could",
            "not be written.",
            "");

    /** Copies the collections. */
    BenchSettings {
        sections = Set.copyOf(sections);
        childEnvironment = Map.copyOf(childEnvironment);
    }

    /**
     * Parses the arguments.
     *
     * @param args the arguments after {@code bench}
     * @param env the environment; {@code LOCKSTEP_JAVA_OPTIONS} is passed on to the processes of section 2
     * @return the settings
     * @throws IllegalArgumentException if an argument is unknown, lacks its value or has a bad one
     */
    static BenchSettings parse(List<String> args, Map<String, String> env) {
        Integer runs = null;
        boolean quick = false;
        boolean help = false;
        Path output = Path.of("bench.json");
        Path image = null;
        Set<Integer> sections = new TreeSet<>(List.of(1, 2, 3, 4, 5, 6, 7, 8));
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--help":
                case "-h":
                    help = true;
                    break;
                case "--quick":
                    quick = true;
                    break;
                case "--runs":
                    runs = positive(arg, value(args, ++i, arg));
                    break;
                case "--output":
                    output = Path.of(value(args, ++i, arg));
                    break;
                case "--image":
                    image = Path.of(value(args, ++i, arg));
                    if (!Files.isExecutable(image.resolve("bin").resolve("lockstep"))) {
                        throw new IllegalArgumentException("Image [" + image + "] has no executable bin/lockstep");
                    }
                    break;
                case "--sections":
                    sections = sections(value(args, ++i, arg));
                    break;
                default:
                    throw new IllegalArgumentException("Unknown argument [" + arg + "]");
            }
        }
        String imageNote = "";
        if (image == null) {
            Optional<Path> running = runningImage();
            if (running.isPresent()) {
                image = running.get();
            } else {
                imageNote = "skipped: not running from a runtime image (java.home [" + System.getProperty("java.home")
                        + "] has no bin/lockstep); give --image DIR";
            }
        }
        Map<String, String> child = env.containsKey("LOCKSTEP_JAVA_OPTIONS")
                ? Map.of("LOCKSTEP_JAVA_OPTIONS", env.get("LOCKSTEP_JAVA_OPTIONS"))
                : Map.of();
        return new BenchSettings(
                runs != null ? runs : quick ? QUICK_RUNS : DEFAULT_RUNS,
                quick,
                output,
                Optional.ofNullable(image),
                imageNote,
                sections,
                child,
                help);
    }

    /** Returns the worker counts of the in-process herd. */
    List<Integer> threadHerds() {
        return List.of(1, 4, 20);
    }

    /** Returns the process counts of the process herd. */
    List<Integer> processHerds() {
        return quick ? List.of(1, 4) : List.of(1, 4, 20);
    }

    /** Returns how many times migrate() is timed per run on an up-to-date database. */
    int upToDateCalls() {
        return quick ? 50 : 200;
    }

    /** Returns how many lock holders the wake-up measurement runs, for each kind of waiter. */
    int wakeUpTrials() {
        return quick ? 8 : 30;
    }

    /** Returns the two migration counts of the scale section, small then large. */
    List<Integer> scaleSizes() {
        return quick ? List.of(200, 1000) : List.of(1000, 5000);
    }

    /** Returns how many scripts the lint section's history has (a multiple of five). */
    int lintScripts() {
        return quick ? 200 : 1000;
    }

    /** Returns the number of history rows status() reads in the scale section. */
    int statusHistory() {
        return quick ? 2000 : 10_000;
    }

    /** The runtime image this JVM runs from, if it is one: java.home with bin/lockstep beside lib/. */
    private static Optional<Path> runningImage() {
        Path home = Path.of(System.getProperty("java.home"));
        return Files.isExecutable(home.resolve("bin").resolve("lockstep")) && Files.isDirectory(home.resolve("lib"))
                ? Optional.of(home)
                : Optional.empty();
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size()) {
            throw new IllegalArgumentException("Option [" + option + "] needs a value");
        }
        return args.get(index);
    }

    private static int positive(String option, String text) {
        try {
            int value = Integer.parseInt(text);
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below with the option's name.
        }
        throw new IllegalArgumentException(
                "Option [" + option + "] needs a whole number of at least 1, not [" + text + "]");
    }

    private static Set<Integer> sections(String text) {
        Set<Integer> sections = new TreeSet<>();
        for (String part : text.split(",")) {
            int section;
            try {
                section = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                section = 0;
            }
            if (section < 1 || section > 8) {
                throw new IllegalArgumentException("Section [" + part.trim() + "] is not one of 1 to 8");
            }
            sections.add(section);
        }
        return sections;
    }
}
