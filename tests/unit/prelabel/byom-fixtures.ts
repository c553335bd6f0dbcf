// Shared BYOM NER fixtures: a hand-written WordPiece tokenizer.json (BERT uncased style), its
// config.json, and the logits table of the fake Gather token classifier (tiny-onnx.ts).
export const VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "hi", "john", "smith", ",", "from", "zur", "##ich", "met", "ann", "in", "new", "york", "."];
export const TAGS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"];

export const TOKENIZER_JSON = JSON.stringify({
  version: "1.0",
  truncation: null,
  padding: null,
  added_tokens: [{ id: 0, content: "[PAD]", special: true }, { id: 1, content: "[UNK]", special: true }, { id: 2, content: "[CLS]", special: true }, { id: 3, content: "[SEP]", special: true }],
  normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
  pre_tokenizer: { type: "BertPreTokenizer" },
  post_processor: {
    type: "TemplateProcessing",
    single: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }],
    pair: [],
    special_tokens: { "[CLS]": { id: "[CLS]", ids: [2], tokens: ["[CLS]"] }, "[SEP]": { id: "[SEP]", ids: [3], tokens: ["[SEP]"] } },
  },
  decoder: { type: "WordPiece", prefix: "##", cleanup: true },
  model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab: Object.fromEntries(VOCAB.map((t, i) => [t, i])) },
});
export const CONFIG_JSON = JSON.stringify({ architectures: ["BertForTokenClassification"], id2label: Object.fromEntries(TAGS.map((t, i) => [String(i), t])) });

/** Logits per vocab entry: the tag each token gets, with a logit that sets its probability. */
export function nerTable(): Float32Array {
  const tag: Record<string, [string, number]> = {
    "[CLS]": ["B-LOC", 9], // specials carry a loud entity tag: a misaligned window would show it
    "[SEP]": ["B-LOC", 9],
    john: ["B-PER", 4],
    smith: ["I-PER", 6],
    zur: ["B-LOC", 5],
    "##ich": ["O", 5], // a later subword's label is ignored (first-subword rule)
    ann: ["B-PER", 5],
    new: ["B-LOC", 5],
    york: ["I-LOC", 5],
  };
  const t = new Float32Array(VOCAB.length * TAGS.length);
  VOCAB.forEach((v, i) => {
    const [name, logit] = tag[v] ?? ["O", 5];
    t[i * TAGS.length + TAGS.indexOf(name)] = logit;
  });
  return t;
}

export const TEXT = "🙂 Hi John Smith, from Zürich, met Ann in New York.";

/** GPT-2's byte -> printable character table, written out independently of the tokenizer's. */
function byteChars(): string[] {
  const keep = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  let n = 0;
  return Array.from({ length: 256 }, (_, b) => String.fromCodePoint(keep(b) ? b : 256 + n++));
}

/** A RoBERTa-style byte-level BPE tokenizer.json: specials, the 256 byte symbols, a few merges. */
export const BPE_MERGES = ["Ġ J", "ĠJ o", "ĠJo h", "ĠJoh n", "Ġ H", "ĠH i", "Ġ Z", "Ã ¼", "r i", "ri c", "ric h"];
export const BPE_VOCAB: string[] = ["<s>", "<pad>", "</s>", "<unk>", ...byteChars(), ...BPE_MERGES.map((m) => m.replace(" ", ""))];
export const BPE_TOKENIZER_JSON = JSON.stringify({
  version: "1.0",
  added_tokens: [],
  normalizer: null,
  pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
  post_processor: { type: "RobertaProcessing", sep: ["</s>", 2], cls: ["<s>", 0], trim_offsets: true, add_prefix_space: false },
  decoder: { type: "ByteLevel" },
  model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: "", end_of_word_suffix: "", fuse_unk: false, byte_fallback: false, vocab: Object.fromEntries(BPE_VOCAB.map((t, i) => [t, i])), merges: BPE_MERGES },
});
export const BPE_TEXT = "🙂 Hi John in Zürich!";

export function bpeTable(): Float32Array {
  const tag: Record<string, [string, number]> = { "<s>": ["B-LOC", 9], "</s>": ["B-LOC", 9], ĠJohn: ["B-PER", 5], ĠZ: ["B-LOC", 5], "Ã¼": ["O", 5], rich: ["I-PER", 5] };
  const t = new Float32Array(BPE_VOCAB.length * TAGS.length);
  BPE_VOCAB.forEach((v, i) => {
    const [name, logit] = tag[v] ?? ["O", 5];
    t[i * TAGS.length + TAGS.indexOf(name)] = logit;
  });
  return t;
}
