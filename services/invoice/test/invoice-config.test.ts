import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { CONFIG_ERROR_EXIT_CODE } from "@orderly/kit/config";
import { TEST_ENV } from "@orderly/testkit/harness";
import { describe, expect, it } from "vitest";

const SERVICE_DIR = fileURLToPath(new URL("..", import.meta.url));

/** Runs the service as production does and collects how it ended. */
function run(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["src/main.ts"], {
    cwd: SERVICE_DIR,
    env: { ...process.env, ...TEST_ENV, DATABASE_URL: "pglite:memory", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // A service that starts after all would never exit on its own: stop it so the test fails, not hangs.
  const guard = setTimeout(() => child.kill("SIGKILL"), 20_000);
  return new Promise((resolve) =>
    child.once("exit", (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe("invoice service start-up", () => {
  it("when INVOICE_CURRENCIES holds a code that is not ISO 4217, then it exits non-zero naming the variable and the code", async () => {
    const { code, stdout, stderr } = await run({ INVOICE_CURRENCIES: "EUR,XYZ" });

    expect(code).toBe(CONFIG_ERROR_EXIT_CODE);
    expect(stderr).toContain("INVOICE_CURRENCIES");
    expect(stderr).toContain("XYZ");
    expect(stdout).not.toContain("serving");
  });
});
