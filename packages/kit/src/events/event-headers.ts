/** Header names on every event message (NATS headers are case-insensitive on read). */
export const EventHeaders = {
  msgId: "Nats-Msg-Id",
  traceparent: "traceparent",
  tracestate: "tracestate",
  contentType: "content-type",
  eventType: "orderly-event-type",
  /** Dead letters: why the last attempt failed, how many attempts were made, where it came from. */
  dlqError: "orderly-dlq-error",
  dlqAttempts: "orderly-dlq-attempts",
  dlqConsumer: "orderly-dlq-consumer",
  dlqSubject: "orderly-dlq-original-subject",
  dlqStream: "orderly-dlq-original-stream",
  dlqStreamSequence: "orderly-dlq-original-sequence",
  dlqEventId: "orderly-dlq-event-id",
} as const;

export const PROTOBUF_CONTENT_TYPE = "application/x-protobuf";
