import type { ChannelOptions } from "@grpc/grpc-js";
import * as grpc from "@grpc/grpc-js";
import { ConsulHealthWatch, type ServiceInstance } from "./consul-health-watch.ts";
import type { RegistryLogger } from "./registry-logger.ts";
import { matchesVersion, parseVersionFilter, type VersionFilter } from "./version-filter.ts";

type GrpcUri = grpc.experimental.GrpcUri;
type Resolver = grpc.experimental.Resolver;
type ResolverListener = grpc.experimental.ResolverListener;
type Endpoint = grpc.experimental.Endpoint;
/** grpc-js does not export the constructor type it takes. */
type ResolverConstructor = Parameters<typeof grpc.experimental.registerResolver>[1];

export interface ConsulResolverOptions {
  log?: RegistryLogger;
  /** Blocking-query wait in seconds; default 60. */
  waitSeconds?: number;
  /** First retry delay (ms) while Consul is unreachable; doubles up to 30 s, with jitter. Default 1000. */
  retryMs?: number;
  /** ACL token for the health queries. */
  token?: string;
}

/**
 * Makes grpc-js resolve "consul://host:port/<service>" targets (see discoveryTarget) to the service's
 * passing instances in Consul, followed live. A `?version=` / `?not_version=` query keeps only the
 * instances of (or not of) that registered version: how canary and stable channels split (an empty
 * subset is reported as such, so that channel fails fast and the caller picks the other). Safe to call many times: each call installs the same
 * resolver with the given options for channels created afterwards.
 */
export function registerConsulResolver(options: ConsulResolverOptions = {}): void {
  grpc.experimental.registerResolver("consul", consulResolverClass(options));
}

function consulResolverClass(options: ConsulResolverOptions): ResolverConstructor {
  return class ConsulResolver implements Resolver {
    /** The :authority calls carry: the service name, not Consul's address. */
    static getDefaultAuthority(target: GrpcUri): string {
      return parseVersionFilter(target.path).service;
    }

    readonly #listener: ResolverListener;
    readonly #consulUrl: string | undefined;
    readonly #service: string;
    readonly #filter: VersionFilter;
    #watch: ConsulHealthWatch | undefined;
    #known: ServiceInstance[] | undefined;
    /** Bumped by destroy(): callbacks from an older watch are dropped. */
    #generation = 0;

    constructor(target: GrpcUri, listener: ResolverListener, _channelOptions: ChannelOptions) {
      this.#listener = listener;
      this.#filter = parseVersionFilter(target.path);
      this.#service = this.#filter.service;
      this.#consulUrl = target.authority ? `http://${target.authority}` : undefined;
    }

    updateResolution(): void {
      // A running watch already reports every change; grpc-js asks again on reconnects, which
      // the subchannels handle themselves.
      if (this.#watch) return;
      const generation = this.#generation;
      const live = (): boolean => generation === this.#generation;
      if (!this.#consulUrl) {
        const reason = `consul target needs a Consul address: consul://host:port/${this.#service}`;
        process.nextTick(() => live() && this.#reportError(reason));
        return;
      }
      const known = this.#known;
      // Back from idle: serve the set we had while the new watch catches up.
      if (known) process.nextTick(() => live() && this.#report(known));
      this.#watch = new ConsulHealthWatch({
        consulUrl: this.#consulUrl,
        service: this.#service,
        token: options.token,
        waitSeconds: options.waitSeconds,
        retryMs: options.retryMs,
        log: options.log,
        known,
        onInstances: (instances) => {
          if (!live()) return;
          this.#known = instances;
          this.#report(instances);
        },
        onUnavailable: (reason) => {
          if (live() && !this.#known) this.#reportError(reason);
        },
      });
      this.#watch.start();
    }

    destroy(): void {
      this.#generation += 1;
      this.#watch?.stop();
      this.#watch = undefined;
    }

    #report(instances: ServiceInstance[]): void {
      const wanted = instances.filter((i) => matchesVersion(this.#filter, i));
      if (wanted.length === 0) {
        // Only a version filter empties a set. grpc-js's round_robin turns an empty list into IDLE
        // (calls queue until their deadline) and keeps its old endpoints on an error; the empty
        // list drops the old ones, the error then fails calls fast (TRANSIENT_FAILURE).
        this.#listener(grpc.experimental.statusOrFromValue([]), {}, null, "no instance left");
        this.#reportError(
          `consul lists no passing instance of "${this.#service}"${describeFilter(this.#filter)}`,
        );
        return;
      }
      const endpoints: Endpoint[] = wanted.map((i) => ({ addresses: [{ host: i.host, port: i.port }] }));
      this.#listener(
        grpc.experimental.statusOrFromValue(endpoints),
        {},
        null,
        `consul: ${wanted.length} passing instance(s) of ${this.#service}${describeFilter(this.#filter)}`,
      );
    }

    #reportError(reason: string): void {
      this.#listener(
        grpc.experimental.statusOrFromError({
          code: grpc.status.UNAVAILABLE,
          details: reason,
          metadata: new grpc.Metadata(),
        }),
        {},
        null,
        reason,
      );
    }
  };
}

function describeFilter(filter: VersionFilter): string {
  if (filter.version !== undefined) return ` at version ${filter.version}`;
  if (filter.notVersion !== undefined) return ` not at version ${filter.notVersion}`;
  return "";
}
