// A Hugging Face `tokenizer.json` reader for token classification, framework-free: WordPiece
// (BERT: bert-base-cased / -uncased, DistilBERT, multilingual BERT) with the BertNormalizer /
// BertPreTokenizer as the `tokenizers` library applies them, and byte-level BPE (RoBERTa, GPT-2
// style: ByteLevel pre-tokenizer + merges), with the template post-processor ([CLS] … [SEP],
// <s> … </s>). Offsets are Unicode code points of the original text (what span regions use),
// carried through normalisation one original code point at a time (and, for byte-level BPE, one
// UTF-8 byte at a time). Unigram models are refused with a clear error (ADR 0016).

export interface Token {
  id: number;
  /** The vocabulary entry ("##ing", "[UNK]"). */
  piece: string;
  /** [start, end) in Unicode code points of the original text. */
  start: number;
  end: number;
  /** Index of the pre-tokenizer word this token belongs to. */
  word: number;
}

export interface Word {
  start: number;
  end: number;
}

export interface Encoding {
  tokens: Token[];
  words: Word[];
}

/** What the NER pipeline needs from a tokenizer. */
export interface Tokenizer {
  /** Tokens without the special tokens. Tokens of whitespace-only pre-tokens have word -1. */
  encode(text: string): Encoding;
  /** Ids added before / after each window (e.g. [CLS] / [SEP]). */
  readonly specialsBefore: number[];
  readonly specialsAfter: number[];
}

export class TokenizerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TokenizerError";
  }
}

type Json = Record<string, unknown>;

/** A normalised code point and the original code point it came from. */
interface NChar {
  c: string;
  src: number;
}

type Normalizer = (chars: NChar[]) => NChar[];
type PreTokenizer = (words: NChar[][]) => NChar[][];

export interface TokenizerOptions {
  /** Overrides the normaliser's lowercasing (descriptor.text.lowercase). */
  lowercase?: boolean;
}

/** WordPiece or byte-level BPE from a tokenizer.json text; a clear TokenizerError otherwise. */
export function tokenizerFromJson(text: string, o: TokenizerOptions = {}): Tokenizer {
  const j = parseJson(text);
  const type = (j.model as Json | undefined)?.type;
  return type === "BPE" ? new BpeTokenizer(j, o) : new WordPieceTokenizer(j, o);
}

function parseJson(text: string): Json {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new TokenizerError(`tokenizer.json is not JSON: ${e instanceof Error ? e.message : e}`);
  }
  if (!j || typeof j !== "object" || Array.isArray(j)) throw new TokenizerError("tokenizer.json is not an object");
  return j as Json;
}

export class WordPieceTokenizer implements Tokenizer {
  readonly vocab: Map<string, number>;
  readonly unk: string;
  readonly unkId: number;
  readonly prefix: string;
  readonly maxWordChars: number;
  /** Longest vocab entry in code points. */
  private maxPiece = 1;
  /** Ids added before / after each window (e.g. [CLS] / [SEP]). */
  readonly specialsBefore: number[];
  readonly specialsAfter: number[];
  private readonly normalize: Normalizer;
  private readonly preTokenize: PreTokenizer;

  constructor(json: Json, o: TokenizerOptions = {}) {
    const model = json.model as Json | undefined;
    if (!model || typeof model !== "object") throw new TokenizerError("tokenizer.json has no model");
    const type = model.type ?? (model.continuing_subword_prefix !== undefined && !model.merges ? "WordPiece" : undefined);
    if (type !== "WordPiece") {
      if (type === "BPE") throw new TokenizerError("a BPE tokenizer.json: use BpeTokenizer (tokenizerFromJson picks it)");
      const what = type === "Unigram" ? "Unigram (SentencePiece: XLM-R, T5, ALBERT)" : String(type);
      throw new TokenizerError(`tokenizer model ${what} is not supported: only WordPiece (BERT, DistilBERT, multilingual BERT) and byte-level BPE (RoBERTa, GPT-2) tokenizers are`);
    }
    const vocab = model.vocab as Record<string, number> | undefined;
    if (!vocab || typeof vocab !== "object") throw new TokenizerError("tokenizer.json WordPiece model has no vocab");
    this.vocab = new Map(Object.entries(vocab));
    for (const k of this.vocab.keys()) this.maxPiece = Math.max(this.maxPiece, [...k].length);
    this.unk = typeof model.unk_token === "string" ? model.unk_token : "[UNK]";
    const unkId = this.vocab.get(this.unk);
    if (unkId === undefined) throw new TokenizerError(`the unknown token "${this.unk}" is not in the vocab`);
    this.unkId = unkId;
    this.prefix = typeof model.continuing_subword_prefix === "string" ? model.continuing_subword_prefix : "##";
    this.maxWordChars = typeof model.max_input_chars_per_word === "number" ? model.max_input_chars_per_word : 100;
    this.normalize = normalizer(json.normalizer as Json | null | undefined, o.lowercase);
    this.preTokenize = preTokenizer(json.pre_tokenizer as Json | null | undefined);
    const [before, after] = postProcessor(json.post_processor as Json | null | undefined, this.vocab);
    this.specialsBefore = before;
    this.specialsAfter = after;
  }

