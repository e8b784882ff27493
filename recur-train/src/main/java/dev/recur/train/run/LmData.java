package dev.recur.train.run;

import dev.recur.core.RecurException;
import dev.recur.core.io.DType;
import dev.recur.core.io.TensorFile;
import dev.recur.core.io.TensorFiles;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.lm.ModelFolder;
import dev.recur.layers.tokenizer.TextCodec;
import dev.recur.layers.tokenizer.Tokenizer;
import dev.recur.tasks.text.Corpus;
import dev.recur.train.loop.TokenStreams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * What a language-model run reads, as token ids with their provenance. A byte-level model ({@code "tokenizer":
 * "bytes"} in config.json, or no model folder: a model trained from scratch) reads {@code --text} as bytes
 * (default: for a model trained from scratch, Moby-Dick with six books by other authors,
 * {@link Corpus#mobyDickAndLibrary()}; for a byte-level {@code --init} folder, Moby-Dick); a model folder with
 * {@code tokenizer.json} encodes the text with it; otherwise the ids come
 * from {@code --ids FILE} (whitespace-separated integers, or a {@code .safetensors} file with {@code input_ids},
 * its rows read one after another). Every id is checked against the model's vocabulary. The last
 * {@value Corpus#DEFAULT_VALIDATION_FRACTION} of the ids is held out.
 *
 * @param streams the training and held-out ids
 * @param name a short name (the file's, or the corpus's)
 * @param source where the data came from, for provenance
 * @param sha256 the sha256 of the text or id file
 * @param validationText the held-out bytes of byte-level text (null otherwise), for the compressor baselines
 * @param codec how text maps to ids for samples (bytes, the tokenizer), or null for bare ids
 * @param otherAuthors prose by other authors that the default corpus does not train on ({@link
 *                     Corpus#otherAuthors()}), scored after a run on the default corpus; null for any other data
 */
public record LmData(TokenStreams streams, String name, String source, String sha256, byte[] validationText,
                     TextCodec codec, byte[] otherAuthors) {

    /**
     * The data of {@code settings} for a model of {@code vocab} ids whose tokens {@code tokenFolder} describes
     * (null: bytes).
     */
    static LmData read(RunSettings settings, Path tokenFolder, int vocab) throws IOException {
        Path ids = settings.path("ids");
        Path text = settings.path("text");
        if (ids != null && text != null) {
            throw new RecurException("--ids " + ids + " and --text " + text + " conflict: give the data once");
        }
        if (ids != null) {
            int[] all = readIds(ids, vocab);
            return new LmData(split(all, ids.toString()), ids.getFileName().toString(), ids.toAbsolutePath().toString(),
                    DataFingerprint.ofFile(ids), null, null, null);
        }
        boolean bytes = tokenFolder == null
                || ModelFolder.isByteLevel(HfConfig.read(tokenFolder.resolve("config.json")));
        Optional<Tokenizer> tokenizer = bytes ? Optional.empty() : Tokenizer.find(tokenFolder);
        if (!bytes && tokenizer.isEmpty()) {
            throw new RecurException("--init " + tokenFolder + ": config.json has no \"tokenizer\": \"bytes\" and the"
                    + " folder has no tokenizer.json; give the training token ids with --ids FILE");
        }
        boolean defaultCorpus = text == null && tokenFolder == null;
        Corpus corpus = text != null ? Corpus.fromFile(text)
                : defaultCorpus ? Corpus.mobyDickAndLibrary() : Corpus.mobyDick();
        if (bytes) {
            var split = corpus.split();
            return new LmData(TokenStreams.of(split), corpus.name(), corpus.source(), corpus.sha256(),
                    split.validation(), new dev.recur.layers.tokenizer.ByteCodec(),
                    defaultCorpus ? Corpus.otherAuthors().bytes() : null);
        }
        int[] all = tokenizer.get().encode(new String(corpus.bytes(), StandardCharsets.UTF_8));
        checkVocab(all, vocab, corpus.source() + " (encoded by " + tokenFolder.resolve("tokenizer.json") + ")");
        return new LmData(split(all, corpus.source()), corpus.name(), corpus.source(), corpus.sha256(), null,
                tokenizer.get(), null);
    }

    /** Whether the ids are bytes (scored in bits per byte). */
    public boolean bytes() {
        return streams.bytes();
    }

    private static TokenStreams split(int[] ids, String where) {
        int heldOut = (int) Math.floor(ids.length * Corpus.DEFAULT_VALIDATION_FRACTION);
        if (heldOut < 2 || ids.length - heldOut < 2) {
            throw new RecurException(where + ": expected enough tokens to hold out "
                    + Corpus.DEFAULT_VALIDATION_FRACTION + " of them (at least 40), got " + ids.length);
        }
        int cut = ids.length - heldOut;
        return new TokenStreams(Arrays.copyOfRange(ids, 0, cut), Arrays.copyOfRange(ids, cut, ids.length), false);
    }

    /** The ids of {@code file}, each checked to be in {@code [0, vocab)}. */
    static int[] readIds(Path file, int vocab) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        int[] ids;
        if (file.getFileName().toString().endsWith(".safetensors") || TensorFiles.isTorchSave(file)) {
            try (TensorFile f = TensorFiles.open(file)) {
                if (!f.contains("input_ids")) {
                    throw new RecurException(file + ": no tensor 'input_ids' (has " + f.names() + ")");
                }
                DType dtype = f.info("input_ids").dtype();
                if (dtype != DType.I64 && dtype != DType.I32) {
                    throw new RecurException(file + ": tensor 'input_ids' expected dtype I64 or I32, got " + dtype);
                }
                ids = f.readInt("input_ids").data();
            }
        } else {
            String[] words = Files.readString(file, StandardCharsets.UTF_8).trim().split("\\s+");
            ids = new int[words[0].isEmpty() ? 0 : words.length];
            for (int i = 0; i < ids.length; i++) {
                try {
                    ids[i] = Integer.parseInt(words[i]);
                } catch (NumberFormatException e) {
                    throw new RecurException(file + ": token " + i + ": expected an integer id, got '" + words[i]
                            + "'");
                }
            }
        }
        checkVocab(ids, vocab, file.toString());
        return ids;
    }

    private static void checkVocab(int[] ids, int vocab, String where) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocab) {
                throw new RecurException(where + ": token " + i + ": id " + ids[i] + " is outside the model's"
                        + " vocabulary [0, " + vocab + ")");
            }
        }
    }
}
