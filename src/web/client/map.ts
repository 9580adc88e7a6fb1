/**
 * The Map page: every paper as a dot on a canvas, coloured by topic, with
 * the topics' labels; wheel to zoom, drag to pan, hover for the title, click
 * to open the paper; a profile's papers and feed drawn on top.
 *
 * Smooth with 100k points: dots are written straight into an ImageData pixel
 * buffer (one 32-bit store per pixel, no canvas call per dot), labels and
 * highlights are drawn on top with the canvas API, and hovering looks in a
 * uniform grid of the points instead of scanning them all.
 */

interface MapData {
  points: { id: string; x: number; y: number; topic: number }[];
  topics: { id: number; label: string; x: number; y: number; size: number }[];
  profile?: { name: string; papers: string[]; feed: string[] };
}

const GRID = 128;

/** A distinct colour per topic (golden-angle hues), as RGBA bytes and as CSS. */
function topicColour(t: number, dark: boolean): [number, number, number] {
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

export function initMap(): void {
  const wrap = document.querySelector<HTMLElement>('[data-map-src]');
  const canvas = document.querySelector<HTMLCanvasElement>('#map-canvas');
  if (!wrap || !canvas) return;
  const tip = wrap.querySelector<HTMLElement>('.map-tip')!;
  const count = wrap.querySelector<HTMLElement>('.map-count');
  const started = performance.now();
  fetch(wrap.dataset.mapSrc!, { headers: { accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`the map did not load (${r.status})`))))
    .then((data: MapData) => {
      draw(wrap, canvas, tip, data);
      const ms = Math.round(performance.now() - started);
      if (count) count.textContent = `${data.points.length.toLocaleString('en')} papers, ${data.topics.length} topics`;
      wrap.dataset.ready = String(ms);
    })
    .catch((err: Error) => {
      if (count) count.textContent = err.message;
      wrap.dataset.ready = 'error';
    });
}