  static fromJson(text: string, o?: TokenizerOptions): WordPieceTokenizer {
    return new WordPieceTokenizer(parseJson(text), o);
  }

  /** Tokens without the special tokens, with code-point offsets into `text`. */
  encode(text: string): Encoding {
    const chars: NChar[] = Array.from(text, (c, src) => ({ c, src }));
    const words = this.preTokenize([this.normalize(chars)]).filter((w) => w.length > 0);
    const tokens: Token[] = [];
    const outWords: Word[] = [];
    words.forEach((w, wi) => {
      const start = w[0]!.src;
      const end = w[w.length - 1]!.src + 1;
      outWords.push({ start, end });
      for (const t of this.wordPiece(w)) tokens.push({ ...t, word: wi });
    });
    return { tokens, words: outWords };
  }

  private wordPiece(w: NChar[]): Omit<Token, "word">[] {
    const whole = () => [{ id: this.unkId, piece: this.unk, start: w[0]!.src, end: w[w.length - 1]!.src + 1 }];
    if (w.length > this.maxWordChars) return whole();
    const out: Omit<Token, "word">[] = [];
    // UTF-16 offsets of each code point, so a piece is one slice of the word.
    const str = w.map((ch) => ch.c).join("");
    const off = new Array<number>(w.length + 1);
    off[0] = 0;
    for (let i = 0; i < w.length; i++) off[i + 1] = off[i]! + w[i]!.c.length;
    let start = 0;
    while (start < w.length) {
      // No vocab entry is longer than maxPiece code points: start the search there (same result).
      let end = Math.min(w.length, start + this.maxPiece);
      let found: { id: number; piece: string } | null = null;
      while (start < end) {
        const sub = start > 0 ? this.prefix + str.slice(off[start], off[end]) : str.slice(off[start], off[end]);
        const id = this.vocab.get(sub);
        if (id !== undefined) { found = { id, piece: sub }; break; }
        end--;
      }
      if (!found) return whole();
      out.push({ ...found, start: w[start]!.src, end: w[end - 1]!.src + 1 });
      start = end;
    }
    return out;
  }
}

// --- normalisers (per original code point, so alignments stay exact) ---

const isWhitespace = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\r" || /^\p{Zs}$/u.test(c);
const isControl = (c: string) => !(c === "\t" || c === "\n" || c === "\r") && /^\p{C}$/u.test(c);
function isChinese(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x2a6df) || (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) || (cp >= 0x2b920 && cp <= 0x2ceaf) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x2f800 && cp <= 0x2fa1f);
}

/** Replace each char by f(char) (a string of 0..n code points), keeping its source. */
const mapChars = (f: (c: string) => string): Normalizer => (chars) => {
  const out: NChar[] = [];
  for (const ch of chars) {
    const r = f(ch.c);
    if (r === ch.c) out.push(ch);
    else for (const c of r) out.push({ c, src: ch.src });
  }
  return out;
};

const stripAccents = mapChars((c) => c.normalize("NFD").replace(/\p{Mn}/gu, ""));
const lower = mapChars((c) => c.toLowerCase());

function normalizer(j: Json | null | undefined, lowercase: boolean | undefined): Normalizer {
  const base = normalizerOf(j, lowercase);
  // A forced lowercase on a normaliser that has none.
  if (lowercase === true && !(j && (j.type === "BertNormalizer" || hasLowercase(j)))) return (c) => lower(base(c));
  return base;
}

