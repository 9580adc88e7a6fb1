import { describe, expect, it } from 'vitest';
import { decodeMap, encodeMap, NO_TOPIC, wireTopic } from '../../src/app/map-format.ts';

const topics = [
  { id: 0, label: 'graph neural networks', x: -0.5, y: 0.25, size: 3 },
  { id: 7, label: 'grokking — “phase” changes', x: 0.5, y: -0.25, size: 1 },
];

describe('the binary map format', () => {
  it('round-trips positions within one quantum, topics exactly, and the topics with their labels', () => {
    const x = Float32Array.from([-1, -0.33333, 0, 0.7071, 1]);
    const y = Float32Array.from([1, 0.5, -0.999, 0.123456, -1]);
    const topic = Uint16Array.from([0, 0, 7, NO_TOPIC, 7]);
    const bytes = encodeMap({ x, y, topic, topics });
    expect(bytes.length).toBe(16 + 5 * 6 + new TextEncoder().encode(JSON.stringify(topics)).length);
    const back = decodeMap(bytes);
    for (let i = 0; i < 5; i++) {
      expect(Math.abs(back.x[i] - x[i])).toBeLessThanOrEqual(1 / 32767);
      expect(Math.abs(back.y[i] - y[i])).toBeLessThanOrEqual(1 / 32767);
    }
    expect([back.x[0], back.x[2], back.x[4]]).toEqual([-1, expect.closeTo(0, 4), 1]);
    expect([...back.topic]).toEqual([...topic]);
    expect(back.topics).toEqual(topics);
  });

  it('clamps positions outside [-1, 1] and non-numbers to the square instead of wrapping around', () => {
    const back = decodeMap(encodeMap({ x: Float32Array.from([1.5, -3, NaN]), y: Float32Array.from([0, 0, 0]), topic: new Uint16Array(3), topics: [] }));
    expect([...back.x]).toEqual([1, -1, expect.closeTo(0, 4)]);
  });

  it('reads an empty map', () => {
    const back = decodeMap(encodeMap({ x: new Float32Array(0), y: new Float32Array(0), topic: new Uint16Array(0), topics: [] }));
    expect(back.x.length).toBe(0);
    expect(back.topics).toEqual([]);
  });

  it('reads a map that starts at an odd offset of a larger buffer', () => {
    const bytes = encodeMap({ x: Float32Array.from([0.5]), y: Float32Array.from([-0.5]), topic: Uint16Array.from([7]), topics });
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 3);
    const back = decodeMap(big.subarray(3));
    expect(back.x[0]).toBeCloseTo(0.5, 4);
    expect(back.topic[0]).toBe(7);
  });

  it('says what is wrong with a truncated, foreign or newer body', () => {
    const bytes = encodeMap({ x: Float32Array.from([0.5]), y: Float32Array.from([0.5]), topic: Uint16Array.from([0]), topics });
    expect(() => decodeMap(bytes.subarray(0, 10))).toThrow(/10 bytes, shorter than its 16-byte header/);
    expect(() => decodeMap(bytes.subarray(0, bytes.length - 1))).toThrow(/expected \d+ for 1 papers/);
    expect(() => decodeMap(new TextEncoder().encode('{"points":[]} and more'))).toThrow(/starts with "\{"po", not "RMAP"/);
    const newer = bytes.slice();
    newer[4] = 2;
    expect(() => decodeMap(newer)).toThrow(/format version 2, this page reads 1/);
    expect(() => encodeMap({ x: new Float32Array(2), y: new Float32Array(1), topic: new Uint16Array(2), topics: [] })).toThrow(/2 x, 1 y and 2 topics/);
  });

  it('sends a negative, fractional or too large topic id as "none"', () => {
    expect([3, 0, -1, 1.5, 65535, 70000].map(wireTopic)).toEqual([3, 0, NO_TOPIC, NO_TOPIC, NO_TOPIC, NO_TOPIC]);
  });
});
