import { createRequire } from "node:module";
import { join } from "node:path";

/** The part of the `yaml` package (eemeli/yaml 2.x) these tests use. */
interface YamlDocument {
  readonly errors: readonly { message: string }[];
  toJS(): unknown;
}
interface YamlModule {
  parseAllDocuments(source: string, options?: { merge?: boolean }): YamlDocument[] | YamlDocument;
}

const root = join(import.meta.dirname, "../../..");

/**
 * The `yaml` package. The repository declares no YAML parser of its own (the root package.json is
 * not deploy's to change), so this takes the copy the kit already installs: a dependency of
 * @fastify/swagger, itself a dependency of @orderly/kit. A root devDependency on `yaml` is used first
 * when one is added.
 */
function loadYamlModule(): YamlModule {
  const fromRoot = createRequire(join(root, "package.json"));
  try {
    return fromRoot("yaml") as YamlModule;
  } catch {
    const fromKit = createRequire(join(root, "packages/kit/package.json"));
    const fromSwagger = createRequire(fromKit.resolve("@fastify/swagger"));
    return fromSwagger("yaml") as YamlModule;
  }
}

const yaml = loadYamlModule();

/**
 * Every document in a YAML stream, as plain values; throws naming the file on any syntax error.
 * Merge keys (`<<: *anchor`) are resolved, as docker compose does.
 */
export function parseYamlDocuments(source: string, file: string): unknown[] {
  const parsed = yaml.parseAllDocuments(source, { merge: true });
  const documents = Array.isArray(parsed) ? parsed : [parsed];
  const errors = documents.flatMap((document) => document.errors.map((error) => error.message));
  if (errors.length > 0) throw new Error(`${file}: ${errors.join("; ")}`);
  return documents
    .map((document) => document.toJS())
    .filter((value) => value !== null && value !== undefined);
}

/** A YAML file holding exactly one document. */
export function parseYaml(source: string, file: string): unknown {
  const documents = parseYamlDocuments(source, file);
  if (documents.length !== 1)
    throw new Error(`${file}: expected one YAML document, found ${documents.length}`);
  return documents[0];
}
