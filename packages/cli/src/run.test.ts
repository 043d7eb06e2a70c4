import { describe, expect, it } from "vitest";
import { parseLine } from "./commands/orders.ts";
import { COMMANDS, flagOfField, run } from "./run.ts";

/** Runs the CLI in-process against an address where nothing listens (no command here reaches a server). */
async function cli(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, {
    env: { ORDERLY_ADDRESS: "127.0.0.1:1" },
    cwd: "/nonexistent",
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTty: false,
  });
  return { code, stdout, stderr };
}

const ADDRESS = [
  "--name",
  "Ada",
  "--line1",
  "1 St",
  "--city",
  "London",
  "--postal-code",
  "N1",
  "--country",
  "GB",
];

describe("orderly command line (no server)", () => {
  it("when a line has quantity 0, then it exits 2 naming --line and quantity, with no stack trace", async () => {
    const result = await cli("orders", "create", "--customer", "c", "--line", "MUG-BLUE:0", ...ADDRESS);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--line "MUG-BLUE:0" (line 1): quantity must be a whole number from 1 to',
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe("");
  });

  it.each([
    [["orders", "create", "--line", "MUG-BLUE:1", ...ADDRESS], "--customer is required"],
    [["orders", "create", "--customer", "c", ...ADDRESS], "--line is required"],
    [["orders", "create", "--customer", "c", "--line", "MUG-BLUE", ...ADDRESS], "expected SKU:QTY"],
    [["orders", "create", "--customer", "c", "--line", "MUG-BLUE:2"], "--name is required"],
    [["orders", "get"], "ID is required"],
    [["orders", "list"], "--customer is required"],
    [["orders", "list", "--customer", "c", "--limit", "0"], "--limit must be a whole number from 1 to 1000"],
    [["orders", "list", "--customer", "c", "--status", "LOST"], "--status must be one of PENDING"],
    [["items", "adjust", "MUG-BLUE", "--delta", "x", "--reason", "r"], "--delta must be a whole number"],
    [
      ["shipments", "advance", "s-1", "--to", "FLYING"],
      "--to must be one of PICKING, PACKED, SHIPPED, DELIVERED",
    ],
    [["orders", "get", "x", "--frobnicate"], "Unknown option '--frobnicate'"],
    [["orders", "get", "x", "--output", "yaml"], "--output must be table or json"],
    [["orders", "get", "x", "y"], 'unexpected argument "y"'],
    [["orders", "fly"], 'unknown command "orders fly"'],
    [["fly"], 'unknown command "fly"'],
  ])("when run as %j, then it exits 2 and says %s", async (argv, message) => {
    const result = await cli(...argv);
    expect(result.stderr).toContain(message);
    expect(result.code).toBe(2);
  });

  it("when a delta is negative, then it is read as the flag's value, not as a flag", async () => {
    const result = await cli("items", "adjust", "MUG-BLUE", "--delta", "-2", "--reason", "broken");
    // Parsed and sent: only the missing server makes it fail.
    expect(result.code).toBe(5);
  });

  it("when every command is asked for --help, then each prints its usage and examples and exits 0", async () => {
    for (const command of COMMANDS) {
      const result = await cli(...command.path, "--help");
      expect(result.code, command.path.join(" ")).toBe(0);
      expect(result.stdout).toContain(`orderly ${command.path.join(" ")}`);
      expect(result.stdout).toContain("Examples:");
      expect(result.stdout).toContain("pnpm orderly");
    }
  });

  it("when asked for the top-level or a group's help, then it lists the commands", async () => {
    const top = await cli("--help");
    expect(top.code).toBe(0);
    for (const command of COMMANDS) expect(top.stdout).toContain(command.path.join(" "));
    const group = await cli("orders", "--help");
    expect(group.code).toBe(0);
    expect(group.stdout).toContain("orders watch");
    expect(group.stdout).not.toContain("items list");
  });

  it("when nothing listens, then a command exits 5 and says so", async () => {
    const result = await cli("orders", "get", "some-id");
    expect(result.code).toBe(5);
    expect(result.stderr).toContain("UNAVAILABLE");
    expect(result.stderr).toContain("pnpm start");
  });

  it("when a line is SKU:QTY, then the SKU and the quantity come out", () => {
    expect(parseLine("MUG-BLUE:2", 0)).toEqual({ sku: "MUG-BLUE", quantity: 2 });
  });

  it("when the server names a field, then the CLI names the flag", () => {
    expect(flagOfField("lines[1].quantity")).toBe("--line (line 2) quantity");
    expect(flagOfField("shipping_address.country_code")).toBe("--country");
    expect(flagOfField("customer_id")).toBe("--customer");
  });
});
