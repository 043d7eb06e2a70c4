// The one backoff of the kit lives with the framework-free building blocks; the relay imports it here.
export { type BackoffOptions, backoffDelayMs } from "../domain/backoff.ts";
