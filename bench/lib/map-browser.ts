/**
 * What bench/map-page.ts runs inside the Map page: a scripted pan and zoom
 * timed with requestAnimationFrame, hover look-ups timed over many pointer
 * moves, and the old JSON path against the binary one. Each function is
 * serialised by playwright and runs in the page, so it imports nothing.
 */

export interface FrameStats {
  frames: number;
  fps: number;
  /** Time between animation frames, ms. */
  intervalP50: number;
  intervalP95: number;
  /** Time the map spent drawing one frame (canvas data-render-ms), ms. */
  renderP50: number;
  renderP95: number;
}

/** Drags the map around and zooms in and out, one input event per animation frame, for `ms` milliseconds. */
export async function panZoom(ms: number): Promise<FrameStats> {
  const canvas = document.querySelector<HTMLCanvasElement>('#map-canvas')!;
  const r = canvas.getBoundingClientRect();
  const cx = r.left + r.width / 2;
  const cy = r.top + r.height / 2;
  const next = () => new Promise<number>((res) => requestAnimationFrame(res));
  const pointer = (type: string, x: number, y: number) =>
    canvas.dispatchEvent(new PointerEvent(type, { pointerId: 1, pointerType: 'mouse', isPrimary: true, clientX: x, clientY: y, buttons: type === 'pointerup' ? 0 : 1, bubbles: true }));
  const intervals: number[] = [];
  const renders: number[] = [];
  await next();
  const start = performance.now();
  let last = start;
  let i = 0;
  while (last - start < ms) {
    const phase = Math.floor(i / 40) % 2;
    if (phase === 0) {
      // Pan: a drag along a circle.
      if (i % 40 === 0) pointer('pointerdown', cx, cy);
      const a = (i % 40) / 40 * Math.PI * 2;
      pointer('pointermove', cx + Math.cos(a) * 150, cy + Math.sin(a) * 150);
      if (i % 40 === 39) pointer('pointerup', cx, cy);
    } else {
      // Zoom: in for ten frames, out for ten.
      canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: i % 20 < 10 ? -120 : 120, clientX: cx, clientY: cy, cancelable: true, bubbles: true }));
    }
    const now = await next();
    intervals.push(now - last);
    renders.push(Number(canvas.dataset.renderMs ?? 0));
    last = now;
    i++;
  }
  const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
  return {
    frames: intervals.length,
    fps: Math.round((intervals.length / (last - start)) * 1000 * 10) / 10,
    intervalP50: q(intervals, 0.5),
    intervalP95: q(intervals, 0.95),
    renderP50: q(renders, 0.5),
    renderP95: q(renders, 0.95),
  };
}

/** Mean time of one hover (pointer move without a button) over the map, ms: the grid look-up and the tip. */
export function hoverCost(moves: number): number {
  const canvas = document.querySelector<HTMLCanvasElement>('#map-canvas')!;
  const r = canvas.getBoundingClientRect();
  let s = 7;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const t0 = performance.now();
  for (let i = 0; i < moves; i++) {
    canvas.dispatchEvent(new PointerEvent('pointermove', { pointerId: 1, pointerType: 'mouse', clientX: r.left + r.width * (0.2 + 0.6 * rnd()), clientY: r.top + r.height * (0.2 + 0.6 * rnd()), bubbles: true }));
  }
  return (performance.now() - t0) / moves;
}

/** Fetch-and-parse time of the JSON map against fetch-and-decode of the binary one (the decoding mirrors map-format.ts). */
export async function jsonVsBinary(): Promise<{ jsonMs: number; binMs: number; points: number }> {
  let t = performance.now();
  const json = (await (await fetch('/api/map', { cache: 'no-store' })).json()) as { points: { x: number; y: number; topic: number }[] };
  const xs = new Float32Array(json.points.length);
  json.points.forEach((p, i) => (xs[i] = p.x));
  const jsonMs = performance.now() - t;
  t = performance.now();
  const bytes = new Uint8Array(await (await fetch('/api/map.bin', { cache: 'no-store' })).arrayBuffer());
  const view = new DataView(bytes.buffer);
  const n = view.getUint32(8, true);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = (view.getUint16(16 + i * 2, true) / 65535) * 2 - 1;
  return { jsonMs, binMs: performance.now() - t, points: n };
}
