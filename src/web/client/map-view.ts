/**
 * Drawing the map and moving around it: every paper as a dot coloured by
 * topic, the topics' labels, a profile's papers and feed on top; wheel to
 * zoom, drag to pan, hover to pick the point under the pointer.
 *
 * Smooth with 100k points: dots are written straight into one reused
 * ImageData pixel buffer (one 32-bit store per pixel, no canvas call per dot),
 * labels and highlights are drawn on top with the canvas API, frames are
 * coalesced to one per animation frame, and hovering asks a grid of the
 * points (map-grid.ts) instead of scanning them.
 */
import type { MapTopic } from '../../app/map-format.ts';
import { PointGrid } from './map-grid.ts';

export interface MapModel {
  /** Positions in [-1, 1]; y grows upwards as on the wire. */
  x: Float32Array;
  y: Float32Array;
  topic: Uint16Array;
  topics: MapTopic[];
}

export interface MapHooks {
  /** The hovered point changed (-1: none); clientX/Y relative to the canvas. */
  hover(i: number, cx: number, cy: number): void;
  /** A click (not a drag) on a point. */
  open(i: number): void;
}

export interface MapView {
  highlight(mine: number[], feed: number[]): void;
  topicLabel(i: number): string;
  topicColour(i: number): string;
}

