import type { ChannelOptions } from "@grpc/grpc-js";

/**
 * HTTP/2 keepalive on every client channel. Without it a connection that dies silently (a NAT or
 * firewall forgets the flow, a peer's host vanishes, a one-way partition) stays READY in grpc-js:
 * every call on it ends DEADLINE_EXCEEDED and the channel never reconnects until the kernel gives
 * up on the socket, minutes later (never, through a proxy that keeps acknowledging). With it, a
 * ping unanswered for `keepalive_timeout_ms` closes the transport and the next call dials afresh.
 * Pings go only while calls are active (`permit_without_calls` 0), which servers accept by default.
 * Found by the chaos suite ("connections silently dead"). Callers may override any of these.
 */
export const KEEPALIVE_CHANNEL_OPTIONS: Readonly<ChannelOptions> = Object.freeze({
  "grpc.keepalive_time_ms": 10_000,
  "grpc.keepalive_timeout_ms": 5_000,
  "grpc.keepalive_permit_without_calls": 0,
});
