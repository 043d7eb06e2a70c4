import type { ChannelOptions } from "@grpc/grpc-js";

/**
 * Channel options that spread calls over every address the resolver returns (grpc-js picks the
 * first address only by default). Resolvers here return no service config, so this one applies.
 */
export const ROUND_ROBIN_CHANNEL_OPTIONS: Readonly<ChannelOptions> = Object.freeze({
  "grpc.service_config": JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
});
