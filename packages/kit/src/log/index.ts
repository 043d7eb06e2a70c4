export { createLogger, type Logger, type LoggerOptions, REDACTED_PATHS } from "./create-logger.ts";
export { PERSON_KEYS, REDACTED, redactSensitive, SENSITIVE_KEYS } from "./sensitive-data.ts";
