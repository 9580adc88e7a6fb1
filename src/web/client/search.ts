/** Search as you type: filled in when the search page lands. */
export function initSearch(): void {}
