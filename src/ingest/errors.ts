/** The input cannot be read at all: missing, empty, binary, or in no format Paper Radar knows. */
export class UnreadableInputError extends Error {
  constructor(
    /** File name or URL. */
    readonly input: string,
    /** Why, in words a user can act on. */
    readonly reason: string,
  ) {
    super(`${input}: ${reason}`);
    this.name = 'UnreadableInputError';
  }
}
