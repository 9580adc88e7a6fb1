/** Upload progress for the import page: filled in when the import page lands. */
export function initImport(): void {}
