package dev.recur.layers.tokenizer;

import dev.recur.core.RecurException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A byte-level BPE tokenizer read from a Hugging Face {@code tokenizer.json} (the GPT-2 and GPT-NeoX kind used
 * by the public Mamba checkpoints), giving the same ids as the reference implementation.
 *
 * <p>{@link #encode} runs, in order: raw-text added tokens (special tokens such as {@code <|endoftext|>}) are cut
 * out; the rest is normalized (NFC or nothing); added tokens marked {@code normalized} are cut out; the
 * pre-tokenizer cuts the rest into words mapped to {@link ByteLevel} characters; BPE encodes each word. No
 * special token is added around the text. {@link #decode} maps ids back to bytes and reads them as UTF-8, so
 * {@code decode(encode(s))} gives back {@code s} (after NFC, if the file asks for it, and with the prefix space
 * when {@code add_prefix_space} put one there) for any text; an unpaired surrogate in the input is encoded as
 * U+FFFD, and ids that stop in the middle of a character decode to U+FFFD.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class Tokenizer implements TextCodec {
    private final String source;
    private final BpeModel model;
    private final List<AddedToken> addedTokens;
    private final Map<Integer, AddedToken> addedById = new HashMap<>();
    private final AddedTokenMatcher rawMatcher;
    private final AddedTokenMatcher normalizedMatcher;
    private final boolean nfc;
    private final PreTokenizer preTokenizer;
    private final int vocabSize;

    Tokenizer(String source, BpeModel model, List<AddedToken> addedTokens, boolean nfc, PreTokenizer preTokenizer) {
        this.source = source;
        this.model = model;
        this.addedTokens = List.copyOf(addedTokens);
        this.nfc = nfc;
        this.preTokenizer = preTokenizer;
        int limit = model.idLimit();
        List<AddedToken> raw = new ArrayList<>();
        List<AddedToken> normalized = new ArrayList<>();
        for (AddedToken t : addedTokens) {
            addedById.putIfAbsent(t.id(), t);
            limit = Math.max(limit, t.id() + 1);
            (t.normalized() ? normalized : raw).add(t);
        }
        this.vocabSize = limit;
        this.rawMatcher = new AddedTokenMatcher(raw, AddedToken::content);
        this.normalizedMatcher = new AddedTokenMatcher(normalized, t -> normalize(t.content()));
    }

    /** Reads a {@code tokenizer.json}; a malformed or unsupported file fails naming the file and the section. */
    public static Tokenizer load(Path tokenizerJson) throws IOException {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new RecurException(tokenizerJson + ": expected a tokenizer.json file, got no such file");
        }
        return parse(Files.readString(tokenizerJson, StandardCharsets.UTF_8), tokenizerJson.toString());
    }

    /** Reads the text of a {@code tokenizer.json}; {@code where} names it in errors. */
    public static Tokenizer parse(String json, String where) {
        return TokenizerJsonReader.read(json, where);
    }

    /** The tokenizer of a model folder: its {@code tokenizer.json}, or empty when the folder has none. */
    public static Optional<Tokenizer> find(Path modelDir) throws IOException {
        Path file = modelDir.resolve("tokenizer.json");
        return Files.isRegularFile(file) ? Optional.of(load(file)) : Optional.empty();
    }

    /** The ids of {@code text}, without any special token added around it. */
    public int[] encode(String text) {
        if (text == null) {
            throw new RecurException("tokenizer " + source + ": encode expected a text, got null");
        }
        IntBuilder ids = new IntBuilder();
        List<String> words = new ArrayList<>();
        rawMatcher.split(replaceUnpairedSurrogates(text), raw -> {
            if (raw.token() != null) {
                ids.add(raw.token().id());
                return;
            }
            normalizedMatcher.split(normalize(raw.text()), piece -> {
                if (piece.token() != null) {
                    ids.add(piece.token().id());
                    return;
                }
                words.clear();
                preTokenizer.split(piece.text(), words);
                for (String word : words) {
                    if (!word.isEmpty()) {
                        ids.addAll(model.encodeWord(word));
                    }
                }
            });
        });
        return ids.toArray();
    }

    /** The text of {@code ids}, special tokens included. */
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /** The text of {@code ids}; bytes that are not valid UTF-8 become U+FFFD. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        return new String(decodeBytes(ids, skipSpecialTokens), StandardCharsets.UTF_8);
    }

    /**
     * The UTF-8 bytes of {@code ids}, for a caller that prints tokens as they come and must not cut a character
     * whose bytes span two tokens.
     */
    public byte[] decodeBytes(int[] ids, boolean skipSpecialTokens) {
        if (ids == null) {
            throw new RecurException("tokenizer " + source + ": decode expected ids, got null");
        }
        ByteBuffer bytes = ByteBuffer.allocate(16 * ids.length + 16);
        for (int id : ids) {
            AddedToken added = addedById.get(id);
            if (added != null && added.special() && skipSpecialTokens) {
                continue;
            }
            String token = added != null ? added.content() : model.token(id);
            if (token == null) {
                throw new RecurException("tokenizer " + source + ": decode expected ids in [0, " + vocabSize
                        + ") that name a token, got " + id);
            }
            byte[] tokenBytes = tokenBytes(token);
            if (bytes.remaining() < tokenBytes.length) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(2 * bytes.capacity(), bytes.position()
                        + tokenBytes.length));
                bigger.put(bytes.flip());
                bytes = bigger;
            }
            bytes.put(tokenBytes);
        }
        return Arrays.copyOf(bytes.array(), bytes.position());
    }

    // The reference decoder maps a token char by char, and keeps the token's own UTF-8 when any char is unmapped.
    private static byte[] tokenBytes(String token) {
        byte[] out = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            int b = ByteLevel.byteOf(token.charAt(i));
            if (b < 0) {
                return token.getBytes(StandardCharsets.UTF_8);
            }
            out[i] = (byte) b;
        }
        return out;
    }

    /** One more than the largest id, counting the model's vocabulary and the added tokens. */
    public int vocabSize() {
        return vocabSize;
    }

    /** The id of a token of the vocabulary or of an added token (written as stored, e.g. {@code "Ġworld"}). */
    public OptionalInt id(String token) {
        for (AddedToken t : addedTokens) {
            if (t.content().equals(token)) {
                return OptionalInt.of(t.id());
            }
        }
        int id = model.id(token);
        return id >= 0 ? OptionalInt.of(id) : OptionalInt.empty();
    }

    /** The token of {@code id} as stored (byte-level characters), or empty when no token has that id. */
    public Optional<String> token(int id) {
        AddedToken added = addedById.get(id);
        return Optional.ofNullable(added != null ? added.content() : model.token(id));
    }

    /** True when {@code id} is a special added token (such as {@code <|endoftext|>}). */
    public boolean isSpecial(int id) {
        AddedToken added = addedById.get(id);
        return added != null && added.special();
    }

    /** The {@code added_tokens} in file order. */
    public List<AddedToken> addedTokens() {
        return addedTokens;
    }

    /** Where this tokenizer was read from. */
    public String source() {
        return source;
    }

    private String normalize(String text) {
        return nfc ? Normalizer.normalize(text, Normalizer.Form.NFC) : text;
    }

    private static String replaceUnpairedSurrogates(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                if (sb != null) {
                    sb.append(c).append(text.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (sb == null) {
                    sb = new StringBuilder(text.length()).append(text, 0, i);
                }
                sb.append('\uFFFD');
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? text : sb.toString();
    }

    /** A growable int array. */
    private static final class IntBuilder {
        private int[] items = new int[16];
        private int size;

        void add(int v) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = v;
        }

        void addAll(int[] vs) {
            if (size + vs.length > items.length) {
                items = Arrays.copyOf(items, Math.max(size * 2, size + vs.length));
            }
            System.arraycopy(vs, 0, items, size, vs.length);
            size += vs.length;
        }

        int[] toArray() {
            return Arrays.copyOf(items, size);
        }
    }
}
