/**
 * The one well-formedness check done ahead of the XML parser. saxes reads
 * everything after a bare `&` up to the next `;` as one entity name, so a
 * title like "Q & A" would swallow (and buffer) the rest of the file before
 * any error showed; catching the `&` first lets the reader report that one
 * record and go on.
 */

/** A reference is `&name;`, `&#nn;` or `&#xhh;`; anything else after `&` is a bare ampersand. */
const REFERENCE = /&(?:[A-Za-z_:][\w.:-]{0,63}|#[0-9]{1,8}|#x[0-9A-Fa-f]{1,8});/y;

/**
 * Finds bare `&`s outside comments and CDATA sections (where `&` is just a
 * character). Keeps whether the text so far ended inside one of them.
 */
export class AmpersandCheck {
  private inside: ']]>' | '-->' | undefined;

  /** Index of the first bare `&` before `limit`, or -1; `text` past `limit` is only looked at, and scanned again next time. */
  scan(text: string, limit: number): number {
    let i = 0;
    // Next `<!` at or after `i`: found once and reused until `i` passes it, so
    // many `&amp;`s in a chunk do not each search the rest of it.
    let lt = -1;
    while (i < limit) {
      if (this.inside) {
        const end = text.indexOf(this.inside, i);
        if (end < 0 || end >= limit) return -1;
        i = end + this.inside.length;
        this.inside = undefined;
        continue;
      }
      if (lt !== -2 && lt < i) {
        lt = text.indexOf('<!', i);
        if (lt < 0 || lt >= limit) lt = -2; // none before the limit
      }
      const amp = text.indexOf('&', i);
      const ampIn = amp >= 0 && amp < limit;
      if (lt >= 0 && (!ampIn || lt < amp)) {
        if (text.startsWith('<!--', lt)) [this.inside, i] = ['-->', lt + 4];
        else if (text.startsWith('<![CDATA[', lt)) [this.inside, i] = [']]>', lt + 9];
        else i = lt + 2;
        continue;
      }
      if (!ampIn) return -1;
      REFERENCE.lastIndex = amp;
      if (!REFERENCE.test(text)) return amp;
      i = amp + 1;
    }
    return -1;
  }
}
