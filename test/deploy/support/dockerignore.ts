import { matchesGlob } from "node:path";

/**
 * .dockerignore as the builder applies it to a path relative to the context root: patterns are
 * globs (`**` spans folders), a pattern that matches a folder excludes everything under it, `!`
 * re-includes, and the last matching pattern wins.
 */
export interface DockerignoreFilter {
  /** Whether the path (relative to the context root, `/`-separated) is sent to the builder. */
  includes(relativePath: string): boolean;
  /** Whether something under an excluded folder may still be re-included by a `!` pattern. */
  mayReincludeUnder(relativeFolder: string): boolean;
}

export function dockerignoreFilter(text: string): DockerignoreFilter {
  const rules = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const negated = line.startsWith("!");
      const pattern = (negated ? line.slice(1) : line).replace(/^\/+/, "").replace(/\/+$/, "");
      return { negated, pattern };
    });
  const includes = (relativePath: string): boolean => {
    const segments = relativePath.split("/");
    const candidates = segments.map((_, index) => segments.slice(0, index + 1).join("/"));
    let excluded = false;
    for (const rule of rules) {
      const matches = rule.negated
        ? matchesGlob(relativePath, rule.pattern)
        : candidates.some((candidate) => matchesGlob(candidate, rule.pattern));
      if (matches) excluded = !rule.negated;
    }
    return !excluded;
  };
  const mayReincludeUnder = (relativeFolder: string): boolean =>
    rules.some(
      (rule) =>
        rule.negated && (rule.pattern.startsWith(`${relativeFolder}/`) || rule.pattern.startsWith("**")),
    );
  return { includes, mayReincludeUnder };
}
