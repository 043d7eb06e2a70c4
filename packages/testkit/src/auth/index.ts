export { createTestAuth, TEST_AUDIENCE, TEST_ISSUER, type TestAuth, type TokenRequest } from "./test-auth.ts";
