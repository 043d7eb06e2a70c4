/**
 * Diagnosis only (never run by pnpm bench): which packages a process loads and what it holds once
 * idle. Plain JavaScript so that preloading it does not itself load Node's TypeScript stripper
 * (which the kit's entry avoids on a warm compile cache). Preload it before the telemetry entry:
 *
 *   node --import ./bench/src/experiments/module-census.mjs --import @orderly/kit/tracing/register src/main.ts
 *
 * Three seconds after start-up (CENSUS_AFTER_MS) it prints one JSON line on stderr: RSS, heap,
 * external memory and the packages loaded (from node_modules, by name, with the number of files).
 */
import { registerHooks } from "node:module";
import { getHeapSpaceStatistics } from "node:v8";

const files = new Map();
registerHooks({
  load(url, context, nextLoad) {
    const match = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(url);
    const name = match?.[1] ?? (url.includes("/packages/kit/") ? "@orderly/kit" : undefined);
    if (name) files.set(name, (files.get(name) ?? 0) + 1);
    return nextLoad(url, context);
  },
});

const afterMs = Number(process.env.CENSUS_AFTER_MS ?? 3000);
setTimeout(() => {
  const mb = (n) => Math.round((n / 1024 / 1024) * 10) / 10;
  const m = process.memoryUsage();
  process.stderr.write(
    `${JSON.stringify({
      census: true,
      rssMb: mb(m.rss),
      heapUsedMb: mb(m.heapUsed),
      heapTotalMb: mb(m.heapTotal),
      externalMb: mb(m.external),
      arrayBuffersMb: mb(m.arrayBuffers),
      spaces: Object.fromEntries(
        getHeapSpaceStatistics().map((space) => [
          space.space_name,
          `${mb(space.space_used_size)}/${mb(space.space_size)}`,
        ]),
      ),
      packages: Object.fromEntries([...files.entries()].sort((a, b) => b[1] - a[1])),
    })}\n`,
  );
}, afterMs).unref();