function draw(wrap: HTMLElement, canvas: HTMLCanvasElement, tip: HTMLElement, data: MapData): void {
  const ctx = canvas.getContext('2d')!;
  const dark = matchMedia('(prefers-color-scheme: dark)').matches;
  const n = data.points.length;
  const xs = new Float32Array(n);
  const ys = new Float32Array(n);
  const colour = new Uint32Array(n);
  const little = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  const palette = new Map<number, number>();
  const css = new Map<number, string>();
  for (const t of data.topics) {
    const [r, g, b] = topicColour(t.id, dark);
    palette.set(t.id, little ? (255 << 24) | (b << 16) | (g << 8) | r : (r << 24) | (g << 16) | (b << 8) | 255);
    css.set(t.id, `rgb(${r} ${g} ${b})`);
  }
  // Uniform grid over [-1, 1]² for hover look-ups.
  const cells: number[][] = Array.from({ length: GRID * GRID }, () => []);
  const cellOf = (v: number) => Math.max(0, Math.min(GRID - 1, Math.floor(((v + 1) / 2) * GRID)));
  data.points.forEach((p, i) => {
    xs[i] = p.x;
    ys[i] = -p.y;
    colour[i] = palette.get(p.topic) ?? 0xff888888;
    cells[cellOf(p.x) * GRID + cellOf(-p.y)].push(i);
  });
  const index = new Map(data.points.map((p, i) => [p.id, i]));
  const mine = (data.profile?.papers ?? []).map((id) => index.get(id)).filter((i): i is number => i !== undefined);
  const feed = (data.profile?.feed ?? []).map((id) => index.get(id)).filter((i): i is number => i !== undefined);
  const labels = [...data.topics].sort((a, b) => b.size - a.size);

  let w = 0;
  let h = 0;
  let dpr = 1;
  let scale = 1;
  let tx = 0;
  let ty = 0;
  let hovered = -1;
  let frame = 0;

  const fit = () => {
    dpr = window.devicePixelRatio || 1;
    w = Math.max(1, Math.round(canvas.clientWidth * dpr));
    h = Math.max(1, Math.round(canvas.clientHeight * dpr));
    canvas.width = w;
    canvas.height = h;
    scale = (Math.min(w, h) / 2) * 0.92;
    tx = w / 2;
    ty = h / 2;
  };
  const toScreen = (i: number): [number, number] => [xs[i] * scale + tx, ys[i] * scale + ty];
  const request = () => {
    if (!frame) frame = requestAnimationFrame(render);
  };

  // One pixel buffer, reused by every frame (a new one per frame is megabytes of garbage while zooming).
  let img: ImageData | undefined;
  let px = new Uint32Array(0);
  function render() {
    frame = 0;
    if (!img || img.width !== w || img.height !== h) {
      img = ctx.createImageData(w, h);
      px = new Uint32Array(img.data.buffer);
    } else px.fill(0);
    const size = scale > 2000 * dpr ? 3 : 2;
    for (let i = 0; i < n; i++) {
      const x = Math.round(xs[i] * scale + tx);
      const y = Math.round(ys[i] * scale + ty);
      if (x < 0 || y < 0 || x >= w - size || y >= h - size) continue;
      const c = colour[i];
      for (let dy = 0; dy < size; dy++) {
        const row = (y + dy) * w + x;
        for (let dx = 0; dx < size; dx++) px[row + dx] = c;
      }
    }
    ctx.putImageData(img, 0, 0);
    const ring = (i: number, fill: string, r: number) => {
      const [x, y] = toScreen(i);
      ctx.beginPath();
      ctx.arc(x, y, r * dpr, 0, Math.PI * 2);
      ctx.fillStyle = fill;
      ctx.fill();
      ctx.lineWidth = 1.5 * dpr;
      ctx.strokeStyle = dark ? '#111' : '#fff';
      ctx.stroke();
    };
    for (const i of feed) ring(i, '#d6336c', 4);
    for (const i of mine) ring(i, '#e8590c', 4.5);
    drawLabels();
    if (hovered >= 0) ring(hovered, css.get(data.points[hovered].topic) ?? '#888', 6);
  }

  function drawLabels() {
    const taken: [number, number, number, number][] = [];
    ctx.font = `600 ${12 * dpr}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (const t of labels) {
      const x = t.x * scale + tx;
      const y = -t.y * scale + ty;
      if (x < 0 || y < 0 || x > w || y > h) continue;
      const text = t.label.length > 48 ? `${t.label.slice(0, 46)}…` : t.label;
      const tw = ctx.measureText(text).width + 8 * dpr;
      const th = 18 * dpr;
      const box: [number, number, number, number] = [x - tw / 2, y - th / 2, x + tw / 2, y + th / 2];
      if (taken.some((b) => box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1])) continue;
      taken.push(box);
      ctx.fillStyle = dark ? 'rgb(24 25 28 / 0.8)' : 'rgb(255 255 255 / 0.82)';
      ctx.fillRect(box[0], box[1], tw, th);
      ctx.fillStyle = dark ? '#e7e7e4' : '#1c1d1f';
      ctx.fillText(text, x, y);
    }
  }

  /** The point nearest to a screen position, within 8 px. */
  function pick(sx: number, sy: number): number {
    const wx = (sx - tx) / scale;
    const wy = (sy - ty) / scale;
    const r = (8 * dpr) / scale;
    let best = -1;
    let bestD = r * r;
    for (let cx = cellOf(wx - r); cx <= cellOf(wx + r); cx++) {
      for (let cy = cellOf(wy - r); cy <= cellOf(wy + r); cy++) {
        for (const i of cells[cx * GRID + cy]) {
          const d = (xs[i] - wx) ** 2 + (ys[i] - wy) ** 2;
          if (d < bestD) {
            bestD = d;
            best = i;
          }
        }
      }
    }
    return best;
  }

  const titles = new Map<string, string>();
  function showTip(i: number, cx: number, cy: number) {
    if (i < 0) {
      tip.hidden = true;
      return;
    }
    const p = data.points[i];
    const topic = data.topics.find((t) => t.id === p.topic)?.label ?? '';
    const set = (title: string) => {
      tip.textContent = '';
      const b = document.createElement('strong');
      b.textContent = title;
      const s = document.createElement('div');
      s.className = 'muted small';
      s.textContent = topic;
      tip.append(b, s);
    };
    set(titles.get(p.id) ?? p.id);
    if (!titles.has(p.id)) {
      fetch(`/api/papers/${encodeURIComponent(p.id)}`)
        .then((r) => (r.ok ? r.json() : undefined))
        .then((j: { paper?: { title?: string } } | undefined) => {
          titles.set(p.id, j?.paper?.title || p.id);
          if (hovered === i) set(titles.get(p.id)!);
        })
        .catch(() => {});
    }
    tip.hidden = false;
    const box = wrap.getBoundingClientRect();
    tip.style.left = `${Math.min(cx + 14, box.width - 240)}px`;
    tip.style.top = `${cy + 14}px`;
  }

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
    showTip(i, e.clientX - r.left, e.clientY - r.top);
  });
  canvas.addEventListener('pointerup', () => {
    const click = drag && !drag.moved;
    drag = undefined;
    canvas.classList.remove('dragging');
    if (click && hovered >= 0) location.href = `/paper/${encodeURIComponent(data.points[hovered].id)}`;
  });
  canvas.addEventListener('pointerleave', () => {
    hovered = -1;
    tip.hidden = true;
    request();
  });
  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const r = canvas.getBoundingClientRect();
      const sx = (e.clientX - r.left) * dpr;
      const sy = (e.clientY - r.top) * dpr;
      const f = Math.exp(-e.deltaY * 0.0015);
      const next = Math.max(50, Math.min(scale * f, 200_000));
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
}
