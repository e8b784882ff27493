package dev.recur.cli;

import dev.recur.core.RecurException;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.Generator;
import dev.recur.layers.registry.HfModels;
import dev.recur.layers.lm.LayerPlan;
import dev.recur.layers.lm.Sampling;
import dev.recur.layers.tokenizer.TextCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code recur generate --model DIR --prompt-ids "3 17 5" --max-new-tokens N [--temperature T --top-k K
 * --top-p P --seed S]}: continues the prompt with a causal LM, one forward over the prompt and then one token at
 * a time carrying the state, and prints the new ids space-separated on one line. Temperature 0 (the default) is
 * greedy; the same seed gives the same ids.
 */
@Command(name = "generate",
        description = "Continue a prompt with a causal LM and print the new token ids.",
        mixinStandardHelpOptions = true)
final class GenerateCommand implements Callable<Integer> {
    /** Exactly one way to give the prompt. */
    static final class Prompt {
        @Option(names = "--prompt-ids", paramLabel = "IDS",
                description = "Prompt token ids, separated by spaces or commas, e.g. \"3 17 5\".")
        String ids;

        @Option(names = "--prompt", paramLabel = "TEXT",
                description = "Prompt text; needs the model's tokenizer.json (or a byte-level model). "
                        + "The new text is printed instead of ids.")
        String text;
    }

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "An HF model folder (config.json + model.safetensors).")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Prompt prompt;

    @Option(names = "--max-new-tokens", required = true, paramLabel = "N",
            description = "How many tokens to generate (>= 0).")
    int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "0", paramLabel = "T",
            description = "Softmax temperature; 0 is greedy (default ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K",
            description = "Sample among the K most likely tokens; 0 keeps all (default ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", defaultValue = "1", paramLabel = "P",
            description = "Sample within the smallest set of probability >= P (default ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
            description = "Random seed for sampling (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--layer-plan", paramLabel = "PLAN",
            description = "Apply the trained layers in this order: indices (0,1,1,2) or skip=I / repeat=IxK, "
                    + "joined by ';' (see docs/depth.md).")
    String layerPlan;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Sampling sampling = new Sampling(temperature, topK, topP, seed);
        if (maxNewTokens < 0) {
            throw new RecurException("generate: --max-new-tokens must be >= 0, got " + maxNewTokens);
        }
        TextCodec codec = null;
        int[] ids;
        if (prompt.text != null) {
            codec = TextCodec.forModel(model).orElseThrow(() -> new RecurException("generate: --prompt needs a"
                    + " tokenizer.json in " + model + " (or \"tokenizer\": \"bytes\" in its config.json);"
                    + " give the prompt as --prompt-ids instead"));
            ids = codec.encode(prompt.text);
            if (ids.length == 0) {
                throw new RecurException("generate: --prompt is empty; give at least one character");
            }
        } else {
            ids = parseIds(prompt.ids);
        }
        CausalLm lm = HfModels.load(model);
        if (layerPlan != null) {
            lm = LayerPlan.parse(layerPlan).applyTo(lm);
        }
        int[] fresh = Generator.generate(lm, ids, maxNewTokens, sampling);
        spec.commandLine().getOut().println(codec != null ? codec.decode(fresh)
                : Arrays.stream(fresh).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
        return 0;
    }

    /** Ids separated by spaces or commas; anything else is an error naming the bad piece. */
    static int[] parseIds(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new RecurException("generate: --prompt-ids is empty; give at least one token id");
        }
        String[] pieces = trimmed.split("[\\s,]+");
        int[] ids = new int[pieces.length];
        for (int i = 0; i < pieces.length; i++) {
            try {
                ids[i] = Integer.parseInt(pieces[i]);
            } catch (NumberFormatException e) {
                throw new RecurException("generate: --prompt-ids: '" + pieces[i] + "' at position " + i
                        + " is not an integer token id");
            }
        }
        return ids;
    }
}
