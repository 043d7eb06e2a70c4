import type { StartedAddresses } from "@orderly/kit/service";

export type Env = Record<string, string | undefined>;

/** What the harness needs of a started service (a kit `Service` of any peers and database). */
export interface StartedService {
  readonly addresses: StartedAddresses;
  stop(reason?: string): Promise<void>;
}

export interface RunningService<S extends StartedService = StartedService> {
  readonly service: S;
  readonly httpUrl: string;
  /** host:port for grpc-js clients. */
  readonly grpcAddress: string;
  stop(): Promise<void>;
}

/** Defaults that make a service test-friendly: ephemeral ports, quiet logs, no shutdown wait. */
export const TEST_ENV: Env = {
  HTTP_HOST: "127.0.0.1",
  HTTP_PORT: "0",
  GRPC_HOST: "127.0.0.1",
  GRPC_PORT: "0",
  SERVICE_ADDRESS: "127.0.0.1",
  LOG_LEVEL: "silent",
  SHUTDOWN_PROPAGATION_DELAY_MS: "0",
  SHUTDOWN_DRAIN_TIMEOUT_MS: "5000",
  OTEL_SDK_DISABLED: "true",
  // Tests drive hundreds of requests from one address; the rate-limit tests turn it back on.
  RATE_LIMIT_PER_MINUTE: "0",
  // Tests of behaviour behind the gate act as the admin principal; auth tests set AUTH_* themselves
  // (see @orderly/testkit/auth) and override this. Without GRPC_TLS_* it also lets internal RPCs
  // accept any caller; identity tests set GRPC_TLS_*, and then the caller allowlist applies.
  AUTH_DISABLED: "true",
  EXPOSE_API_DOCS: "true",
};

/**
 * Starts a service in this process through its own `main(env)` (the same composition root
 * production runs), on ephemeral ports.
 */
export async function startInProcess<S extends StartedService>(
  main: (env: Env) => Promise<S>,
  env: Env = {},
): Promise<RunningService<S>> {
  const service = await main({ ...TEST_ENV, ...env });
  const { httpPort, grpcPort } = service.addresses;
  return {
    service,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    grpcAddress: `127.0.0.1:${grpcPort}`,
    stop: () => service.stop("test finished"),
  };
}
