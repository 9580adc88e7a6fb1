/** Command-line flags of the benchmarks: `--name value` options and bare `--name` switches. */
const argv = process.argv.slice(2);

/** The value after `--name`, else `dflt`. */
export function opt(name: string): string | undefined;
export function opt(name: string, dflt: string): string;
export function opt(name: string, dflt?: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
}

/** Whether the bare switch `--name` was given. */
export const flag = (name: string): boolean => argv.includes(`--${name}`);

/** `10000,100000,1_000_000` → numbers. */
export const sizes = (list: string): number[] => list.split(',').map((s) => Number(s.replace(/_/g, '')));
