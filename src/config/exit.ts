/**
 * The exit statuses of the `radar` command, and the error a refused option
 * value raises. Apart
 * from options.ts so that start-up, which needs only these, loads no zod.
 */

/** `radar`'s exit statuses: scripts may rely on them. */
export const EXIT = {
  ok: 0,
  /** The command could not do its work: an internal error, a failed verification, nothing importable. */
  failed: 1,
  /** The command line or what it names is wrong: an option's value, an unknown profile or command, a bad configuration. */
  usage: 2,
  /** The input matched several things (an author name): the message lists them to choose from. */
  ambiguous: 3,
} as const;

/** A value the user gave that a rule refused; the CLI exits with EXIT.usage (the API refuses the same value with 400 through the rule's schema). */
export class OptionError extends Error {
  readonly exitCode = EXIT.usage;
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(message);
    this.name = 'OptionError';
  }
}

