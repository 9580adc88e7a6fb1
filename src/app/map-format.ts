/**
 * The map's compact wire format, shared by the server (encode) and the Map
 * page's script (decode): 6 bytes a paper instead of the ~60 of
 * `GET /api/map`'s JSON, so 100k papers are 600 kB before compression.
 *
 *   bytes 0–3   "RMAP"
 *   u32         version (1)
 *   u32         n, the number of papers
 *   u32         length of the topics JSON at the end, in bytes
 *   u16[n]      x, quantized: 0 ↔ -1, 65535 ↔ 1
 *   u16[n]      y, likewise
 *   u16[n]      topic id (65535: none)
 *   utf-8       JSON array of topics { id, label, x, y, size }
 *
 * Little-endian. Papers come in the order of the ids list (`GET /api/map.ids`),
 * so the i-th point is the paper on the i-th line. A quantum is 1/32768 of the
 * half-width: at the deepest zoom the page allows, about three pixels.
 * Pure: no Node or DOM APIs, so the browser bundle can import it.
 */

export const MAP_MAGIC = 'RMAP';
export const MAP_VERSION = 1;
export const NO_TOPIC = 0xffff;
const HEAD = 16;

export interface MapTopic {
  id: number;
  label: string;
  x: number;
  y: number;
  size: number;
}

/** Decoded (or to be encoded) map: positions in [-1, 1], topic per point. */
export interface MapArrays {
  x: Float32Array;
  y: Float32Array;
  topic: Uint16Array;
  topics: MapTopic[];
}

const quantize = (v: number) => Math.round(((Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0)) + 1) / 2) * 65535);
const dequantize = (q: number) => (q / 65535) * 2 - 1;

/** A topic id as stored on the wire: a real topic, or NO_TOPIC for none (negative, unknown, too large). */
export const wireTopic = (t: number) => (Number.isInteger(t) && t >= 0 && t < NO_TOPIC ? t : NO_TOPIC);

export function encodeMap(m: MapArrays): Uint8Array {
  const n = m.x.length;
  if (m.y.length !== n || m.topic.length !== n) throw new Error(`map: ${n} x, ${m.y.length} y and ${m.topic.length} topics; expected as many of each`);
  const json = new TextEncoder().encode(JSON.stringify(m.topics));
  const out = new Uint8Array(HEAD + n * 6 + json.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = MAP_MAGIC.charCodeAt(i);
  view.setUint32(4, MAP_VERSION, true);
  view.setUint32(8, n, true);
  view.setUint32(12, json.length, true);
  for (let i = 0; i < n; i++) {
    view.setUint16(HEAD + i * 2, quantize(m.x[i]), true);
    view.setUint16(HEAD + (n + i) * 2, quantize(m.y[i]), true);
    view.setUint16(HEAD + (2 * n + i) * 2, m.topic[i], true);
  }
  out.set(json, HEAD + n * 6);
  return out;
}

/** Reads an encoded map; a truncated or foreign body is an error saying which part is wrong. */
export function decodeMap(bytes: Uint8Array): MapArrays {
  if (bytes.length < HEAD) throw new Error(`map: ${bytes.length} bytes, shorter than its ${HEAD}-byte header`);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== MAP_MAGIC) throw new Error(`map: starts with "${magic}", not "${MAP_MAGIC}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== MAP_VERSION) throw new Error(`map: format version ${version}, this page reads ${MAP_VERSION}`);
  const n = view.getUint32(8, true);
  const jsonBytes = view.getUint32(12, true);
  if (bytes.length !== HEAD + n * 6 + jsonBytes) throw new Error(`map: ${bytes.length} bytes, expected ${HEAD + n * 6 + jsonBytes} for ${n} papers`);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const topic = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = dequantize(view.getUint16(HEAD + i * 2, true));
    y[i] = dequantize(view.getUint16(HEAD + (n + i) * 2, true));
    topic[i] = view.getUint16(HEAD + (2 * n + i) * 2, true);
  }
  const topics = JSON.parse(new TextDecoder().decode(bytes.subarray(HEAD + n * 6))) as MapTopic[];
  return { x, y, topic, topics };
}
