import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const biome = join(root, "node_modules/.bin/biome");
// A scratch folder inside the order service, so biome.json's per-service overrides apply to it.
const scratch = join(root, "services/order/src/domain/__lint_probe__");

function lint(file: string, source: string): { ok: boolean; output: string } {
  mkdirSync(scratch, { recursive: true });
  const path = join(scratch, file);
  writeFileSync(path, source);
  try {
    const output = execFileSync(biome, ["lint", "--max-diagnostics=50", path], { cwd: root, stdio: "pipe" });
    return { ok: true, output: output.toString() };
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    return { ok: false, output: `${e.stdout?.toString() ?? ""}${e.stderr?.toString() ?? ""}` };
  }
}

describe("dependency-direction lint rule", () => {
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it("when the order service imports inventory's source, then lint rejects it", () => {
    const result = lint(
      "cross.ts",
      'import { x } from "../../../../inventory/src/domain/item.ts";\nexport const y = x;\n',
    );
    expect(result.ok).toBe(false);
    expect(result.output).toContain("noRestrictedImports");
    expect(result.output).toContain("A service never imports another service");
  });

  it("when the order service imports another service's package, then lint rejects it", () => {
    const result = lint("package.ts", 'import { x } from "@orderly/invoice";\nexport const y = x;\n');
    expect(result.ok).toBe(false);
    expect(result.output).toContain("A service never imports another service");
  });

  it("when domain code imports data/, generated code or a framework, then lint rejects each", () => {
    const result = lint(
      "layers.ts",
      [
        'import { a } from "../../data/order.repository.ts";',
        'import { b } from "@orderly/contracts/order";',
        'import c from "fastify";',
        "export const y = [a, b, c];",
        "",
      ].join("\n"),
    );
    expect(result.ok).toBe(false);
    expect(result.output.match(/noRestrictedImports/g)?.length).toBe(3);
  });

  it("when domain code imports its own files and the kit's error model, then lint accepts it", () => {
    const result = lint(
      "fine.ts",
      'import { AppError } from "@orderly/kit/errors";\nimport type { Y } from "../order.ts";\nexport const y: Y | typeof AppError = AppError;\n',
    );
    expect(result.output).not.toContain("noRestrictedImports");
  });
});
