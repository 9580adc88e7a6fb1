/**
 * Finding the point under the pointer among 100k without scanning them all:
 * a uniform grid over the map's square [-1, 1]², its cells' points kept in
 * one array sorted by cell (a counting sort, two typed arrays, built in a few
 * milliseconds), so a look-up reads only the cells within the search radius.
 */
export class PointGrid {
  /** Cell c's points are order[start[c] .. start[c + 1]). */
  private readonly start: Uint32Array;
  private readonly order: Uint32Array;

  constructor(
    private readonly xs: Float32Array,
    private readonly ys: Float32Array,
    private readonly size = 256,
  ) {
    const n = xs.length;
    const cellOfPoint = new Uint32Array(n);
    const start = new Uint32Array(size * size + 1);
    for (let i = 0; i < n; i++) {
      const c = this.cell(xs[i]) * size + this.cell(ys[i]);
      cellOfPoint[i] = c;
      start[c + 1]++;
    }
    for (let c = 0; c < size * size; c++) start[c + 1] += start[c];
    const fill = start.slice(0, size * size);
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[fill[cellOfPoint[i]]++] = i;
    this.start = start;
    this.order = order;
  }

  private cell(v: number): number {
    const c = Math.floor(((v + 1) / 2) * this.size);
    return c < 0 ? 0 : c >= this.size ? this.size - 1 : c;
  }

  /** The point nearest to (x, y) within distance r (map units), or -1. */
  nearest(x: number, y: number, r: number): number {
    let best = -1;
    let bestD = r * r;
    const x1 = this.cell(x + r);
    const y0 = this.cell(y - r);
    const y1 = this.cell(y + r);
    for (let cx = this.cell(x - r); cx <= x1; cx++) {
      for (let cy = y0; cy <= y1; cy++) {
        const c = cx * this.size + cy;
        for (let k = this.start[c]; k < this.start[c + 1]; k++) {
          const i = this.order[k];
          const d = (this.xs[i] - x) ** 2 + (this.ys[i] - y) ** 2;
          if (d < bestD) {
            bestD = d;
            best = i;
          }
        }
      }
    }
    return best;
  }
}
