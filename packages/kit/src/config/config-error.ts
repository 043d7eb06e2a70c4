export interface ConfigIssue {
  /** The environment variable at fault. */
  variable: string;
  /** What was expected, in words a person can act on. */
  expected: string;
}

/** Invalid or missing configuration; the message names every variable at fault. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(`invalid configuration: ${issues.map((i) => `${i.variable}: ${i.expected}`).join("; ")}`);
    this.issues = issues;
  }
}
