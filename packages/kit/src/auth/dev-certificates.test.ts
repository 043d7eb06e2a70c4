import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createDevCa, loadDevCa } from "./dev-certificates.ts";

describe("dev certificates", () => {
  it("when a service certificate is issued, then it names the service, localhost and 127.0.0.1, signed by the CA", () => {
    const ca = createDevCa();
    const issued = new X509Certificate(ca.issue("inventory", { dnsNames: ["inventory.orderly.svc"] }).cert);
    const authority = new X509Certificate(ca.cert);

    expect(issued.subject).toBe("CN=inventory");
    expect(issued.subjectAltName).toBe(
      "DNS:inventory, DNS:localhost, DNS:inventory.orderly.svc, IP Address:127.0.0.1",
    );
    expect(issued.checkIssued(authority)).toBe(true);
    expect(issued.verify(authority.publicKey)).toBe(true);
    expect(authority.ca).toBe(true);
    expect(issued.ca).toBe(false);
  });

  it("when the CA is loaded back from its PEM files, then what it issues verifies against the original", () => {
    const ca = createDevCa();
    const again = loadDevCa({ cert: ca.cert, key: ca.key });
    const issued = new X509Certificate(again.issue("operator").cert);

    expect(issued.verify(new X509Certificate(ca.cert).publicKey)).toBe(true);
  });

  it("when a certificate comes from another CA, then it does not verify against ours", () => {
    const ours = createDevCa();
    const theirs = createDevCa("elsewhere");
    const issued = new X509Certificate(theirs.issue("order").cert);

    expect(issued.verify(new X509Certificate(ours.cert).publicKey)).toBe(false);
  });
});
