package dev.recur.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ByteBatcherTest {
    /** Random bytes in 'a'..'z', so that any 12-byte run occurs once and pins down its position. */
    private static byte[] letters(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + r.nextInt(26));
        }
        return b;
    }

    private static byte[] row(int[] data, int b, int width) {
        byte[] out = new byte[width];
        for (int t = 0; t < width; t++) {
            out[t] = (byte) data[b * width + t];
        }
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void targetsAreInputsShiftedByOneAndWindowsComeFromTheText() {
        byte[] text = letters(5000, 1);
        ByteBatcher batcher = new ByteBatcher(text, 4, 16, 42);
        for (int k = 0; k < 50; k++) {
            ByteBatch batch = batcher.next();
            assertThat(batch.inputs().shape()).containsExactly(4, 16);
            assertThat(batch.targets().shape()).containsExactly(4, 16);
            for (int b = 0; b < 4; b++) {
                byte[] in = row(batch.inputs().data(), b, 16);
                byte[] tg = row(batch.targets().data(), b, 16);
                int at = indexOf(text, in);
                assertThat(at).as("batch %d row %d comes from the text", k, b).isGreaterThanOrEqualTo(0);
                assertThat(tg).isEqualTo(Arrays.copyOfRange(text, at + 1, at + 17));
            }
        }
    }

    @Test
    void eachStreamReadsContiguousTextAcrossBatchesUntilItWraps() {
        byte[] text = letters(4 * 200, 7);
        int seqLen = 10;
        ByteBatcher batcher = new ByteBatcher(text, 4, seqLen, 3);
        // Slice of 200 bytes: floor(199 / 10) = 19 windows per pass.
        assertThat(batcher.windowsPerPass()).isEqualTo(19);
        assertThat(batcher.tokensPerBatch()).isEqualTo(40);
        List<ByteBatch> batches = new ArrayList<>();
        // Batches 1..57 span exactly three passes of 19 windows, whatever each stream's starting window.
        for (int k = 0; k < 58; k++) {
            batches.add(batcher.next());
        }
        for (int b = 0; b < 4; b++) {
            ByteArrayOutputStream run = new ByteArrayOutputStream();
            int runs = 0;
            int wraps = 0;
            for (ByteBatch batch : batches) {
                if (batch.resets(b)) {
                    if (run.size() > 0) {
                        checkRunIsContiguous(text, run.toByteArray(), b);
                        runs++;
                    }
                    run.reset();
                    wraps += batch.index() == 0 ? 0 : 1;
                }
                run.writeBytes(row(batch.inputs().data(), b, seqLen));
                if (batch.index() > 0 && !batch.resets(b)) {
                    ByteBatch previous = batches.get((int) batch.index() - 1);
                    assertThat(batch.inputs().data()[b * seqLen])
                            .as("stream %d: the next input is the previous last target", b)
                            .isEqualTo(previous.targets().data()[b * seqLen + seqLen - 1]);
                }
            }
            checkRunIsContiguous(text, run.toByteArray(), b);
            assertThat(wraps).as("stream %d wraps", b).isEqualTo(3);
            assertThat(runs).isEqualTo(3);
        }
        assertThat(batches.get(0).resetState()).containsOnly(true);
    }

    /** A run of inputs between resets is one stretch of the text, inside stream b's slice. */
    private static void checkRunIsContiguous(byte[] text, byte[] run, int b) {
        int at = indexOf(text, Arrays.copyOf(run, Math.min(run.length, 12)));
        assertThat(at).isGreaterThanOrEqualTo(0);
        assertThat(run).isEqualTo(Arrays.copyOfRange(text, at, at + run.length));
        assertThat(at).isGreaterThanOrEqualTo(b * 200);
        assertThat(at + run.length + 1).isLessThanOrEqualTo((b + 1) * 200);
    }

    @Test
    void theSameSeedGivesTheSameBatchesAndSeekResumes() {
        byte[] text = letters(10_000, 2);
        ByteBatcher a = new ByteBatcher(text, 8, 32, 99);
        ByteBatcher b = new ByteBatcher(text, 8, 32, 99);
        List<ByteBatch> first = new ArrayList<>();
        for (int k = 0; k < 40; k++) {
            ByteBatch x = a.next();
            ByteBatch y = b.next();
            assertThat(x.inputs().data()).isEqualTo(y.inputs().data());
            assertThat(x.resetState()).isEqualTo(y.resetState());
            first.add(x);
        }
        ByteBatcher resumed = new ByteBatcher(text, 8, 32, 99);
        resumed.seek(25);
        for (int k = 25; k < 40; k++) {
            ByteBatch r = resumed.next();
            assertThat(r.index()).isEqualTo(k);
            assertThat(r.inputs().data()).isEqualTo(first.get(k).inputs().data());
            assertThat(r.targets().data()).isEqualTo(first.get(k).targets().data());
            assertThat(r.resetState()).isEqualTo(first.get(k).resetState());
        }
        assertThat(resumed.position()).isEqualTo(40);

        ByteBatcher other = new ByteBatcher(text, 8, 32, 100);
        assertThat(other.next().inputs().data()).isNotEqualTo(first.get(0).inputs().data());
    }

    @Test
    void validationBytesNeverAppearInTrainingWindows() {
        byte[] text = letters(3000, 5);
        // The held-out tail is made of a byte the training part never contains.
        Arrays.fill(text, 2850, 3000, (byte) '#');
        CorpusSplit split = Corpus.of("t", text).split();
        assertThat(split.validation()).containsOnly((byte) '#');
        ByteBatcher batcher = new ByteBatcher(split.training(), 5, 8, 11);
        // Several full passes, so that every window of every slice is drawn.
        for (int k = 0; k < 3 * batcher.windowsPerPass(); k++) {
            ByteBatch batch = batcher.next();
            assertThat(batch.inputs().data()).doesNotContain((int) '#');
            assertThat(batch.targets().data()).doesNotContain((int) '#');
        }
    }

    @Test
    void heldOutBatchesScoreEveryByteOfEachSliceOnceInOrder() {
        byte[] held = letters(1003, 9);
        HeldOutBatches eval = ByteBatcher.evaluation(held, 4, 64);
        // Slices of floor(1003 / 4) = 250 bytes; 249 targets each; batches of 64, 64, 64, 57.
        assertThat(eval.predictedBytes()).isEqualTo(4 * 249);
        assertThat(eval.batchCount()).isEqualTo(4);
        List<Integer> lengths = new ArrayList<>();
        ByteArrayOutputStream[] targets = new ByteArrayOutputStream[4];
        ByteArrayOutputStream[] inputs = new ByteArrayOutputStream[4];
        for (int b = 0; b < 4; b++) {
            targets[b] = new ByteArrayOutputStream();
            inputs[b] = new ByteArrayOutputStream();
        }
        for (ByteBatch batch : eval) {
            lengths.add(batch.seqLen());
            assertThat(batch.resetState()).containsOnly(batch.index() == 0);
            for (int b = 0; b < 4; b++) {
                inputs[b].writeBytes(row(batch.inputs().data(), b, batch.seqLen()));
                targets[b].writeBytes(row(batch.targets().data(), b, batch.seqLen()));
            }
        }
        assertThat(lengths).containsExactly(64, 64, 64, 57);
        for (int b = 0; b < 4; b++) {
            assertThat(inputs[b].toByteArray()).isEqualTo(Arrays.copyOfRange(held, b * 250, b * 250 + 249));
            assertThat(targets[b].toByteArray()).isEqualTo(Arrays.copyOfRange(held, b * 250 + 1, b * 250 + 250));
        }
        assertThat(eval.iterator().next().index()).as("each iteration is a new pass").isEqualTo(0);
    }

    @Test
    void shapesThatDoNotFitAreRejected() {
        byte[] text = letters(100, 1);
        assertThatThrownBy(() -> new ByteBatcher(text, 4, 25, 0)).isInstanceOf(RecurException.class)
                .hasMessageContaining("expected at least batchSize * (seqLen + 1) = 104 training bytes")
                .hasMessageContaining("got 100");
        assertThatThrownBy(() -> new ByteBatcher(text, 0, 5, 0)).isInstanceOf(RecurException.class);
        assertThatThrownBy(() -> ByteBatcher.evaluation(new byte[3], 2, 4)).isInstanceOf(RecurException.class)
                .hasMessageContaining("got 3");
        assertThatThrownBy(() -> new ByteBatcher(text, 2, 5, 0).seek(-1)).isInstanceOf(RecurException.class);
    }
}
