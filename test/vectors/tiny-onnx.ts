/**
 * Builds a tiny sentence-embedding model the ONNX embedder can load: a word-level
 * tokenizer and a one-node ONNX graph (an embedding table looked up by Gather,
 * giving `last_hidden_state`; the pipeline mean-pools it). The ONNX protobuf is
 * written by hand — a few fields of ModelProto are all it takes — so the test
 * needs no download and no Python.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// --- minimal protobuf writer ---
function varint(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const key = (field: number, wire: number) => varint((field << 3) | wire);
const int = (field: number, n: number) => [...key(field, 0), ...varint(n)];
const bytes = (field: number, b: number[] | Uint8Array) => [...key(field, 2), ...varint(b.length), ...b];
const str = (field: number, s: string) => bytes(field, [...Buffer.from(s, 'utf8')]);

const FLOAT = 1;
const INT64 = 7;

function dim(d: number | string): number[] {
  return typeof d === 'number' ? int(1, d) : str(2, d);
}
function valueInfo(name: string, elemType: number, dims: (number | string)[]): number[] {
  const shape = dims.flatMap((d) => bytes(1, dim(d)));
  const tensorType = [...int(1, elemType), ...bytes(2, shape)];
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))];
}

/** ModelProto bytes: last_hidden_state = Gather(embeddings, input_ids). */
export function gatherModel(table: number[][]): Uint8Array {
  const v = table.length;
  const d = table[0].length;
  const raw = Buffer.alloc(v * d * 4);
  table.flat().forEach((x, i) => raw.writeFloatLE(x, i * 4));
  const initializer = [...int(1, v), ...int(1, d), ...int(2, FLOAT), ...str(8, 'embeddings'), ...bytes(9, raw)];
  const node = [...str(1, 'embeddings'), ...str(1, 'input_ids'), ...str(2, 'last_hidden_state'), ...str(3, 'lookup'), ...str(4, 'Gather')];
  const graph = [
    ...bytes(1, node),
    ...str(2, 'tiny'),
    ...bytes(5, initializer),
    ...bytes(11, valueInfo('input_ids', INT64, ['batch', 'sequence'])),
    ...bytes(12, valueInfo('last_hidden_state', FLOAT, ['batch', 'sequence', d])),
  ];
  const opset = [...str(1, ''), ...int(2, 13)];
  return Uint8Array.from([...int(1, 8), ...str(2, 'paper-radar-test'), ...bytes(7, graph), ...bytes(8, opset)]);
}

/**
 * Writes a model directory. Word i of `words` gets row i + 2 of the table
 * (0 = [PAD], 1 = [UNK]); `vector(word)` gives its row.
 */
export function writeTinyModel(dir: string, words: string[], vector: (word: string) => number[]): void {
  const dims = vector(words[0]).length;
  const vocab: Record<string, number> = { '[PAD]': 0, '[UNK]': 1 };
  words.forEach((w, i) => (vocab[w] = i + 2));
  const table = [new Array(dims).fill(0), new Array(dims).fill(0).map((_, i) => (i === 0 ? 0.01 : 0)), ...words.map(vector)];
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(join(dir, 'onnx', 'model.onnx'), gatherModel(table));
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  writeFileSync(
    join(dir, 'tokenizer.json'),
    JSON.stringify({
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [special(0, '[PAD]'), special(1, '[UNK]')],
      normalizer: { type: 'Lowercase' },
      pre_tokenizer: { type: 'Whitespace' },
      post_processor: null,
      decoder: null,
      model: { type: 'WordLevel', vocab, unk_token: '[UNK]' },
    }),
  );
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({ tokenizer_class: 'PreTrainedTokenizer', pad_token: '[PAD]', unk_token: '[UNK]', model_max_length: 512 }),
  );
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: dims }));
}