const hasLowercase = (j: Json): boolean => j.type === "Lowercase" || (j.type === "Sequence" && Array.isArray(j.normalizers) && (j.normalizers as Json[]).some(hasLowercase));

function normalizerOf(j: Json | null | undefined, lowercase: boolean | undefined): Normalizer {
  if (!j) return (c) => c;
  switch (j.type) {
    case "BertNormalizer": {
      const lc = lowercase ?? j.lowercase !== false;
      const strip = j.strip_accents === null || j.strip_accents === undefined ? lc : j.strip_accents === true;
      const clean = j.clean_text !== false;
      const chinese = j.handle_chinese_chars !== false;
      // One pass per original code point, ASCII on a fast path (the common case is a few KB of text).
      const slow = (c: string): string => {
        if (clean && (c === "\0" || c === "\ufffd" || isControl(c))) return "";
        if (clean && isWhitespace(c)) return " ";
        if (chinese && isChinese(c)) return ` ${c} `;
        let r = c;
        if (strip) r = r.normalize("NFD").replace(/\p{Mn}/gu, "");
        if (lc) r = r.toLowerCase();
        return r;
      };
      const one = (c: string): string => {
        const code = c.charCodeAt(0);
        if (code >= 128) return slow(c);
        if (code < 32 || code === 127) return !clean ? c : code === 9 || code === 10 || code === 13 ? " " : "";
        return lc && code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : c;
      };
      return mapChars(one);
    }
    case "Lowercase":
      return lowercase === false ? (c) => c : lower;
    case "StripAccents":
      return mapChars((c) => c.replace(/\p{Mn}/gu, ""));
    case "NFD":
    case "NFC":
    case "NFKD":
    case "NFKC": {
      const form = j.type;
      return mapChars((c) => c.normalize(form));
    }
    case "Sequence": {
      const list = Array.isArray(j.normalizers) ? (j.normalizers as Json[]).map((n) => normalizerOf(n, lowercase)) : [];
      return (c) => list.reduce((acc, f) => f(acc), c);
    }
    default:
      throw new TokenizerError(`tokenizer normalizer "${String(j.type)}" is not supported (supported: BertNormalizer, Lowercase, StripAccents, NFD/NFC/NFKD/NFKC, Sequence)`);
  }
}

// --- pre-tokenisers ---

const isBertPunct = (c: string) => {
  const code = c.charCodeAt(0);
  if (code < 128) return (code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126);
  return /^\p{P}$/u.test(c);
};
const isJsWhitespace = (c: string) => {
  const code = c.charCodeAt(0);
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return /^\s$/u.test(c);
};

/** Split each word at chars where `sep` holds; `keep` keeps the separator as its own word. */
const splitWords = (sep: (c: string) => boolean, keep: boolean): PreTokenizer => (words) => {
  const out: NChar[][] = [];
  for (const w of words) {
    let cur: NChar[] = [];
    for (const ch of w) {
      if (!sep(ch.c)) { cur.push(ch); continue; }
      if (cur.length) out.push(cur);
      cur = [];
      if (keep) out.push([ch]);
    }
    if (cur.length) out.push(cur);
  }
  return out;
};

const bertPre: PreTokenizer = (words) => splitWords(isBertPunct, true)(splitWords(isJsWhitespace, false)(words));

/** `Whitespace`: the regex \w+|[^\w\s]+ . */
const whitespacePre: PreTokenizer = (words) => {
  const out: NChar[][] = [];
  const kind = (c: string) => (/^\s$/u.test(c) ? 0 : /^[\p{L}\p{N}\p{M}_]$/u.test(c) ? 1 : 2);
  for (const w of words) {
    let cur: NChar[] = [];
    let k = -1;
    for (const ch of w) {
      const kc = kind(ch.c);
      if (kc !== k && cur.length) { out.push(cur); cur = []; }
      k = kc;
      if (kc !== 0) cur.push(ch);
    }
    if (cur.length) out.push(cur);
  }
  return out;
};

