package dev.recur.cli;

import dev.recur.core.RecurException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into Recur's error contract: one line on stderr, exit code 2 for a user mistake (bad
 * options, a bad or missing file, a shape that does not fit), 1 for anything else; the stack trace only with
 * {@code --debug}.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("recur: " + ex.getMessage());
        if (debugRequested(args)) {
            ex.printStackTrace(err);
        }
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return Main.EXIT_USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        boolean userMistake = isUserMistake(ex);
        err.println("recur: " + (userMistake ? "" : "internal error: ") + oneLine(ex));
        if (debugRequested(parseResult.originalArgs().toArray(new String[0]))) {
            ex.printStackTrace(err);
        }
        err.flush();
        return userMistake ? Main.EXIT_USAGE : 1;
    }

    static boolean isUserMistake(Throwable ex) {
        return ex instanceof RecurException || ex instanceof IOException || ex instanceof UncheckedIOException;
    }

    static String oneLine(Throwable ex) {
        String message = ex.getMessage();
        if (ex instanceof NoSuchFileException) {
            message = "no such file: " + message;
        } else if (ex instanceof UncheckedIOException && ex.getCause() != null) {
            return oneLine(ex.getCause());
        }
        if (message == null || message.isBlank()) {
            message = ex.getClass().getSimpleName();
        }
        return message.replace('\n', ' ').replace('\r', ' ');
    }

    private static boolean debugRequested(String[] args) {
        for (String a : args) {
            if (a.equals("--debug")) {
                return true;
            }
        }
        return false;
    }
}
