/** A failure the CLI reports as one line on stderr, with its exit code: 1 query error, 2 usage or connection error. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
