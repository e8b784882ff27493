package dev.recur.cli;

import dev.recur.core.RecurException;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.Generator;
import dev.recur.layers.lm.HfModels;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.lm.Sampling;
import dev.recur.layers.lm.bytelm.ModelFolder;
import dev.recur.layers.lm.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.IntStream;
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
                description = "Prompt text: UTF-8 bytes for a byte-level model, else the folder's tokenizer.json.")
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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Sampling sampling = new Sampling(temperature, topK, topP, seed);
        if (maxNewTokens < 0) {
            throw new RecurException("generate: --max-new-tokens must be >= 0, got " + maxNewTokens);
        }
        if (prompt.text != null) {
            return generateText(sampling);
        }
        int[] ids = parseIds(prompt.ids);
        CausalLm lm = HfModels.load(model);
        int[] fresh = Generator.generate(lm, ids, maxNewTokens, sampling);
        spec.commandLine().getOut().println(Arrays.stream(fresh).mapToObj(Integer::toString)
                .collect(Collectors.joining(" ")));
        return 0;
    }

    /**
     * {@code --prompt TEXT}: a byte-level model ({@code "tokenizer": "bytes"} in config.json) reads the prompt's
     * UTF-8 bytes as ids, and its new ids are printed as bytes (malformed UTF-8 shows as U+FFFD); a model folder
     * with a {@code tokenizer.json} uses that tokenizer both ways.
     */
    private int generateText(Sampling sampling) throws IOException {
        Path configFile = model.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new NoSuchFileException(configFile.toString());
        }
        boolean bytes = ModelFolder.isByteLevel(HfConfig.read(configFile));
        Optional<Tokenizer> tokenizer = bytes ? Optional.empty() : Tokenizer.find(model);
        if (!bytes && tokenizer.isEmpty()) {
            throw new RecurException("generate: --prompt needs a tokenizer: " + model + " has no tokenizer.json"
                    + " and its config.json does not say \"tokenizer\": \"bytes\"; give the prompt as --prompt-ids");
        }
        byte[] utf8 = prompt.text.getBytes(StandardCharsets.UTF_8);
        int[] ids = bytes ? IntStream.range(0, utf8.length).map(i -> utf8[i] & 0xff).toArray()
                : tokenizer.get().encode(prompt.text);
        CausalLm lm = HfModels.load(model);
        int[] fresh = Generator.generate(lm, ids, maxNewTokens, sampling);
        String text;
        if (bytes) {
            byte[] out = new byte[fresh.length];
            for (int i = 0; i < fresh.length; i++) {
                out[i] = (byte) fresh[i];
            }
            text = new String(out, StandardCharsets.UTF_8);
        } else {
            text = tokenizer.get().decode(fresh);
        }
        spec.commandLine().getOut().println(text);
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
