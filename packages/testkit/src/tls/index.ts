export { createTestTls, type TestTls } from "./test-tls.ts";
