package org.lockstep.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lockstep.MigrationLocation;
import org.lockstep.internal.script.MigrationScript;
import org.lockstep.internal.script.ParsedScripts;
import org.lockstep.internal.script.ScriptLoader;
import org.lockstep.internal.script.ScriptText;

/**
 * Generated scripts split back into the statements they were made of. A script is built from
 * random statements (words, symbols, strings and quoted identifiers whose bodies hold
 * semicolons, quotes, comment markers and every kind of line ending; SQLite trigger bodies and
 * PostgreSQL {@code BEGIN ATOMIC} bodies), joined by whitespace and comments that use
 * {@code \n}, {@code \r\n} and lone {@code \r}. The oracle knows each statement's text and its
 * line, counted independently of the scanner. One property goes through a file and
 * {@link ScriptLoader}, which is where line endings were once rewritten.
 *
 * <p>A failure prints its seed and a shrunk script; {@code -Dlockstep.seed=N} replays that seed
 * alone, {@code -Dlockstep.tries=N} sets the number of scripts per dialect.
 */
final class ScannerProperties {
    @TempDir
    Path dir;

    private static final int DEFAULT_TRIES = 1000;
    // Writing and loading a file costs more than splitting a string: fewer tries of that property.
    private static final int FILE_TRIES_DIVISOR = 10;
    private static final String[] WORDS = {"SELECT", "a", "b1", "_c", "42", "zeta", "ünï", "x"};
    private static final String[] SYMBOLS = {"+", "-", "*", "/", "=", ",", "<", ">", "%", "?", "."};
    private static final String[] BODY_PIECES = {
        "a", "Z", " ", ";", "'", "\"", "`", "[", "]", "$", "\\", "--", "\n", "\r", "\r\n", "é", "😀", "*", "/"
    };
    private static final String[] SPACES = {" ", "\t", "\n", "\r\n", "\r", "  \r\n  "};

    /**
     * One statement: tokens with the separators between them, and what comes before its
     * semicolon. A template (a trigger or routine body) keeps its tokens when shrunk: without
     * one of them its semicolons would end it elsewhere.
     */
    private record Statement(List<String> tokens, List<String> separators, String beforeSemicolon, boolean template) {
        String text() {
            StringBuilder text = new StringBuilder(tokens.get(0));
            for (int i = 1; i < tokens.size(); i++) {
                text.append(separators.get(i - 1)).append(tokens.get(i));
            }
            return text.toString();
        }
    }

    /**
     * A generated script: text before the first statement, the statements each followed by a
     * semicolon and a gap (the last one's semicolon is optional), and text at the end.
     */
    private record Script(
            String lead, List<Statement> statements, List<String> gaps, boolean lastTerminated, String tail) {
        String text() {
            StringBuilder text = new StringBuilder(lead);
            for (int i = 0; i < statements.size(); i++) {
                Statement statement = statements.get(i);
                text.append(statement.text()).append(statement.beforeSemicolon());
                if (i < statements.size() - 1 || lastTerminated) {
                    text.append(';').append(gaps.get(i));
                }
            }
            return text.append(tail).toString();
        }

        /** The statements the splitter must give back, with lines counted here, not by the scanner. */
        List<SqlStatement> expected() {
            List<SqlStatement> expected = new ArrayList<>();
            StringBuilder before = new StringBuilder(lead);
            for (int i = 0; i < statements.size(); i++) {
                Statement statement = statements.get(i);
                boolean last = i == statements.size() - 1;
                String rest = statement.text() + statement.beforeSemicolon() + (last && !lastTerminated ? tail : "");
                expected.add(new SqlStatement(rest.strip(), 1 + lineBreaks(before.toString())));
                before.append(statement.text())
                        .append(statement.beforeSemicolon())
                        .append(';')
                        .append(i < gaps.size() ? gaps.get(i) : "");
            }
            return expected;
        }
    }

    // An editor's count: each \r\n, and each \n or \r left after those, ends a line.
    private static int lineBreaks(String text) {
        String unified = text.replace("\r\n", "\n");
        int count = 0;
        for (int i = 0; i < unified.length(); i++) {
            if (unified.charAt(i) == '\n' || unified.charAt(i) == '\r') {
                count++;
            }
        }
        return count;
    }

