export { deadLetter } from "./dead-letter.ts";
export {
  type DeadLetterEntry,
  listDeadLetters,
  type ReplayResult,
  replayDeadLetters,
} from "./dead-letters.ts";
export { type ConnectEventBusOptions, connectEventBus, type EventBus } from "./event-bus.ts";
export {
  DEFAULT_STREAM_SETTINGS,
  type EventBusConfig,
  type EventStreamSettings,
  eventBusConfigFrom,
  eventBusEnvShape,
  parseEventBusConfig,
} from "./event-bus-config.ts";
export { EventConsumer, type EventConsumerOptions } from "./event-consumer.ts";
export { buildEnvelope, decodeEnvelope, encodeEnvelope, unpackEnvelope } from "./event-envelope.ts";
export { EventHeaders, PROTOBUF_CONTENT_TYPE } from "./event-headers.ts";
export { type EventPublisherOptions, eventPublisher } from "./event-publisher.ts";
export { createEventRelay, type EventRelay, type EventRelayOptions } from "./event-relay.ts";
export { dlqStream, ensureStream, eventStream, type StreamSpec } from "./event-streams.ts";
export { fromOutboxPayload, toOutboxPayload } from "./outbox-event.ts";
export { eventPayload, type ReceivedEvent } from "./received-event.ts";
export { type RecordEvent, recordEvent } from "./record-event.ts";
export { DLQ_STREAM, dlqSubject, eventSubject, streamName } from "./subjects.ts";
export { captureTrace, contextFromTrace, type TraceCarrier } from "./trace-context.ts";
