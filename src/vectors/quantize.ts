/**
 * Dense vectors as stored: int8 per dimension plus one float32 scale (4× smaller
 * than float32: 132 bytes for 128 dimensions, so a million papers' vectors are
 * ~130 MB in the database). For unit vectors the rounding error moves a cosine
 * by well under 0.01, far below the differences rankings depend on.
 */

export function encodeDense(v: Float32Array): Buffer {
  let max = 0;
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i]));
  const scale = max > 0 ? max / 127 : 1;
  const buf = Buffer.alloc(4 + v.length);
  buf.writeFloatLE(scale, 0);
  const q = new Int8Array(buf.buffer, buf.byteOffset + 4, v.length);
  for (let i = 0; i < v.length; i++) q[i] = Math.round(v[i] / scale);
  return buf;
}

/** Decodes and re-normalises to unit length. */
export function decodeDense(buf: Uint8Array): Float32Array {
  if (buf.length < 5) throw new Error(`dense vector: ${buf.length} bytes is too short`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const scale = view.getFloat32(0, true);
  const out = new Float32Array(buf.length - 4);
  let norm = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = view.getInt8(4 + i) * scale;
    norm += out[i] * out[i];
  }
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < out.length; i++) out[i] *= inv;
  return out;
}

/** Scales a vector to unit length in place (zero stays zero); returns it. */
export function normalize(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i] * v[i];
  const inv = n > 0 ? 1 / Math.sqrt(n) : 0;
  for (let i = 0; i < v.length; i++) v[i] *= inv;
  return v;
}
