/**
 * The image's HEALTHCHECK: exits 0 when the service in the working directory answers 200 on
 * GET /health/ready, 1 otherwise. The distroless image has no shell or curl, so Node's fetch does it.
 *
 * The port comes from the service's own config (its default, or HTTP_PORT from the container's
 * environment), so one image works for every service without repeating their default ports here.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";

interface HttpConfig {
  http: { host: string; port: number };
}

const TIMEOUT_MS = 2500;

let healthy = false;
try {
  const { loadConfig } = (await import(pathToFileURL(join(process.cwd(), "src/config.ts")).href)) as {
    loadConfig: () => HttpConfig;
  };
  const { host, port } = loadConfig().http;
  const target = host === "0.0.0.0" || host === "::" || host === "" ? "127.0.0.1" : host;
  const url = `http://${target.includes(":") ? `[${target}]` : target}:${port}/health/ready`;
  const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  healthy = response.ok;
  if (!healthy) console.error(`healthcheck: ${url} answered ${response.status}`);
} catch (error) {
  console.error(`healthcheck: ${error instanceof Error ? error.message : String(error)}`);
}
// Exit now: a kept-alive connection would otherwise hold the process past the check's timeout.
process.exit(healthy ? 0 : 1);
