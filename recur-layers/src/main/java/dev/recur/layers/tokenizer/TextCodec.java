package dev.recur.layers.tokenizer;

import dev.recur.core.io.json.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Turns text into a model's token ids and back. */
public interface TextCodec {
    int[] encode(String text);

    String decode(int[] ids);

    /**
     * The codec a model folder declares: its {@code tokenizer.json} (byte-level BPE), or raw UTF-8 bytes when
     * its {@code config.json} says {@code "tokenizer": "bytes"} (Recur's byte-level models); empty otherwise.
     */
    static Optional<TextCodec> forModel(Path dir) throws IOException {
        Optional<Tokenizer> bpe = Tokenizer.find(dir);
        if (bpe.isPresent()) {
            return Optional.of(bpe.get());
        }
        Path config = dir.resolve("config.json");
        if (Files.isRegularFile(config)
                && JsonParser.parse(Files.readString(config, StandardCharsets.UTF_8)) instanceof Map<?, ?> m
                && "bytes".equals(m.get("tokenizer"))) {
            return Optional.of(new ByteCodec());
        }
        return Optional.empty();
    }
}
