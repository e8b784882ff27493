package dev.recur.layers.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.io.json.JsonParser;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.NextTokenLoss;
import dev.recur.layers.testing.HfFolders;
import dev.recur.layers.testing.HfGolden;
import dev.recur.layers.testing.PaddingIdCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every supported HF {@code model_type} on its transformers reference weights, with the pad id among the inputs:
 * the types whose transformers model builds its embedding as {@code nn.Embedding(vocab, hidden, pad_token_id)}
 * (Jamba, Bamba, RecurrentGemma, Qwen3-Next) give the pad row no gradient from lookups; the types that build a plain
 * {@code nn.Embedding(vocab, hidden)} (Mamba, Mamba-2, RWKV) treat the pad id as any other token, whatever the
 * config's {@code pad_token_id} says. Each case runs the model with its {@code pad_token_id} beside the same weights
 * with none. A tied head is untied onto a copy of the embedding first (the same logits), so that the embedding's
 * gradient holds only the lookups'.
 */
class HfPaddingIdTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "jamba,          model.embed_tokens.weight,  lm_head.weight, true",
        "bamba,          model.embed_tokens.weight,  lm_head.weight, true",
        "recurrentgemma, model.embed_tokens.weight,  lm_head.weight, true",
        "qwen3_next,     model.embed_tokens.weight,  lm_head.weight, true",
        "mamba,          backbone.embeddings.weight, lm_head.weight, false",
        "mamba2,         backbone.embeddings.weight, lm_head.weight, false",
        "rwkv,           rwkv.embeddings.weight,     head.weight,    false",
    })
    void padIdFollowsTransformers(String type, String embedding, String head, boolean padRowFrozen) throws Exception {
        Path golden = HfGolden.caseDir(type);
        Map<String, Object> config = config(golden);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        IntTensor goldenIds;
        try (SafetensorsFile model = SafetensorsFile.open(golden.resolve("model.safetensors"));
                SafetensorsFile io = SafetensorsFile.open(golden.resolve("io.safetensors"))) {
            for (String name : model.names()) {
                weights.put(name, model.readFloat(name));
            }
            goldenIds = io.readInt("input_ids");
        }
        if (!weights.containsKey(head)) {
            weights.put(head, Tensor.of(weights.get(embedding).data().clone(), weights.get(embedding).shape()));
        }
        config.put("tie_word_embeddings", false);
        int pad = config.get("pad_token_id") == null ? 0 : Integer.parseInt(config.get("pad_token_id").toString());
        IntTensor ids = withPads(goldenIds, pad);

        Map<String, Object> padded = new LinkedHashMap<>(config);
        padded.put("pad_token_id", pad);
        Map<String, Object> plain = new LinkedHashMap<>(config);
        plain.put("pad_token_id", null);
        CausalLm withPad = HfModels.load(HfFolders.write(dir.resolve("pad"), padded, weights));
        CausalLm without = HfModels.load(HfFolders.write(dir.resolve("plain"), plain, weights));
        if (padRowFrozen) {
            PaddingIdCheck.check(withPad, without, embedding, pad, ids);
        } else {
            assertSameGradients(withPad, without, ids);
        }
    }

    /** The reference ids with the pad id written over a few positions of every row. */
    private static IntTensor withPads(IntTensor ids, int pad) {
        int[] data = ids.data().clone();
        int seqLen = ids.dim(1);
        for (int b = 0; b < ids.dim(0); b++) {
            data[b * seqLen + (1 + 2 * b) % seqLen] = pad;
            data[b * seqLen + (4 + b) % seqLen] = pad;
        }
        return IntTensor.of(data, ids.shape());
    }

    private static void assertSameGradients(CausalLm padded, CausalLm plain, IntTensor ids) {
        NextTokenLoss.of(padded.forward(ids, null).logits(), ids).backward();
        NextTokenLoss.of(plain.forward(ids, null).logits(), ids).backward();
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            assertThat(padded.forward(ids, null).logits().data())
                    .containsExactly(plain.forward(ids, null).logits().data());
        }
        assertThat(padded.parameters().keySet()).isEqualTo(plain.parameters().keySet());
        padded.parameters().forEach((name, p) -> assertThat(p.grad().data()).as("gradient of %s", name)
                .containsExactly(plain.parameters().get(name).grad().data()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(Path golden) throws Exception {
        String text = Files.readString(golden.resolve("config.json"), StandardCharsets.UTF_8);
        return new LinkedHashMap<>((Map<String, Object>) JsonParser.parse(text));
    }
}
