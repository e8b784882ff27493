package dev.recur.cli;

import dev.recur.cli.study.RecallStudyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code recur study}: experiments that train a grid of models and write a table and a plot ({@code recall}). */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Run a study: a grid of small models trained on one task, with a table and a plot.",
        subcommands = {RecallStudyCommand.class})
final class StudyCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "study: expected a study name (recall)");
    }
}
