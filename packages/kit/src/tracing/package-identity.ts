import type { Attributes } from "@opentelemetry/api";

/**
 * `service.name`/`service.version` from the package.json of the service being started
 * (`pnpm --dir services/order start` runs in services/order): without them a trace shows
 * `unknown_service:node` whenever OTEL_SERVICE_NAME was forgotten. The lowest-priority source:
 * OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES override it.
 */
export function packageIdentity(packageJson: string | undefined): Attributes {
  if (packageJson === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(packageJson);
  } catch {
    return {};
  }
  if (typeof parsed !== "object" || parsed === null) return {};
  const { name, version } = parsed as { name?: unknown; version?: unknown };
  const attributes: Attributes = {};
  // "@orderly/order" -> "order": the name Consul, metrics and logs use.
  if (typeof name === "string" && name !== "") attributes["service.name"] = name.replace(/^@[^/]+\//, "");
  if (typeof version === "string" && version !== "") attributes["service.version"] = version;
  return attributes;
}
