package dev.recur.layers.stack;

import dev.recur.layers.attention.AttentionMixerKind;
import dev.recur.layers.block.BlockSpec;
import dev.recur.layers.linear.LightNetMixerKind;
import dev.recur.layers.linear.LinearMixerKind;
import dev.recur.layers.rwkv.RwkvMixerKind;
import dev.recur.layers.ssm.s4d.S4dMixerKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The spec grammar: what good specs expand to (written out by hand), and what bad ones are told. */
class LayerSpecTest {

    private static String expand(String spec) {
        return LayerSpec.format(LayerSpec.parse(spec));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "gdn,gdn,gdn,attn | gdn,gdn,gdn,attn",
        "mamba2*3+attn | mamba2,mamba2,mamba2,attn",
        "(gla*3+attn)*2 | gla,gla,gla,attn,gla,gla,gla,attn",
        "' ( gla * 2 , attn ) * 2 + lstm ' | gla,gla,attn,gla,gla,attn,lstm",
        "attn(heads=4,window=64) | attn(heads=4,window=64)",
        "attn( window = 64 , heads=4 )*2 | attn(heads=4,window=64),attn(heads=4,window=64)",
        "rat(chunk=16),gru,hgrn2,linear,deltanet,mamba | rat(chunk=16),gru,hgrn2,linear,deltanet,mamba",
        "((lstm)) | lstm",
        "mamba2(state=8,heads=4,expand=1,conv=2,chunk=8) | mamba2(chunk=8,conv=2,expand=1,heads=4,state=8)",
        "lightnet*2+attn | lightnet,lightnet,attn",
        "s4d(state=16) | s4d(state=16)",
        "lightnet(conv=0,heads=2)*2 | lightnet(conv=0,heads=2),lightnet(conv=0,heads=2)",
        "(rhn(depth=3)+qlstm)*2,leaky(tau=4),rwkv,elman | rhn(depth=3),qlstm,rhn(depth=3),qlstm,leaky(tau=4),rwkv,elman",
    })
    void goodSpecsExpand(String spec, String expected) {
        assertThat(expand(spec)).isEqualTo(expected);
    }

    @Test
    void recurrentKindsParseToTheirFamilies() {
        List<BlockSpec> blocks = LayerSpec.parse("s4d(state=16)+lightnet(heads=2)+rwkv");
        assertThat(blocks).containsExactly(new BlockSpec(S4dMixerKind.S4D, Map.of("state", 16)),
                new BlockSpec(LightNetMixerKind.LIGHTNET, Map.of("heads", 2)), BlockSpec.of(RwkvMixerKind.RWKV));
        assertThat(blocks.get(0).option("state", 64)).isEqualTo(16);
        assertThat(blocks.get(1).option("conv", 4)).isEqualTo(4);
        assertThat(MixerKinds.of("lightnet").isRecurrent()).isTrue();
    }

    @Test
    void blocksCarryKindsAndOptions() {
        List<BlockSpec> blocks = LayerSpec.parse("gla*2+attn(heads=2)");
        assertThat(blocks).containsExactly(BlockSpec.of(LinearMixerKind.GLA), BlockSpec.of(LinearMixerKind.GLA),
                new BlockSpec(AttentionMixerKind.ATTN, Map.of("heads", 2)));
        assertThat(blocks.get(2).option("heads", 8)).isEqualTo(2);
        assertThat(blocks.get(2).option("window", 0)).isEqualTo(0);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "'' | expected at least one block",
        "gla**3 | at position 5 ('*'): expected a repeat count after '*'",
        "gla*0 | at position 5 ('0'): expected a repeat count from 1 to 1024",
        "gla,,attn | at position 5 (','): expected a block kind",
        "gla,transformer | at position 5 ('transformer'): unknown block kind 'transformer' (known: attn, mamba, mamba2,"
                + " gdn, deltanet, gla, hgrn2, linear, rat, lstm, gru, elman, s4d, rhn, qlstm, leaky, rwkv, lightnet, griffin)",
        "s4d(heads=2) | 's4d' has no option 'heads' (options: state)",
        "(gla*3+attn | at position 12 (the end): expected ')' closing the group",
        "gla)attn | at position 4 (')'): expected ',', '+' or '*'",
        "attn(heads=4,heads=2) | at position 14 ('heads'): option 'heads' given twice",
        "attn(chunk=4) | at position 6 ('chunk'): 'attn' has no option 'chunk' (options: heads, window)",
        "lstm(heads=4) | 'lstm' has no option 'heads' (it takes none)",
        "attn(heads=) | at position 12 (')'): expected an integer value for option 'heads'",
        "attn(heads=-1) | at position 12 ('-'): expected an integer value for option 'heads'",
        "attn(heads=4 | at position 13 (the end): expected ',' or ')' in the options of 'attn'",
        "gla*2000 | expected a repeat count from 1 to 1024",
        "(gla*1000)*2 | expands to more than 1024 blocks",
    })
    void badSpecsNamePositionAndToken(String spec, String message) {
        assertThatThrownBy(() -> LayerSpec.parse(spec)).isInstanceOf(RecurException.class)
                .hasMessageContaining(message);
    }

    @Test
    void jsonListOfStringsAndObjects() {
        List<BlockSpec> blocks = LayerSpec.fromJson(
                "[\"gla*2\", {\"kind\": \"attn\", \"heads\": 4, \"repeat\": 2}, {\"kind\": \"mamba\"}]");
        assertThat(LayerSpec.format(blocks)).isEqualTo("gla,gla,attn(heads=4),attn(heads=4),mamba");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "{\"kind\": \"gla\"} | expected a non-empty array",
        "[] | expected a non-empty array",
        "[3] | item 0 expected a spec string or a block object, got 3",
        "[{\"heads\": 2}] | item 0 expected a string field 'kind', got null",
        "[{\"kind\": \"attn\", \"heads\": 2.5}] | item 0 field 'heads' expected an integer >= 0, got 2.5",
        "[{\"kind\": \"attn\", \"chunk\": 2}] | 'attn' has no option 'chunk'",
        "[{\"kind\": \"gla\", \"repeat\": 0}] | field 'repeat' expected 1 to 1024, got 0",
        "[{\"kind\": \"rnn\"}] | unknown block kind 'rnn'",
        "[\"gla\", | layer spec JSON:",
    })
    void badJsonIsNamed(String json, String message) {
        assertThatThrownBy(() -> LayerSpec.fromJson(json)).isInstanceOf(RecurException.class)
                .hasMessageContaining(message);
    }

    @Test
    void formatParsesBackToTheSameBlocks() {
        List<BlockSpec> blocks = LayerSpec.parse("(mamba(state=8)*2+attn(window=16))*2,rat(chunk=4,heads=2)");
        assertThat(LayerSpec.parse(LayerSpec.format(blocks))).isEqualTo(blocks);
    }
}
