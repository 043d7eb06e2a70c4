/** Bad input on the command line: exit 2, one line naming the flag, never a stack trace. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  /** The command whose usage to point at (`orders create`), when known. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}