function preTokenizer(j: Json | null | undefined): PreTokenizer {
  if (!j) return (w) => w;
  switch (j.type) {
    case "BertPreTokenizer":
      return bertPre;
    case "WhitespaceSplit":
      return splitWords(isJsWhitespace, false);
    case "Whitespace":
      return whitespacePre;
    case "Sequence": {
      const list = Array.isArray(j.pretokenizers) ? (j.pretokenizers as Json[]).map(preTokenizer) : [];
      return (w) => list.reduce((acc, f) => f(acc), w);
    }
    default:
      throw new TokenizerError(`tokenizer pre_tokenizer "${String(j.type)}" is not supported (supported: BertPreTokenizer, Whitespace, WhitespaceSplit, Sequence)`);
  }
}

// --- post-processor: the special tokens around a single sequence ---

function postProcessor(j: Json | null | undefined, vocab: Map<string, number>): [number[], number[]] {
  if (!j) return [[], []];
  const idOf = (t: unknown, fallback?: unknown): number => {
    if (typeof fallback === "number") return fallback;
    const id = typeof t === "string" ? vocab.get(t) : undefined;
    if (id === undefined) throw new TokenizerError(`special token ${JSON.stringify(t)} is not in the vocab`);
    return id;
  };
  switch (j.type) {
    case "BertProcessing":
    case "RobertaProcessing": {
      const cls = j.cls as [string, number], sep = j.sep as [string, number];
      return [[idOf(cls[0], cls[1])], [idOf(sep[0], sep[1])]];
    }
    case "TemplateProcessing": {
      const single = (Array.isArray(j.single) ? j.single : []) as Json[];
      const specials = (j.special_tokens ?? {}) as Record<string, { ids?: number[] }>;
      const before: number[] = [], after: number[] = [];
      let seen = false;
      for (const item of single) {
        if (item.Sequence) { seen = true; continue; }
        const sp = item.SpecialToken as { id: string } | undefined;
        if (!sp) continue;
        const ids = specials[sp.id]?.ids ?? [idOf(sp.id)];
        (seen ? after : before).push(...ids);
      }
      return [before, after];
    }
    case "Sequence": {
      const list = Array.isArray(j.processors) ? (j.processors as Json[]) : [];
      const p = list.find((x) => x.type === "TemplateProcessing" || x.type === "BertProcessing" || x.type === "RobertaProcessing");
      return p ? postProcessor(p, vocab) : [[], []];
    }
    default:
      return [[], []];
  }
}

// --- byte-level BPE (RoBERTa, GPT-2) ---

/** GPT-2's bytes_to_unicode: each byte as a printable character. */
const BYTE_CHARS: string[] = (() => {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const out = new Array<string>(256);
  for (const b of bs) out[b] = String.fromCodePoint(b);
  let n = 0;
  for (let b = 0; b < 256; b++) if (out[b] === undefined) out[b] = String.fromCodePoint(256 + n++);
  return out;
})();

const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;
const utf8 = new TextEncoder();

export class BpeTokenizer implements Tokenizer {
  readonly vocab: Map<string, number>;
  readonly ranks: Map<string, number>;
  readonly unkId: number | null;
  readonly addPrefixSpace: boolean;
  readonly specialsBefore: number[];
  readonly specialsAfter: number[];
  private readonly normalize: Normalizer;
  private readonly cache = new Map<string, string[]>();

