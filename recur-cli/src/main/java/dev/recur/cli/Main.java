package dev.recur.cli;

import dev.recur.core.parallel.ComputePool;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The {@code recur} command: subcommands for inspecting, verifying, training, evaluating and benchmarking
 * recurrent models. A user mistake prints one line on stderr and exits with code 2; {@code --debug} adds the
 * stack trace.
 */
@Command(name = "recur",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Recurrent sequence models for the JVM: train, run, verify and inspect them.",
        subcommands = {
            CommandLine.HelpCommand.class,
            InspectCommand.class,
            VerifyCommand.class,
            ScoreCommand.class,
            GenerateCommand.class,
            ExportCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            BenchCommand.class,
            TasksCommand.class,
            StudyCommand.class,
        })
public final class Main implements Runnable {
    /** Exit code for bad input: a wrong option, a missing or malformed file. */
    public static final int EXIT_USAGE = 2;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces for errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--threads", scope = CommandLine.ScopeType.INHERIT, paramLabel = "N",
            description = "Compute threads, the calling one included (default: -D" + ComputePool.PROPERTY + ", "
                    + ComputePool.ENV + ", else all cores).")
    void setThreads(int threads) {
        if (threads < 1 || threads > ComputePool.MAX_THREADS) {
            throw new ParameterException(spec.commandLine(), "--threads: expected a thread count from 1 to "
                    + ComputePool.MAX_THREADS + ", got " + threads);
        }
        ComputePool.configure(threads);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with Recur's error handling. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler(new ErrorHandler());
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
