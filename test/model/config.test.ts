/** config.json normalization: upstream defaults, and what we refuse rather than approximate. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { normalizeConfig } from "../../src/model/config.js";

test("defaults are transformers' DistilBertConfig / BertConfig defaults", () => {
  const d = normalizeConfig({ model_type: "distilbert" });
  assert.deepEqual([d.hidden, d.layers, d.heads, d.intermediate, d.vocabSize, d.layerNormEps, d.hiddenAct, d.typeVocabSize], [768, 6, 12, 3072, 30522, 1e-12, "gelu", 0]);
  const b = normalizeConfig({ model_type: "bert", layer_norm_eps: 1e-5, hidden_act: "gelu_pytorch_tanh" });
  assert.deepEqual([b.hidden, b.layers, b.heads, b.intermediate, b.typeVocabSize, b.layerNormEps, b.hiddenAct, b.tieWordEmbeddings], [768, 12, 12, 3072, 2, 1e-5, "gelu_new", true]);
});

test("unsupported architectures and options are UNSUPPORTED naming config.json; inconsistent sizes INVALID_FILE", () => {
  assert.throws(() => normalizeConfig({ model_type: "roberta" }, "m/config.json"), { code: "UNSUPPORTED", message: /m\/config\.json: model_type "roberta"/ });
  assert.throws(() => normalizeConfig({}, "config.json"), { code: "UNSUPPORTED", message: /model_type null/ });
  assert.throws(() => normalizeConfig({ model_type: "bert", position_embedding_type: "relative_key" }), { code: "UNSUPPORTED", message: /relative_key/ });
  assert.throws(() => normalizeConfig({ model_type: "bert", hidden_act: "silu" }), { code: "UNSUPPORTED", message: /hidden_act "silu"/ });
  assert.throws(() => normalizeConfig({ model_type: "distilbert", dim: 100, n_heads: 12 }), { code: "INVALID_FILE", message: /dim \(100\) is not a multiple of n_heads \(12\)/ });
  assert.throws(() => normalizeConfig({ model_type: "bert", num_hidden_layers: 0 }), { code: "INVALID_FILE", message: /num_hidden_layers/ });
  assert.throws(() => normalizeConfig([1, 2]), { code: "INVALID_FILE" });
});