    @ParameterizedTest
    @EnumSource(ScriptDialect.class)
    void generatedScriptsSplitBackIntoTheirStatementsAndLines(ScriptDialect dialect) {
        check(dialect, "split gives back each statement and its line", script -> {
            assertEquals(script.expected(), dialect.split(script.text()));
        });
    }

    @ParameterizedTest
    @EnumSource(ScriptDialect.class)
    void eachStatementSplitsAloneIntoItselfAndIsAllowed(ScriptDialect dialect) {
        check(dialect, "a statement split alone is itself, and no rule refuses it", script -> {
            for (SqlStatement statement : dialect.split(script.text())) {
                assertEquals(List.of(new SqlStatement(statement.sql(), 1)), dialect.split(statement.sql()));
                assertEquals(Optional.empty(), dialect.refusal(statement));
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ScriptDialect.class)
    void lfAndCrlfEndingsSplitAlikeOnTheSameLines(ScriptDialect dialect) {
        check(dialect, "turning each LF into CRLF changes no statement boundary or line", script -> {
            List<SqlStatement> crlf = dialect.split(crlf(script.text()));
            assertEquals(
                    dialect.split(script.text()).stream()
                            .map(s -> new SqlStatement(crlf(s.sql()), s.line()))
                            .toList(),
                    crlf);
        });
    }

    // LF to CRLF, leaving CRLF and a lone CR as they are. (CRLF to LF would not do: it merges
    // the lone CR of "\r\r\n" with the line feed, one line break fewer.)
    private static String crlf(String text) {
        return text.replaceAll("(?<!\r)\n", "\r\n");
    }

    @ParameterizedTest
    @EnumSource(ScriptDialect.class)
    void loadedScriptKeepsItsStatementsAsWrittenAndItsChecksumIgnoresLineEndings(ScriptDialect dialect) {
        check(
                dialect,
                "a loaded script's statements are the file's text; its checksum ignores line endings",
                script -> {
                    String text = script.text();
                    // A byte-order mark on about half of them: decoding removes it and nothing else.
                    String bom = text.length() % 2 == 0 ? "\uFEFF" : "";
                    Files.writeString(dir.resolve("001_generated.sql"), bom + text, StandardCharsets.UTF_8);
                    MigrationScript loaded = ScriptLoader.load(
                                    List.of(new MigrationLocation.Directory(dir)),
                                    new ParsedScripts(Long.MAX_VALUE),
                                    () -> dialect)
                            .get(0);
                    assertEquals(script.expected(), loaded.statements());
                    assertEquals(ScriptText.checksum(crlf(text)), loaded.checksum());
                },
                FILE_TRIES_DIVISOR);
    }

    @FunctionalInterface
    private interface Property {
        void check(Script script) throws Exception;
    }

    private static void check(ScriptDialect dialect, String property, Property body) {
        check(dialect, property, body, 1);
    }

    private static void check(ScriptDialect dialect, String property, Property body, int triesDivisor) {
        Long fixed = Long.getLong("lockstep.seed");
        SplittableRandom seeds = new SplittableRandom();
        int tries = fixed != null ? 1 : Math.max(1, Integer.getInteger("lockstep.tries", DEFAULT_TRIES) / triesDivisor);
        for (int i = 0; i < tries; i++) {
            long seed = fixed != null ? fixed : seeds.nextLong();
            Script script = new Generator(dialect, new SplittableRandom(seed)).script();
            Predicate<Script> fails = candidate -> failure(body, candidate) != null;
            if (fails.test(script)) {
                Script shrunk = shrink(script, fails);
                fail(
                        dialect + ": property [" + property + "] fails for seed " + seed
                                + " (replay with -Dlockstep.seed="
                                + seed + ")\nshrunk script: " + visible(shrunk.text()) + "\nexpected: "
                                + shrunk.expected().stream()
                                        .map(s -> visible(s.sql()) + "@" + s.line())
                                        .toList(),
                        failure(body, shrunk));
            }
        }
    }

    private static Throwable failure(Property body, Script script) {
        try {
            body.check(script);
            return null;
        } catch (Exception | AssertionError e) {
            return e;
        }
    }

    private static String visible(String text) {
        return "\""
                + text.replace("\\", "\\\\")
                        .replace("\r", "\\r")
                        .replace("\n", "\\n")
                        .replace("\t", "\\t") + "\"";
    }

    // Greedy: drop statements, then tokens, then make separators, gaps, lead and tail plain,
    // keeping every change that still fails, until none does.
    private static Script shrink(Script script, Predicate<Script> fails) {
        Script current = script;
        boolean smaller = true;
        while (smaller) {
            smaller = false;
            for (Script candidate : candidates(current)) {
                if (candidate.text().length() < current.text().length() && fails.test(candidate)) {
                    current = candidate;
                    smaller = true;
                    break;
                }
            }
        }
        return current;
    }

    private static List<Script> candidates(Script s) {
        List<Script> candidates = new ArrayList<>();
        candidates.add(new Script("", s.statements(), s.gaps(), s.lastTerminated(), s.tail()));
        candidates.add(new Script(s.lead(), s.statements(), s.gaps(), s.lastTerminated(), ""));
        for (int i = 0; i < s.statements().size(); i++) {
            if (s.statements().size() > 1) {
                List<Statement> statements = new ArrayList<>(s.statements());
                List<String> gaps = new ArrayList<>(s.gaps());
                statements.remove(i);
                gaps.remove(Math.min(i, gaps.size() - 1));
                candidates.add(new Script(s.lead(), statements, gaps, s.lastTerminated(), s.tail()));
            }
            Statement statement = s.statements().get(i);
            for (int t = 1; t < statement.tokens().size() && !statement.template(); t++) {
                List<String> tokens = new ArrayList<>(statement.tokens());
                List<String> separators = new ArrayList<>(statement.separators());
                tokens.remove(t);
                separators.remove(t - 1);
                candidates.add(with(s, i, new Statement(tokens, separators, statement.beforeSemicolon(), false)));
            }
            for (int k = 0; k < statement.separators().size(); k++) {
                List<String> separators = new ArrayList<>(statement.separators());
                separators.set(k, " ");
                candidates.add(with(
                        s,
                        i,
                        new Statement(
                                statement.tokens(), separators, statement.beforeSemicolon(), statement.template())));
            }
            candidates.add(
                    with(s, i, new Statement(statement.tokens(), statement.separators(), "", statement.template())));
        }
        for (int g = 0; g < s.gaps().size(); g++) {
            List<String> gaps = new ArrayList<>(s.gaps());
            gaps.set(g, " ");
            candidates.add(new Script(s.lead(), s.statements(), gaps, s.lastTerminated(), s.tail()));
        }
        return candidates;
    }

    private static Script with(Script s, int index, Statement statement) {
        List<Statement> statements = new ArrayList<>(s.statements());
        statements.set(index, statement);
        return new Script(s.lead(), statements, s.gaps(), s.lastTerminated(), s.tail());
    }

    /** Draws scripts that a dialect must split in one known way. */
    private static final class Generator {
        private final ScriptDialect dialect;
        private final SplittableRandom random;

        Generator(ScriptDialect dialect, SplittableRandom random) {
            this.dialect = dialect;
            this.random = random;
        }

        Script script() {
            int count = 1 + random.nextInt(6);
            List<Statement> statements = new ArrayList<>();
            List<String> gaps = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                statements.add(statement());
                gaps.add(gap());
            }
            boolean lastTerminated = random.nextInt(3) > 0;
            String tail = "";
            if (random.nextInt(4) == 0) {
                tail = space() + "-- the end" + (dialect == ScriptDialect.SQLITE ? "\r;" : ";");
            } else if (random.nextInt(4) == 0 && dialect == ScriptDialect.SQLITE) {
                // SQLite runs it to the end; without * or / in it, nothing closes it early.
                tail = space() + "/* never closed; " + body().replace("*", "").replace("/", "") + "x";
            }
            return new Script(random.nextBoolean() ? gap() : "", statements, gaps, lastTerminated, tail);
        }

        private Statement statement() {
            List<String> tokens = new ArrayList<>();
            boolean template = random.nextInt(8) == 0;
            if (template) {
                tokens.addAll(
                        dialect == ScriptDialect.SQLITE
                                ? List.of(
                                        "CREATE", "TRIGGER", "g", "AFTER", "INSERT", "ON", "a", "BEGIN", "SELECT", "1",
                                        ";", "UPDATE", "a", "SET", "x", "=", "CASE", "WHEN", "1", "THEN", "2", "END",
                                        ";", "END")
                                : List.of(
                                        "CREATE",
                                        "FUNCTION",
                                        "f",
                                        "(",
                                        ")",
                                        "RETURNS",
                                        "int",
                                        "LANGUAGE",
                                        "sql",
                                        "BEGIN",
                                        "ATOMIC",
                                        "SELECT",
                                        "CASE",
                                        "WHEN",
                                        "1",
                                        "THEN",
                                        "2",
                                        "END",
                                        ";",
                                        "END"));
            } else {
                int count = 1 + random.nextInt(7);
                tokens.add(WORDS[random.nextInt(WORDS.length)]);
                for (int i = 1; i < count; i++) {
                    tokens.add(token());
                }
            }
            List<String> separators = new ArrayList<>();
            for (int i = 1; i < tokens.size(); i++) {
                separators.add(separator());
            }
            return new Statement(tokens, separators, random.nextInt(4) == 0 ? separator() : "", template);
        }

        private String token() {
            return switch (random.nextInt(6)) {
                case 0, 1 -> WORDS[random.nextInt(WORDS.length)];
                case 2 -> SYMBOLS[random.nextInt(SYMBOLS.length)];
                case 3 -> "'" + body().replace("'", "''") + "'";
                case 4 -> "\"" + body().replace("\"", "\"\"") + "\"";
                default -> dialect == ScriptDialect.SQLITE ? sqliteQuote() : postgresQuote();
            };
        }

        private String sqliteQuote() {
            return random.nextBoolean() ? "[" + body().replace("]", "") + "]" : "`" + body().replace("`", "``") + "`";
        }

        private String postgresQuote() {
            return switch (random.nextInt(4)) {
                case 0 -> "E'" + body().replace("\\", "\\\\").replace("'", random.nextBoolean() ? "''" : "\\'") + "'";
                case 1 -> "$$" + body().replace("$", "") + "$$";
                case 2 -> "$tag$" + body().replace("$", "") + "$tag$";
                default ->
                    "(" + WORDS[random.nextInt(WORDS.length)] + " ; " + WORDS[random.nextInt(WORDS.length)] + ")";
            };
        }

        private String body() {
            StringBuilder body = new StringBuilder();
            int count = random.nextInt(6);
            for (int i = 0; i < count; i++) {
                body.append(BODY_PIECES[random.nextInt(BODY_PIECES.length)]);
            }
            return body.toString();
        }

        private String space() {
            return SPACES[random.nextInt(SPACES.length)];
        }

        // Never empty, so that no two tokens run together.
        private String separator() {
            return switch (random.nextInt(4)) {
                case 0 -> space() + lineComment() + space();
                case 1 -> space() + blockComment() + space();
                default -> space();
            };
        }

        // What may stand between statements: whitespace, comments and empty statements.
        private String gap() {
            StringBuilder gap = new StringBuilder(space());
            int count = random.nextInt(3);
            for (int i = 0; i < count; i++) {
                gap.append(random.nextBoolean() ? ";" : separator()).append(space());
            }
            return gap.toString();
        }

        // SQLite's comment ends only at \n, so a lone \r may sit inside it; PostgreSQL's ends at either.
        private String lineComment() {
            String text = body().replace("\n", "").replace("\r", dialect == ScriptDialect.SQLITE ? "\r" : "");
            String end = dialect == ScriptDialect.SQLITE
                    ? (random.nextBoolean() ? "\n" : "\r\n")
                    : SPACES[2 + random.nextInt(3)];
            return "--" + text + end;
        }

        // No * or / inside, so the comment closes where the oracle thinks it does in both dialects.
        private String blockComment() {
            return "/*" + body().replace("*", "").replace("/", "") + "*/";
        }
    }
}
