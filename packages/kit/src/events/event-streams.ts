import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import type { EventStreamSettings } from "./event-bus-config.ts";
import { DLQ_STREAM, streamName, streamSubjects } from "./subjects.ts";

export interface StreamSpec {
  name: string;
  subjects: string[];
  description: string;
  /** Overrides the configured retention (the DLQ keeps its messages whoever consumes them). */
  retention?: EventStreamSettings["retention"];
}

/** The stream holding a producer's events: `ORDERLY_<SOURCE>` over `orderly.<source>.>`. */
export function eventStream(source: string): StreamSpec {
  return {
    name: streamName(source),
    subjects: [streamSubjects(source)],
    description: `Domain events of the ${source} service`,
  };
}

/** One stream of every consumer's dead letters (`orderly.dlq.>`), kept until replayed or aged out. */
export const dlqStream: StreamSpec = Object.freeze({
  name: DLQ_STREAM,
  subjects: ["orderly.dlq.>"],
  description: "Events consumers gave up on, by consumer (orderly.dlq.<consumer>)",
  // Interest retention would drop dead letters at once: nobody consumes them until a replay.
  retention: "limits",
});

/**
 * Creates the stream, or updates an existing one to these subjects and settings (what the config
 * says wins over what an earlier start left). `mode: "create-only"` leaves an existing stream alone:
 * a consumer creates its producer's stream when it starts first, but never reconfigures it.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  spec: StreamSpec,
  settings: EventStreamSettings,
  mode: "create-or-update" | "create-only" = "create-or-update",
): Promise<void> {
  const updatable = {
    subjects: spec.subjects,
    description: spec.description,
    max_age: nanos(settings.maxAgeMs),
    num_replicas: settings.replicas,
    duplicate_window: nanos(Math.min(settings.duplicateWindowMs, settings.maxAgeMs)),
    discard: DiscardPolicy.Old,
  };
  const exists = await jsm.streams.info(spec.name).then(
    () => true,
    (err: unknown) => {
      if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound) return false;
      throw err;
    },
  );
  if (exists) {
    if (mode === "create-or-update") {
      await jsm.streams.update(spec.name, updatable).catch((err: unknown) => {
        throw new StreamSettingsNotApplied(spec.name, err);
      });
    }
    return;
  }
  const config: Partial<StreamConfig> & { name: string } = {
    name: spec.name,
    ...updatable,
    retention:
      (spec.retention ?? settings.retention) === "interest"
        ? RetentionPolicy.Interest
        : RetentionPolicy.Limits,
    storage: StorageType.File,
  };
  await jsm.streams.add(config).catch(async (err: unknown) => {
    // Another replica created it in between: fine when it now exists.
    if (
      !(await jsm.streams.info(spec.name).then(
        () => true,
        () => false,
      ))
    )
      throw err;
  });
}

/** The stream exists, but the broker refused the configured settings (say, 3 replicas on one server). */
export class StreamSettingsNotApplied extends Error {
  constructor(stream: string, cause: unknown) {
    super(`stream ${stream} exists but its settings were not updated`, { cause });
    this.name = "StreamSettingsNotApplied";
  }
}
