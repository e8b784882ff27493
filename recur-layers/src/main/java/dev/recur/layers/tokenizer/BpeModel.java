package dev.recur.layers.tokenizer;

import dev.recur.core.RecurException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A BPE model (Sennrich et al. 2016, "Neural Machine Translation of Rare Words with Subword Units"): a word starts
 * as one symbol per character, then the adjacent pair with the lowest merge rank is merged, again and again, the
 * leftmost pair first among equals, until no adjacent pair has a merge rule. A min-heap of (rank, position) keeps
 * that at O(n log n) per word; results are cached per word.
 */
final class BpeModel {
    /** Words cached at most; past that, new words are encoded without being cached. */
    static final int CACHE_CAPACITY = 10_000;
    /** Ids must stay below this, so that a hostile file cannot make the id table huge. */
    static final int MAX_ID = 1 << 24;

    private final Map<String, Integer> vocab;
    private final String[] idToToken;
    // (left id << 32 | right id) -> (rank << 32 | merged id)
    private final Map<Long, Long> merges;
    private final int unkId;
    private final boolean fuseUnk;
    private final boolean ignoreMerges;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * @param vocab token -> id
     * @param mergeRules the merge rules in rank order, each a pair of tokens; both and their concatenation must
     *     be in the vocabulary
     * @param unkToken the token for a character that is not in the vocabulary, or null to fail on one
     * @param where names the file in errors
     */
    BpeModel(Map<String, Integer> vocab, List<String[]> mergeRules, String unkToken, boolean fuseUnk,
            boolean ignoreMerges, String where) {
        this.vocab = Map.copyOf(vocab);
        int maxId = -1;
        for (int id : vocab.values()) {
            maxId = Math.max(maxId, id);
        }
        if (maxId >= MAX_ID) {
            throw new RecurException(where + ": section 'model.vocab' expected ids below " + MAX_ID + ", got "
                    + maxId);
        }
        this.idToToken = new String[maxId + 1];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            if (idToToken[e.getValue()] != null) {
                throw new RecurException(where + ": section 'model.vocab' maps both \"" + idToToken[e.getValue()]
                        + "\" and \"" + e.getKey() + "\" to id " + e.getValue());
            }
            idToToken[e.getValue()] = e.getKey();
        }
        this.merges = new HashMap<>(mergeRules.size() * 2);
        for (int rank = 0; rank < mergeRules.size(); rank++) {
            String[] rule = mergeRules.get(rank);
            int left = idOrFail(rule[0], rank, where);
            int right = idOrFail(rule[1], rank, where);
            int merged = idOrFail(rule[0] + rule[1], rank, where);
            // A repeated rule takes its last rank, as in the reference implementation.
            merges.put(pairKey(left, right), ((long) rank << 32) | merged);
        }
        if (unkToken != null && !vocab.containsKey(unkToken)) {
            throw new RecurException(where + ": section 'model.unk_token' expected a token of the vocabulary, got \""
                    + unkToken + "\"");
        }
        this.unkId = unkToken == null ? -1 : vocab.get(unkToken);
        this.fuseUnk = fuseUnk;
        this.ignoreMerges = ignoreMerges;
    }

    private int idOrFail(String token, int rank, String where) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new RecurException(where + ": section 'model.merges[" + rank + "]' uses \"" + token
                    + "\", which is not in model.vocab");
        }
        return id;
    }

    private static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** The id of {@code token}, or -1. */
    int id(String token) {
        Integer id = vocab.get(token);
        return id == null ? -1 : id;
    }

    /** The token of {@code id}, or null when no token has that id. */
    String token(int id) {
        return id >= 0 && id < idToToken.length ? idToToken[id] : null;
    }

    /** The number of entries of the vocabulary. */
    int size() {
        return vocab.size();
    }

    /** One more than the largest id of the vocabulary. */
    int idLimit() {
        return idToToken.length;
    }

    /** The ids of one pre-tokenized word (never empty input). */
    int[] encodeWord(String word) {
        int[] cached = cache.get(word);
        if (cached != null) {
            return cached;
        }
        int[] ids = merge(word);
        if (cache.size() < CACHE_CAPACITY) {
            cache.put(word, ids);
        }
        return ids;
    }

    private int[] merge(String word) {
        if (ignoreMerges) {
            Integer whole = vocab.get(word);
            if (whole != null) {
                return new int[] {whole};
            }
        }
        int n = word.codePointCount(0, word.length());
        int[] sym = new int[n];
        int count = 0;
        boolean previousUnk = false;
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            int len = Character.charCount(cp);
            Integer id = vocab.get(word.substring(i, i + len));
            i += len;
            if (id != null) {
                sym[count++] = id;
                previousUnk = false;
            } else if (unkId >= 0) {
                if (!(fuseUnk && previousUnk)) {
                    sym[count++] = unkId;
                }
                previousUnk = true;
            } else {
                throw new RecurException("tokenizer: the character U+" + String.format("%04X", cp)
                        + " is not in model.vocab and the model has no unk_token");
            }
        }
        return mergeSymbols(Arrays.copyOf(sym, count));
    }

    // Linked list over the symbol array: a merged symbol keeps the left position; the right one dies.
    private int[] mergeSymbols(int[] sym) {
        int n = sym.length;
        if (n < 2) {
            return sym;
        }
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        boolean[] dead = new boolean[n];
        LongMinHeap heap = new LongMinHeap(n);
        for (int i = 0; i + 1 < n; i++) {
            pushPair(heap, sym, i, i + 1);
        }
        int alive = n;
        while (!heap.isEmpty()) {
            long top = heap.pop();
            int rank = (int) (top >>> 32);
            int pos = (int) top;
            int right = next[pos];
            if (dead[pos] || right < 0) {
                continue;
            }
            Long rule = merges.get(pairKey(sym[pos], sym[right]));
            // A stale entry: the pair at pos changed since it was pushed.
            if (rule == null || (int) (rule >>> 32) != rank) {
                continue;
            }
            sym[pos] = (int) (long) rule;
            dead[right] = true;
            alive--;
            next[pos] = next[right];
            if (next[pos] >= 0) {
                prev[next[pos]] = pos;
                pushPair(heap, sym, pos, next[pos]);
            }
            if (prev[pos] >= 0) {
                pushPair(heap, sym, prev[pos], pos);
            }
        }
        int[] out = new int[alive];
        int k = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            out[k++] = sym[i];
        }
        return out;
    }

    private void pushPair(LongMinHeap heap, int[] sym, int left, int right) {
        Long rule = merges.get(pairKey(sym[left], sym[right]));
        if (rule != null) {
            heap.push((rule >>> 32) << 32 | left);
        }
    }

    /** A binary min-heap of longs. */
    private static final class LongMinHeap {
        private long[] items;
        private int size;

        LongMinHeap(int capacity) {
            items = new long[Math.max(4, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(long v) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (items[parent] <= v) {
                    break;
                }
                items[i] = items[parent];
                i = parent;
            }
            items[i] = v;
        }

        long pop() {
            long top = items[0];
            long last = items[--size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && items[child + 1] < items[child]) {
                    child++;
                }
                if (items[child] >= last) {
                    break;
                }
                items[i] = items[child];
                i = child;
            }
            items[i] = last;
            return top;
        }
    }
}