/** A distinct colour per topic (golden-angle hues), as RGB bytes. */
export function topicRgb(t: number, dark: boolean): [number, number, number] {
  const h = ((t * 137.508) % 360) / 360;
  const s = 0.55;
  const l = dark ? 0.62 : 0.48;
  const f = (n: number) => {
    const k = (n + h * 12) % 12;
    const a = s * Math.min(l, 1 - l);
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

export function mountMap(canvas: HTMLCanvasElement, model: MapModel, hooks: MapHooks): MapView {
  const ctx = canvas.getContext('2d')!;
  const dark = matchMedia('(prefers-color-scheme: dark)').matches;
  const n = model.x.length;
  const xs = model.x;
  // Screen y grows downwards: flip once here instead of in every frame.
  const ys = model.y.map((v) => -v);
  const little = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  const maxTopic = model.topics.reduce((m, t) => Math.max(m, t.id), 0);
  const palette = new Uint32Array(maxTopic + 2).fill(little ? 0xff888888 : 0x888888ff);
  const css: string[] = [];
  const labelOf: string[] = [];
  for (const t of model.topics) {
    const [r, g, b] = topicRgb(t.id, dark);
    palette[t.id] = little ? ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | 255) >>> 0;
    css[t.id] = `rgb(${r} ${g} ${b})`;
    labelOf[t.id] = t.label;
  }
  const colour = new Uint32Array(n);
  for (let i = 0; i < n; i++) colour[i] = palette[Math.min(model.topic[i], maxTopic + 1)];
  const grid = new PointGrid(xs, ys);
  const labels = [...model.topics].sort((a, b) => b.size - a.size).map((t) => ({ ...t, text: t.label.length > 48 ? `${t.label.slice(0, 46)}…` : t.label, width: 0 }));
  let mine: number[] = [];
  let feed: number[] = [];

  let w = 0;
  let h = 0;
  let dpr = 1;
  let scale = 1;
  let tx = 0;
  let ty = 0;
  let hovered = -1;
  let frame = 0;

  const fit = () => {
    // Past 2× the dots are no sharper, and every pixel costs in each frame.
    dpr = Math.min(2, window.devicePixelRatio || 1);
    const first = w === 0;
    const oldScale = scale;
    const cx = first ? 0 : (w / 2 - tx) / scale;
    const cy = first ? 0 : (h / 2 - ty) / scale;
    w = Math.max(1, Math.round(canvas.clientWidth * dpr));
    h = Math.max(1, Math.round(canvas.clientHeight * dpr));
    canvas.width = w;
    canvas.height = h;
    scale = first ? (Math.min(w, h) / 2) * 0.92 : oldScale;
    // A resize keeps the centre of the view where it was.
    tx = w / 2 - cx * scale;
    ty = h / 2 - cy * scale;
    for (const l of labels) l.width = 0;
  };
  const request = () => {
    if (!frame) frame = requestAnimationFrame(render);
  };

  // One pixel buffer, reused by every frame (a new one per frame is megabytes of garbage while zooming).
  let img: ImageData | undefined;
  let px = new Uint32Array(0);
  function drawDots() {
    if (!img || img.width !== w || img.height !== h) {
      img = ctx.createImageData(w, h);
      px = new Uint32Array(img.data.buffer);
    } else px.fill(0);
    const big = scale > 2000 * dpr;
    const right = w - (big ? 3 : 2);
    const bottom = h - (big ? 3 : 2);
    for (let i = 0; i < n; i++) {
      const fx = xs[i] * scale + tx;
      const fy = ys[i] * scale + ty;
      if (fx < 0 || fy < 0 || fx >= right || fy >= bottom) continue;
      const at = (fy | 0) * w + (fx | 0);
      const c = colour[i];
      px[at] = c;
      px[at + 1] = c;
      px[at + w] = c;
      px[at + w + 1] = c;
      if (big) {
        px[at + 2] = c;
        px[at + w + 2] = c;
        px[at + 2 * w] = c;
        px[at + 2 * w + 1] = c;
        px[at + 2 * w + 2] = c;
      }
    }
    ctx.putImageData(img, 0, 0);
  }

  function ring(i: number, fill: string, r: number) {
    ctx.beginPath();
    ctx.arc(xs[i] * scale + tx, ys[i] * scale + ty, r * dpr, 0, Math.PI * 2);
    ctx.fillStyle = fill;
    ctx.fill();
    ctx.lineWidth = 1.5 * dpr;
    ctx.strokeStyle = dark ? '#111' : '#fff';
    ctx.stroke();
  }

  function drawLabels() {
    const taken: [number, number, number, number][] = [];
    ctx.font = `600 ${12 * dpr}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    const th = 18 * dpr;
    for (const t of labels) {
      const x = t.x * scale + tx;
      const y = -t.y * scale + ty;
      if (x < 0 || y < 0 || x > w || y > h) continue;
      if (!t.width) t.width = ctx.measureText(t.text).width + 8 * dpr;
      const box: [number, number, number, number] = [x - t.width / 2, y - th / 2, x + t.width / 2, y + th / 2];
      if (taken.some((b) => box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1])) continue;
      taken.push(box);
      ctx.fillStyle = dark ? 'rgb(24 25 28 / 0.8)' : 'rgb(255 255 255 / 0.82)';
      ctx.fillRect(box[0], box[1], t.width, th);
      ctx.fillStyle = dark ? '#e7e7e4' : '#1c1d1f';
      ctx.fillText(t.text, x, y);
    }
  }

  function render() {
    frame = 0;
    const t0 = performance.now();
    drawDots();
    for (const i of feed) ring(i, '#d6336c', 4);
    for (const i of mine) ring(i, '#e8590c', 4.5);
    drawLabels();
    if (hovered >= 0) ring(hovered, css[model.topic[hovered]] ?? '#888', 6);
    // How long drawing took (the frame rate alone hides it when it fits in a frame): read by bench/map-page.ts.
    canvas.dataset.renderMs = (performance.now() - t0).toFixed(2);
  }

  /** The point within 8 px of a screen position (device pixels), nearest first. */
  const pick = (sx: number, sy: number) => grid.nearest((sx - tx) / scale, (sy - ty) / scale, (8 * dpr) / scale);

  let drag: { x: number; y: number; tx: number; ty: number; moved: boolean } | undefined;
  canvas.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY, tx, ty, moved: false };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    const r = canvas.getBoundingClientRect();
    if (drag) {
      const dx = (e.clientX - drag.x) * dpr;
      const dy = (e.clientY - drag.y) * dpr;
      if (Math.abs(dx) + Math.abs(dy) > 3 * dpr) {
        drag.moved = true;
        canvas.classList.add('dragging');
      }
      if (drag.moved) {
        tx = drag.tx + dx;
        ty = drag.ty + dy;
        request();
        return;
      }
    }
    const i = pick((e.clientX - r.left) * dpr, (e.clientY - r.top) * dpr);
    canvas.style.cursor = i >= 0 ? 'pointer' : '';
    if (i !== hovered) {
      hovered = i;
      request();
    }
    hooks.hover(i, e.clientX - r.left, e.clientY - r.top);
  });
  canvas.addEventListener('pointerup', () => {
    const click = drag && !drag.moved;
    drag = undefined;
    canvas.classList.remove('dragging');
    if (click && hovered >= 0) hooks.open(hovered);
  });
  canvas.addEventListener('pointerleave', () => {
    hovered = -1;
    hooks.hover(-1, 0, 0);
    request();
  });
  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const r = canvas.getBoundingClientRect();
      const sx = (e.clientX - r.left) * dpr;
      const sy = (e.clientY - r.top) * dpr;
      const next = Math.max(50, Math.min(scale * Math.exp(-e.deltaY * 0.0015), 200_000));
      tx = sx - ((sx - tx) * next) / scale;
      ty = sy - ((sy - ty) * next) / scale;
      scale = next;
      request();
    },
    { passive: false },
  );
  new ResizeObserver(() => {
    fit();
    request();
  }).observe(canvas);
  fit();
  render();

  return {
    highlight(m, f) {
      mine = m.filter((i) => i >= 0 && i < n);
      feed = f.filter((i) => i >= 0 && i < n);
      request();
    },
    topicLabel: (i) => labelOf[model.topic[i]] ?? '',
    topicColour: (i) => css[model.topic[i]] ?? '#888',
  };
}
