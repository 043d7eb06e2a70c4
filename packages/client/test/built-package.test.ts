import { execFileSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OrderService, OrderStatus } from "@orderly/contracts/order";
import { AppError, Code } from "@orderly/kit/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeServer } from "./fake-server.ts";

const packageRoot = join(import.meta.dirname, "..");
const repoRoot = join(packageRoot, "../..");
const tsc = join(repoRoot, "node_modules/.bin/tsc");

/**
 * The package as a user outside the monorepo gets it: built, packed with pnpm (publishConfig swaps
 * the exports to dist/), unpacked into a temporary project's node_modules next to its published
 * dependencies, and imported by plain node (which refuses TypeScript under node_modules, so a
 * leftover .ts import would fail here).
 */
describe("the built @orderly/client outside the monorepo", () => {
  const project = mkdtempSync(join(tmpdir(), "orderly-client-consumer-"));

  beforeAll(() => {
    execFileSync(process.execPath, ["scripts/build.ts"], { cwd: packageRoot, stdio: "pipe" });
    const packed = join(project, "packed");
    mkdirSync(packed);
    execFileSync("pnpm", ["pack", "--pack-destination", packed], { cwd: packageRoot, stdio: "pipe" });
    const tarball = readdirSync(packed).find((f) => f.endsWith(".tgz")) ?? "";
    const target = join(project, "node_modules/@orderly/client");
    mkdirSync(target, { recursive: true });
    execFileSync("tar", ["xzf", join(packed, tarball), "-C", target, "--strip-components=1"]);
    // The published dependencies, as a package manager would install them.
    for (const dep of ["@grpc/grpc-js", "@bufbuild/protobuf", "@types/node"]) {
      const link = join(project, "node_modules", dep);
      mkdirSync(join(link, ".."), { recursive: true });
      symlinkSync(realpathSync(join(packageRoot, "node_modules", dep)), link);
    }
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({ name: "consumer", type: "module", private: true }),
    );
  }, 120_000);
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it("when plain node imports it, then a call returns a domain-shaped order and a failure an OrderlyError", async () => {
    const address = await fakeServer(OrderService, {
      getOrder: async (request) => {
        if (request.id !== "order-1")
          throw new AppError({
            code: Code.NOT_FOUND,
            reason: "ORDER_NOT_FOUND",
            message: `order ${request.id} not found`,
          });
        return {
          order: {
            id: "order-1",
            customerId: "c-1",
            status: OrderStatus.CONFIRMED,
            total: { currencyCode: "EUR", amountMinor: 3000n },
          },
        };
      },
    });
    writeFileSync(
      join(project, "main.js"),
      `import { createOrderlyClient, OrderlyError } from "@orderly/client";
const client = createOrderlyClient({ address: process.argv[2] });
const order = await client.orders.get("order-1");
const error = await client.orders.get("nope").catch((e) => e);
client.close();
console.log(JSON.stringify({ status: order.status, total: order.total, error: error instanceof OrderlyError ? [error.code, error.reason] : String(error) }));
`,
    );
    // Asynchronous: the fake server runs in this process and must keep answering.
    const { execFile } = await import("node:child_process");
    const output = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ["main.js", address], { cwd: project }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    expect(JSON.parse(output)).toEqual({
      status: "CONFIRMED",
      total: { amountMinor: 3000, currency: "EUR" },
      error: ["NOT_FOUND", "ORDER_NOT_FOUND"],
    });
  });

  it("when a TypeScript project typechecks against it, then the declarations resolve and type the API", () => {
    writeFileSync(
      join(project, "use.ts"),
      `import { createOrderlyClient, type Order, OrderlyError } from "@orderly/client";
const client = createOrderlyClient({ address: "127.0.0.1:50051", token: "t" });
export async function total(id: string): Promise<number | undefined> {
  const order: Order = await client.orders.get(id);
  const status: "CONFIRMED" | string = order.status;
  void status;
  return order.total?.amountMinor;
}
export const isError = (e: unknown): e is OrderlyError => e instanceof OrderlyError;
// @ts-expect-error quantity is a number, not a string
void client.orders.create({ customerId: "c", lines: [{ sku: "X", quantity: "1" }], shippingAddress: { name: "", line1: "", city: "", postalCode: "", countryCode: "GB" } });
`,
    );
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          strict: true,
          noEmit: true,
          types: ["node"],
        },
        files: ["use.ts"],
      }),
    );
    const result = (() => {
      try {
        return execFileSync(tsc, ["-p", "tsconfig.json"], { cwd: project, encoding: "utf8", stdio: "pipe" });
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string };
        return `FAILED\n${e.stdout ?? ""}${e.stderr ?? ""}`;
      }
    })();
    expect(result).toBe("");
  });
});
