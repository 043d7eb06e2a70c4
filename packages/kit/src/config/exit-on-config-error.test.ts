import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError } from "./config-error.ts";
import { CONFIG_ERROR_EXIT_CODE, loadOrExit } from "./exit-on-config-error.ts";
import { loadServiceConfig } from "./service-config.ts";

/** The variables below are about other settings; auth has its own tests. */
const AUTH_OFF = { AUTH_DISABLED: "true" } as const;

class Exited extends Error {
  readonly code: number | string | null | undefined;
  constructor(code: number | string | null | undefined) {
    super(`exit(${code})`);
    this.code = code;
  }
}

/** Runs `fn` with process.exit and stderr captured: what a person at the terminal would see. */
function observe(fn: () => unknown): {
  exitCode: unknown;
  stderr: string;
  result?: unknown;
  error?: unknown;
} {
  let stderr = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  vi.spyOn(process, "exit").mockImplementation((code) => {
    throw new Exited(code);
  });
  try {
    return { exitCode: undefined, stderr, result: fn() };
  } catch (error) {
    if (error instanceof Exited) return { exitCode: error.code, stderr };
    return { exitCode: undefined, stderr, error };
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

const spec = { name: "inventory", version: "1.0.0", defaultHttpPort: 8081, defaultGrpcPort: 50052 };

describe("loadOrExit", () => {
  it("when the config is valid, then it returns it and nothing is printed", () => {
    const seen = observe(() => loadOrExit(() => loadServiceConfig(spec, { ...AUTH_OFF, HTTP_PORT: "9000" })));

    expect(seen.exitCode).toBeUndefined();
    expect(seen.stderr).toBe("");
    expect(seen.result).toMatchObject({ http: { port: 9000 } });
  });

  it("when a variable is invalid, then it prints one line naming it and exits 78 (EX_CONFIG)", () => {
    const seen = observe(() =>
      loadOrExit(() => loadServiceConfig(spec, { ...AUTH_OFF, HTTP_PORT: "abc", GRPC_PORT: "-1" })),
    );

    expect(CONFIG_ERROR_EXIT_CODE).toBe(78);
    expect(seen.exitCode).toBe(78);
    expect(seen.stderr).toBe(
      "invalid configuration: HTTP_PORT: expected a port number (0-65535); GRPC_PORT: expected a port number (0-65535)\n",
    );
  });

  it("when the loader fails for another reason, then the error propagates and the process does not exit", () => {
    const boom = new Error("disk on fire");

    const seen = observe(() =>
      loadOrExit(() => {
        throw boom;
      }),
    );

    expect(seen.exitCode).toBeUndefined();
    expect(seen.error).toBe(boom);
  });

  it("when a ConfigError is built by hand, then its message lists every issue in order", () => {
    const error = new ConfigError([
      { variable: "A", expected: "expected a" },
      { variable: "B", expected: "expected b" },
    ]);

    expect(error.name).toBe("ConfigError");
    expect(error.message).toBe("invalid configuration: A: expected a; B: expected b");
  });
});
