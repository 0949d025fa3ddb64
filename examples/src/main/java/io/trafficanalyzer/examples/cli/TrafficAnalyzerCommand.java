package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.core.ConfigurationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The {@code traffic-analyzer} command-line tool: {@code replay} capture files into a store, {@code capture} live
 * traffic, {@code collect} what a fleet of them publishes to Kafka into one store, and query a store with
 * {@code top} and {@code report}.
 * <p>
 * Exit codes: 0 success, 1 a usage or configuration error (one line naming the option and its value), 2 a failure
 * while running (one line; the stack trace with {@code --verbose}).
 */
@Command(
    name = "traffic-analyzer",
    mixinStandardHelpOptions = true,
    version = "traffic-analyzer 0.1.0",
    usageHelpAutoWidth = true,
    usageHelpWidth = 100,
    description = {
        "Near-real-time network traffic statistics: capture or replay packets into a SQLite store (or, on many " +
            "hosts, publish them to Kafka and collect them into one store), then ask it who used the link, with " +
            "what and with whom." },
    footer = {
        "",
        "Exit codes: 0 success, 1 usage or configuration error, 2 failure while running; 130 (Ctrl-C) or 143 " +
            "(SIGTERM) after capture, replay or collect stopped cleanly on that signal.",
        "Durations: 10s, 5m, 1h, 2d (or ISO-8601 PT30S). Times: ISO-8601, e.g. 2024-05-01T10:00:00Z." })
public final class TrafficAnalyzerCommand implements Callable<Integer>
{
    /**
     * Exit code of success.
     */
    public static final int SUCCESS = 0;

    /**
     * Exit code of a usage or configuration error.
     */
    public static final int USAGE_ERROR = CliException.USAGE;

    /**
     * Exit code of a failure while running.
     */
    public static final int RUNTIME_FAILURE = CliException.RUNTIME;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print the stack trace of an error.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    private final CommandContext context;

    TrafficAnalyzerCommand(final CommandContext context)
    {
        this.context = context;
    }

    /**
     * Run the tool and exit with its exit code.
     *
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Run the tool in-process, e.g. from a test or another program.
     *
     * @param args the command line, e.g. {@code "top", "--db", "traffic.db"}.
     * @param out  where results go.
     * @param err  where progress, warnings and errors go; progress is drawn only when a console is attached.
     * @return the exit code: {@link #SUCCESS}, {@link #USAGE_ERROR} or {@link #RUNTIME_FAILURE}.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        return run(args, out, err, null != System.console());
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err, final boolean terminal)
    {
        final PrintWriter outWriter = new PrintWriter(out, true);
        final PrintWriter errWriter = new PrintWriter(err, true);
        final CommandContext context = new CommandContext(outWriter, errWriter, terminal);
        final CommandLine commandLine = newCommandLine(context);
        try
        {
            return commandLine.execute(args);
        }
        finally
        {
            outWriter.flush();
            errWriter.flush();
        }
    }

    static CommandLine newCommandLine(final CommandContext context)
    {
        final CommandLine commandLine = new CommandLine(new TrafficAnalyzerCommand(context))
            .addSubcommand("capture", new CaptureCommand(context))
            .addSubcommand("replay", new ReplayCommand(context))
            .addSubcommand("collect", new CollectCommand(context))
            .addSubcommand("top", new TopCommand(context))
            .addSubcommand("report", new ReportCommand(context))
            .addSubcommand("serve", new ServeCommand(context))
            .addSubcommand("interfaces", new InterfacesCommand(context))
            .addSubcommand("help", new CommandLine.HelpCommand());
        commandLine
            .setOut(context.out())
            .setErr(context.err())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setParameterExceptionHandler(TrafficAnalyzerCommand::onParameterException)
            .setExecutionExceptionHandler((ex, cmd, result) -> onExecutionException(ex, result, context.err()));

        return commandLine;
    }

    /**
     * Without a command: the usage, as an error.
     *
     * @return {@link #USAGE_ERROR}.
     */
    public Integer call()
    {
        context.err().println("error: a command is needed");
        spec.commandLine().usage(context.err());
        return USAGE_ERROR;
    }

    private static int onParameterException(final ParameterException ex, final String[] args)
    {
        final CommandLine commandLine = ex.getCommandLine();
        final PrintWriter err = commandLine.getErr();
        err.println("error: " + ex.getMessage() + " (see '" + commandLine.getCommandSpec().qualifiedName() +
            " --help')");
        if (hasVerbose(args))
        {
            ex.printStackTrace(err);
        }
        err.flush();

        return USAGE_ERROR;
    }

    private static int onExecutionException(
        final Exception ex, final ParseResult parseResult, final PrintWriter err)
    {
        final int exitCode;
        final String message;
        if (ex instanceof CliException)
        {
            exitCode = ((CliException)ex).exitCode();
            message = ex.getMessage();
        }
        else if (ex instanceof ConfigurationException || ex instanceof IllegalArgumentException ||
            ex instanceof ParameterException)
        {
            exitCode = USAGE_ERROR;
            message = ex.getMessage();
        }
        else
        {
            exitCode = RUNTIME_FAILURE;
            message = null != ex.getMessage() ? ex.getMessage() : ex.toString();
        }

        err.println("error: " + message);
        if (isVerbose(parseResult))
        {
            ex.printStackTrace(err);
        }
        err.flush();

        return exitCode;
    }

    private static boolean isVerbose(final ParseResult parseResult)
    {
        for (ParseResult result = parseResult; null != result; result = result.subcommand())
        {
            if (result.hasMatchedOption("--verbose"))
            {
                return true;
            }
        }

        return false;
    }

    private static boolean hasVerbose(final String[] args)
    {
        for (final String arg : args)
        {
            if ("--verbose".equals(arg))
            {
                return true;
            }
        }

        return false;
    }
}
