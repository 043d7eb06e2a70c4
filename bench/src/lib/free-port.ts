// The testkit holds the one race-free free-port helper; bench/chaos imports it from here.
export { freePort } from "@orderly/testkit/net";
