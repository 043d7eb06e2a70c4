import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseYaml, parseYamlDocuments } from "./yaml.ts";

export const repoRoot = join(import.meta.dirname, "../../..");

export const SERVICES = ["order", "inventory", "invoice", "fulfillment"] as const;
export type ServiceName = (typeof SERVICES)[number];

export function repoPath(...parts: string[]): string {
  return join(repoRoot, ...parts);
}

export function readRepoFile(relativePath: string): string {
  return readFileSync(repoPath(relativePath), "utf8");
}

export function readYaml(relativePath: string): unknown {
  return parseYaml(readRepoFile(relativePath), relativePath);
}

export function readYamlDocuments(relativePath: string): unknown[] {
  return parseYamlDocuments(readRepoFile(relativePath), relativePath);
}

/** A plain object (mapping) or a failed assertion naming what was expected. */
export function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${what}: expected a mapping, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

export function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what}: expected a list, got ${JSON.stringify(value)}`);
  return value;
}

/** Follows a path of keys (numbers index lists); undefined when any step is missing. */
export function dig(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
