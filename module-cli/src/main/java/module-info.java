/**
 * The {@code lockstep} command. Runs with {@code java -p <module path> -m org.lockstep.cli},
 * and in-process as the {@link java.util.spi.ToolProvider} named {@code lockstep}.
 */
module org.lockstep.cli {
    requires org.lockstep;
    requires java.sql;
    // The command routes the library's System.Logger output through java.util.logging.
    requires java.logging;
    // The SQLite driver is found through java.sql.Driver's service loader; requiring it
    // keeps it in the module graph and in the linked image.
    requires org.xerial.sqlitejdbc;
    // sun.misc.Signal, to handle SIGTERM and SIGINT (Signals): the JDK's supported API has none,
    // and a shutdown hook cannot tell which signal came or let a second one end the process.
    requires jdk.unsupported;

    provides java.util.spi.ToolProvider with
            org.lockstep.cli.LockstepTool;
}
