import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDevCa } from "@orderly/kit/auth";

/**
 * A temporary folder standing in for a mounted TLS Secret (cert-manager's `ca.crt`, `tls.crt`,
 * `tls.key`), so a service's config can load the GRPC_TLS_* paths a manifest sets. `env` rewrites
 * the mount path to the folder; `remove` deletes it.
 */
export function tlsSecretStandIn(mountPath: string, identity: string) {
  const dir = mkdtempSync(join(tmpdir(), `orderly-tls-${identity}-`));
  const ca = createDevCa();
  const issued = ca.issue(identity);
  writeFileSync(join(dir, "ca.crt"), ca.cert);
  writeFileSync(join(dir, "tls.crt"), issued.cert);
  writeFileSync(join(dir, "tls.key"), issued.key);
  return {
    env: (env: Record<string, string>): Record<string, string> =>
      Object.fromEntries(
        Object.entries(env).map(([k, v]) => [
          k,
          v.startsWith(`${mountPath}/`) ? dir + v.slice(mountPath.length) : v,
        ]),
      ),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
