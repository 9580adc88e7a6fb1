/**
 * Math in fragments the page inserts (live search results): KaTeX positions glyphs with styles, which the CSP forbids
 * inline. The server sends them as `{ id: style }` in a hidden element's
 * `data-math-styles`; here they become rules in the page's nonce'd stylesheet
 * (`#math-styles`), through the CSSOM, which the CSP allows. An id is a hash of
 * its style, so adding a rule twice or keeping old ones is harmless.
 */
const added = new Set<string>();

export function adoptMathStyles(root: ParentNode): void {
  const sheet = document.querySelector<HTMLStyleElement>('style#math-styles')?.sheet;
  for (const holder of root.querySelectorAll<HTMLElement>('[data-math-styles]')) {
    let styles: Record<string, unknown> = {};
    try {
      styles = JSON.parse(holder.dataset.mathStyles ?? '{}') as Record<string, unknown>;
    } catch {
      // A broken holder only costs the formulas their positioning.
    }
    holder.remove();
    if (!sheet) continue;
    for (const [id, style] of Object.entries(styles)) {
      // Ids are hex hashes and styles declarations only: nothing that could close the rule or open another.
      if (added.has(id) || !/^[0-9a-f]{1,32}$/.test(id) || typeof style !== 'string' || /[{}<@]/.test(style)) continue;
      try {
        sheet.insertRule(`[data-k="${id}"]{${style}}`, sheet.cssRules.length);
        added.add(id);
      } catch {
        // A declaration the browser does not parse is dropped, like an unknown property in a stylesheet.
      }
    }
  }
}
