/**
 * The Map page: loads the compact binary map (`GET /api/map.bin`, 6 bytes a
 * paper) and draws it at once (map-view.ts); the papers' ids
 * (`GET /api/map.ids`) and a profile's highlights (`GET /api/map/highlight`)
 * follow without holding up the first picture. Hover shows the topic at once
 * and the title when the ids (then the paper) have arrived; a click opens the
 * paper.
 *
 * Performance marks `map-fetched`, `map-decoded`, `map-drawn` (from the
 * navigation start), and `data-ready` on the map's frame holds the last one
 * in milliseconds: bench/map-page.ts and the browser tests read them.
 */
import { decodeMap } from '../../app/map-format.ts';
import { mountMap, type MapView } from './map-view.ts';

interface Highlight {
  build: string;
  papers: number[];
  feed: number[];
}

async function fetchOk(url: string, accept: string): Promise<Response> {
  const r = await fetch(url, { headers: { accept } });
  if (!r.ok) throw new Error(`the map did not load (${url}: ${r.status})`);
  return r;
}

export function initMap(): void {
  const wrap = document.querySelector<HTMLElement>('[data-map-bin]');
  const canvas = document.querySelector<HTMLCanvasElement>('#map-canvas');
  if (!wrap || !canvas) return;
  const tip = wrap.querySelector<HTMLElement>('.map-tip')!;
  const count = wrap.querySelector<HTMLElement>('.map-count');
  load(wrap, canvas, tip, count).catch((err: Error) => {
    if (count) count.textContent = err.message;
    wrap.dataset.ready = 'error';
  });
}

async function load(wrap: HTMLElement, canvas: HTMLCanvasElement, tip: HTMLElement, count: HTMLElement | null): Promise<void> {
  const bin = await fetchOk(wrap.dataset.mapBin!, 'application/vnd.paper-radar.map');
  const build = bin.headers.get('x-map-build') ?? '';
  const bytes = new Uint8Array(await bin.arrayBuffer());
  performance.mark('map-fetched');
  const model = decodeMap(bytes);
  performance.mark('map-decoded');

  // Started now, used when they arrive: the first picture never waits for them.
  const ids = fetchOk(wrap.dataset.mapIds!, 'text/plain').then(async (r) => {
    if ((r.headers.get('x-map-build') ?? '') !== build) throw new Error('the map was rebuilt while loading: reload the page');
    return (await r.text()).split('\n');
  });
  const hl = wrap.dataset.mapHighlight ? fetchOk(wrap.dataset.mapHighlight, 'application/json').then((r) => r.json() as Promise<Highlight>) : undefined;

  const titles = new Map<string, string>();
  let hovered = -1;
  let view: MapView | undefined;
  let loadedIds: string[] | undefined;
  let asking: ReturnType<typeof setTimeout> | undefined;
  ids.then((list) => (loadedIds = list)).catch(() => {});

  const setTip = (title: string, topic: string) => {
    tip.textContent = '';
    const b = document.createElement('strong');
    b.textContent = title;
    const s = document.createElement('div');
    s.className = 'muted small';
    s.textContent = topic;
    tip.append(b, s);
  };
  const showTitle = (i: number) => {
    const id = loadedIds?.[i];
    const topic = view!.topicLabel(i);
    if (!id) return setTip(loadedIds ? 'a removed paper' : 'loading…', topic);
    setTip(titles.get(id) ?? id, topic);
    if (titles.has(id)) return;
    // Asked once the pointer rests on a point: sweeping across the map passes hundreds.
    clearTimeout(asking);
    asking = setTimeout(() => {
      if (hovered !== i || titles.has(id)) return;
      fetch(`/api/papers/${encodeURIComponent(id)}`)
        .then((r) => (r.ok ? r.json() : undefined))
        .then((j: { paper?: { title?: string } } | undefined) => {
          titles.set(id, j?.paper?.title || id);
          if (hovered === i) setTip(titles.get(id)!, topic);
        })
        .catch(() => {});
    }, 120);
  };

  view = mountMap(canvas, model, {
    hover(i, cx, cy) {
      hovered = i;
      if (i < 0) {
        tip.hidden = true;
        return;
      }
      showTitle(i);
      if (!loadedIds) ids.then(() => hovered === i && showTitle(i)).catch(() => {});
      tip.hidden = false;
      const box = wrap.getBoundingClientRect();
      tip.style.left = `${Math.min(cx + 14, box.width - 240)}px`;
      tip.style.top = `${cy + 14}px`;
    },
    open(i) {
      ids.then((list) => {
        if (list[i]) location.href = `/paper/${encodeURIComponent(list[i])}`;
      }).catch((err: Error) => count && (count.textContent = err.message));
    },
  });
  performance.mark('map-drawn');
  wrap.dataset.ready = String(Math.round(performance.now()));
  if (count) count.textContent = `${model.x.length.toLocaleString('en')} papers, ${model.topics.length} topics`;

  if (hl) {
    const h = await hl;
    if (h.build !== build) throw new Error('the map was rebuilt while loading: reload the page');
    view.highlight(h.papers, h.feed);
    wrap.dataset.highlighted = String(h.papers.length + h.feed.length);
  }
  await ids;
  wrap.dataset.ids = 'loaded';
}
