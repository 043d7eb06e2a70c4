/**
 * Diagnosis only (never run by pnpm bench): restart-to-ready and idle RSS of each of the four
 * services on PostgreSQL, for one or more checkouts of the repo side by side (e.g. this tree and an
 * extracted older commit with its node_modules), alternating checkouts within every round so the
 * machine's load hits them alike. Each service gets a fresh database per checkout, migrated by a first
 * start; then `rounds` restarts each. Peers are not running (static addresses point nowhere; no
 * service calls a peer while idle).
 *
 *   ORDERLY_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     node src/experiments/services-idle.ts [rounds=3] <repo dir>...
 */
import { createDatabases } from "../lib/databases.ts";
import { round, sampleProcess, sleep, spawnTarget } from "../lib/processes.ts";
import { serviceEnv, TELEMETRY_ENTRY } from "../lib/target-env.ts";

const SERVICES = ["inventory", "invoice", "fulfillment", "order"] as const;
const [roundsArg, ...roots] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 3);
const databases = await createDatabases(roots.flatMap((_, i) => SERVICES.map((s) => `${s}_${i}`)));

async function once(root: string, index: number, service: string) {
  const target = await spawnTarget({
    name: `${service}@${index}`,
    nodeArgs: ["--import", TELEMETRY_ENTRY],
    script: "src/main.ts",
    cwd: `${root}/services/${service}`,
    env: serviceEnv({
      DATABASE_URL: databases.urls[`${service}_${index}`],
      INVENTORY_GRPC_ADDR: "127.0.0.1:1",
      INVOICE_GRPC_ADDR: "127.0.0.1:1",
      FULFILLMENT_GRPC_ADDR: "127.0.0.1:1",
      ORDER_GRPC_ADDR: "127.0.0.1:1",
    }),
    readyTimeoutMs: 120_000,
  });
  try {
    await sleep(1000);
    return {
      readyMs: round(target.readyMs),
      rssMb: round((sampleProcess(target.pid)?.rssBytes ?? 0) / 2 ** 20, 1),
    };
  } finally {
    await target.stop();
  }
}

try {
  const rows: Record<string, { readyMs: number; rssMb: number }[]> = {};
  for (const service of SERVICES) {
    for (const [i, root] of roots.entries()) await once(root, i, service); // migrate, warm the cache
    for (let r = 0; r < rounds; r++) {
      for (const j of roots.keys()) {
        const i = (j + r) % roots.length;
        const key = `${service} ${roots[i]}`;
        rows[key] ??= [];
        rows[key].push(await once(roots[i] as string, i, service));
      }
    }
  }
  for (const [key, samples] of Object.entries(rows))
    console.log(
      `${key}: ready ms ${samples.map((s) => s.readyMs).join(" ")}; idle RSS MB ${samples.map((s) => s.rssMb).join(" ")}`,
    );
} finally {
  await databases.drop();
}