  constructor(json: Json, o: TokenizerOptions = {}) {
    const model = json.model as Json | undefined;
    if (!model || model.type !== "BPE") throw new TokenizerError("not a BPE tokenizer.json");
    const pre = json.pre_tokenizer as Json | null | undefined;
    const byteLevel = pre?.type === "ByteLevel" ? pre : pre?.type === "Sequence" && Array.isArray(pre.pretokenizers) ? (pre.pretokenizers as Json[]).find((p) => p.type === "ByteLevel") : undefined;
    if (!byteLevel) throw new TokenizerError(`BPE tokenizers are supported with the ByteLevel pre-tokenizer (RoBERTa, GPT-2); this one has ${pre ? `"${String(pre.type)}"` : "none"}`);
    if (pre?.type === "Sequence" && (pre.pretokenizers as Json[]).length > 1) throw new TokenizerError("a BPE pre-tokenizer Sequence other than a lone ByteLevel is not supported");
    if (byteLevel.use_regex === false) throw new TokenizerError("ByteLevel with use_regex: false is not supported");
    if ((typeof model.continuing_subword_prefix === "string" && model.continuing_subword_prefix) || (typeof model.end_of_word_suffix === "string" && model.end_of_word_suffix)) {
      throw new TokenizerError("BPE with a continuing_subword_prefix / end_of_word_suffix is not supported (byte-level BPE has none)");
    }
    this.addPrefixSpace = byteLevel.add_prefix_space === true;
    const vocab = model.vocab as Record<string, number> | undefined;
    if (!vocab || typeof vocab !== "object") throw new TokenizerError("tokenizer.json BPE model has no vocab");
    this.vocab = new Map(Object.entries(vocab));
    const merges = Array.isArray(model.merges) ? (model.merges as unknown[]) : [];
    this.ranks = new Map();
    merges.forEach((m, i) => {
      const pair = typeof m === "string" ? m.split(" ") : Array.isArray(m) ? (m as string[]) : [];
      if (pair.length !== 2) throw new TokenizerError(`BPE merge ${i} is not a pair: ${JSON.stringify(m)}`);
      this.ranks.set(`${pair[0]} ${pair[1]}`, i);
    });
    this.unkId = typeof model.unk_token === "string" ? (this.vocab.get(model.unk_token) ?? null) : null;
    this.normalize = normalizer(json.normalizer as Json | null | undefined, o.lowercase);
    const [before, after] = postProcessor(json.post_processor as Json | null | undefined, this.vocab);
    this.specialsBefore = before;
    this.specialsAfter = after;
  }

  encode(text: string): Encoding {
    let chars: NChar[] = this.normalize(Array.from(text, (c, src) => ({ c, src })));
    if (this.addPrefixSpace && chars.length && chars[0]!.c !== " ") chars = [{ c: " ", src: chars[0]!.src }, ...chars];
    const str = chars.map((ch) => ch.c).join("");
    // UTF-16 index -> index into chars.
    const at = new Int32Array(str.length + 1);
    let u = 0;
    chars.forEach((ch, i) => { for (let k = 0; k < ch.c.length; k++) at[u++] = i; });
    at[u] = chars.length;
    const tokens: Token[] = [];
    const words: Word[] = [];
    for (const m of str.matchAll(GPT2_SPLIT)) {
      const piece = m[0];
      const from = at[m.index!]!;
      const to = at[m.index! + piece.length]!;
      const pc = chars.slice(from, to);
      // Each UTF-8 byte remembers its source code point.
      const bytes: string[] = [];
      const src: number[] = [];
      for (const ch of pc) for (const b of utf8.encode(ch.c)) { bytes.push(BYTE_CHARS[b]!); src.push(ch.src); }
      const content = pc.filter((ch) => !/^\s$/u.test(ch.c));
      let word = -1;
      if (content.length) {
        word = words.length;
        words.push({ start: content[0]!.src, end: content[content.length - 1]!.src + 1 });
      }
      let b = 0;
      for (const sym of this.bpe(bytes)) {
        const n = [...sym].length; // one character per byte
        const first = b, last = b + n - 1;
        b += n;
        const id = this.vocab.get(sym) ?? this.unkId;
        if (id === null) continue;
        // Offsets trimmed of the leading space, like trim_offsets.
        let s0 = src[first]!;
        for (let k = first; k <= last && bytes[k] === BYTE_CHARS[32]; k++) s0 = src[Math.min(k + 1, last)]!;
        tokens.push({ id, piece: sym, start: s0, end: src[last]! + 1, word });
      }
    }
    return { tokens, words };
  }

  /** Merge the byte symbols by rank (lowest first, leftmost first), cached per pre-token. */
  private bpe(bytes: string[]): string[] {
    const key = bytes.join("");
    const hit = this.cache.get(key);
    if (hit) return hit;
    let syms = [...bytes];
    for (;;) {
      let best = -1, bestRank = Infinity;
      for (let i = 0; i + 1 < syms.length; i++) {
        const r = this.ranks.get(`${syms[i]} ${syms[i + 1]}`);
        if (r !== undefined && r < bestRank) { bestRank = r; best = i; }
      }
      if (best < 0) break;
      syms = [...syms.slice(0, best), syms[best]! + syms[best + 1]!, ...syms.slice(best + 2)];
    }
    if (this.cache.size > 10000) this.cache.clear();
    this.cache.set(key, syms);
    return syms;
  }
}
