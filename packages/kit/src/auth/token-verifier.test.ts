import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "../errors/index.ts";
import type { AuthConfig } from "./auth-config.ts";
import { createSigningKey, jwksOf, type SigningKey, signToken } from "./signing-key.ts";
import { createAuthenticator } from "./token-verifier.ts";

const ISSUER = "https://id.test";
const AUDIENCE = "orderly";
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function jwksFile(keys: SigningKey[]): { path: string; publish(keys: SigningKey[]): void } {
  const dir = mkdtempSync(join(tmpdir(), "verifier-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "jwks.json");
  const publish = (next: SigningKey[]) => writeFileSync(path, jwksOf(next));
  publish(keys);
  return { path, publish };
}

const fileConfig = (file: string): AuthConfig => ({
  disabled: false,
  keys: { file },
  issuer: ISSUER,
  audience: AUDIENCE,
});

const token = (key: SigningKey, extra: Partial<Parameters<typeof signToken>[1]> = {}) =>
  signToken(key, { subject: "alice", scopes: ["orders:read"], issuer: ISSUER, audience: AUDIENCE, ...extra });

async function rejection(attempt: Promise<unknown>): Promise<AppError> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe("createAuthenticator with a JWKS file", () => {
  it("when a token signed by a published key carries scopes, then its subject and known scopes are the principal", async () => {
    const key = await createSigningKey();
    const auth = createAuthenticator(fileConfig(jwksFile([key]).path));

    const principal = await auth.authenticate(
      `Bearer ${await token(key, { scopes: ["orders:read", "orders:write", "coffee:brew"] })}`,
    );

    expect(principal.subject).toBe("alice");
    expect([...principal.scopes].sort()).toEqual(["orders:read", "orders:write"]);
  });

  it("when there is no Authorization header, then UNAUTHENTICATED TOKEN_MISSING", async () => {
    const auth = createAuthenticator(fileConfig(jwksFile([await createSigningKey()]).path));

    const error = await rejection(auth.authenticate(undefined));

    expect(error).toMatchObject({ codeName: "UNAUTHENTICATED", reason: "TOKEN_MISSING" });
  });

  it("when the header is Basic credentials, then UNAUTHENTICATED TOKEN_INVALID", async () => {
    const auth = createAuthenticator(fileConfig(jwksFile([await createSigningKey()]).path));

    const error = await rejection(auth.authenticate("Basic YWxpY2U6c2VjcmV0"));

    expect(error).toMatchObject({ codeName: "UNAUTHENTICATED", reason: "TOKEN_INVALID" });
  });

  it("when the token is signed by a key that is not published (forged), then UNAUTHENTICATED TOKEN_INVALID", async () => {
    const published = await createSigningKey();
    const forger = await createSigningKey(published.kid);
    const auth = createAuthenticator(fileConfig(jwksFile([published]).path));

    const error = await rejection(auth.authenticate(`Bearer ${await token(forger)}`));

    expect(error).toMatchObject({ codeName: "UNAUTHENTICATED", reason: "TOKEN_INVALID" });
  });

  it("when the token has expired, then UNAUTHENTICATED TOKEN_EXPIRED", async () => {
    const key = await createSigningKey();
    const auth = createAuthenticator(fileConfig(jwksFile([key]).path));

    const error = await rejection(auth.authenticate(`Bearer ${await token(key, { ttlSeconds: -60 })}`));

    expect(error).toMatchObject({ codeName: "UNAUTHENTICATED", reason: "TOKEN_EXPIRED" });
  });

  it.each([
    ["issuer", { issuer: "https://other.test" }, "iss"],
    ["audience", { audience: "another-app" }, "aud"],
  ])(
    "when the token's %s is another, then UNAUTHENTICATED TOKEN_INVALID naming the claim",
    async (_what, extra, claim) => {
      const key = await createSigningKey();
      const auth = createAuthenticator(fileConfig(jwksFile([key]).path));

      const error = await rejection(auth.authenticate(`Bearer ${await token(key, extra)}`));

      expect(error).toMatchObject({ codeName: "UNAUTHENTICATED", reason: "TOKEN_INVALID" });
      expect(error.message).toContain(`"${claim}"`);
    },
  );

  it("when keys rotate in the file, then a token of the new key is accepted at once and the removed key's tokens are refused", async () => {
    const old = await createSigningKey();
    const file = jwksFile([old]);
    const auth = createAuthenticator(fileConfig(file.path), { fileRecheckMs: 0 });
    const oldToken = `Bearer ${await token(old)}`;
    await auth.authenticate(oldToken);

    const next = await createSigningKey();
    file.publish([old, next]);
    const accepted = await auth.authenticate(`Bearer ${await token(next, { subject: "bob" })}`);
    file.publish([next]);
    const error = await rejection(auth.authenticate(oldToken));

    expect(accepted.subject).toBe("bob");
    expect(error).toMatchObject({ codeName: "UNAUTHENTICATED", reason: "TOKEN_INVALID" });
  });

  it("when a new key id appears before the recheck interval, then the file is re-read for it anyway", async () => {
    const old = await createSigningKey();
    const file = jwksFile([old]);
    const auth = createAuthenticator(fileConfig(file.path), { fileRecheckMs: 3_600_000 });
    await auth.authenticate(`Bearer ${await token(old)}`);

    const next = await createSigningKey();
    file.publish([old, next]);

    await expect(auth.authenticate(`Bearer ${await token(next)}`)).resolves.toMatchObject({
      subject: "alice",
    });
  });

  it("when the JWKS file is missing, then creating the authenticator fails (the service does not start)", () => {
    expect(() => createAuthenticator(fileConfig("/nonexistent/jwks.json"))).toThrow(/ENOENT/);
  });

  it("when scopes come as an scp array, then they are read too", async () => {
    const key = await createSigningKey();
    const auth = createAuthenticator(fileConfig(jwksFile([key]).path));
    const { SignJWT, importJWK } = await import("jose");
    const jwt = await new SignJWT({ scp: ["invoices:read", "admin"] })
      .setProtectedHeader({ alg: "ES256", kid: key.kid })
      .setSubject("carol")
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime("1h")
      .sign(await importJWK(key.privateJwk, "ES256"));

    const principal = await auth.authenticate(`Bearer ${jwt}`);

    expect([...principal.scopes].sort()).toEqual(["admin", "invoices:read"]);
  });
});

describe("createAuthenticator with a JWKS URL", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });

  async function serveJwks(keys: () => SigningKey[]): Promise<{ url: string; fetches: () => number }> {
    let fetches = 0;
    server = createServer((_request, response) => {
      fetches++;
      response.setHeader("content-type", "application/json");
      response.end(jwksOf(keys()));
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/jwks.json`, fetches: () => fetches };
  }

  it("when tokens are verified, then the JWKS is fetched once and cached; a new key id refetches it", async () => {
    const old = await createSigningKey();
    let keys = [old];
    const jwks = await serveJwks(() => keys);
    const auth = createAuthenticator(
      { disabled: false, keys: { url: jwks.url }, issuer: ISSUER, audience: AUDIENCE },
      { remote: { cooldownMs: 0 } },
    );

    await auth.authenticate(`Bearer ${await token(old)}`);
    await auth.authenticate(`Bearer ${await token(old)}`);
    const fetchedOnce = jwks.fetches();
    const next = await createSigningKey();
    keys = [old, next];
    const principal = await auth.authenticate(`Bearer ${await token(next, { subject: "dave" })}`);

    expect(fetchedOnce).toBe(1);
    expect(principal.subject).toBe("dave");
    expect(jwks.fetches()).toBe(2);
  });
});

describe("createAuthenticator with auth disabled", () => {
  it("when auth is disabled, then any caller, even without a token, is the admin principal", async () => {
    const principal = await createAuthenticator({ disabled: true }).authenticate(undefined);

    expect(principal.scopes.has("admin")).toBe(true);
  });
});
