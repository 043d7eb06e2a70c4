import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import type forge from "node-forge";

/**
 * A throwaway certificate authority for development and tests: `pnpm start` issues every service's
 * certificate with it, and tests issue certificates (and wrong CAs) in memory. Node makes the keys
 * but cannot sign X.509 certificates, hence node-forge for the certificate itself (pure JavaScript,
 * no global polyfills). Production uses a real CA (cert-manager in deploy/k8s); no running service
 * imports this file.
 */

/** node-forge (42 modules) is loaded on first use: the kit's auth barrel re-exports this file. */
const nodeForge = (): typeof forge => createRequire(import.meta.url)("node-forge") as typeof forge;

/** A PEM certificate and its PEM private key. */
export interface PemPair {
  cert: string;
  key: string;
}

export interface DevCa extends PemPair {
  /** Issues a certificate whose common name is the identity that caller allowlists check. */
  issue(commonName: string, options?: IssueOptions): PemPair;
}

export interface IssueOptions {
  /** Extra DNS names besides the common name and localhost (compose or k8s host names). */
  dnsNames?: readonly string[];
  validDays?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Creates a new CA: a fresh RSA key and a self-signed certificate valid ten years. */
export function createDevCa(commonName = "Orderly dev CA"): DevCa {
  const { publicKey, privateKey, keyPem } = newKeys();
  const cert = nodeForge().pki.createCertificate();
  cert.publicKey = publicKey;
  setValidity(cert, 3650);
  const name = [{ name: "commonName", value: commonName }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(privateKey, nodeForge().md.sha256.create());
  return devCa(cert, privateKey, keyPem);
}

/** The CA `createDevCa` made earlier, from its PEM certificate and key. */
export function loadDevCa(pair: PemPair): DevCa {
  const key = nodeForge().pki.privateKeyFromPem(pair.key) as forge.pki.rsa.PrivateKey;
  return devCa(nodeForge().pki.certificateFromPem(pair.cert), key, pair.key);
}

function devCa(caCert: forge.pki.Certificate, caKey: forge.pki.rsa.PrivateKey, caKeyPem: string): DevCa {
  return {
    cert: nodeForge().pki.certificateToPem(caCert),
    key: caKeyPem,
    issue(commonName, options = {}) {
      const { publicKey, keyPem } = newKeys();
      const cert = nodeForge().pki.createCertificate();
      cert.publicKey = publicKey;
      setValidity(cert, options.validDays ?? 825);
      cert.setSubject([{ name: "commonName", value: commonName }]);
      cert.setIssuer(caCert.subject.attributes);
      const dnsNames = [...new Set([commonName, "localhost", ...(options.dnsNames ?? [])])];
      cert.setExtensions([
        { name: "basicConstraints", cA: false, critical: true },
        { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
        // Every identity both serves (its gRPC port) and calls (its peers): both purposes.
        { name: "extKeyUsage", serverAuth: true, clientAuth: true },
        // The common name as a DNS name because kit clients verify the peer's service name;
        // localhost and 127.0.0.1 so `buf curl` against `pnpm start` verifies the host it dials.
        {
          name: "subjectAltName",
          altNames: [...dnsNames.map((value) => ({ type: 2, value })), { type: 7, ip: "127.0.0.1" }],
        },
        { name: "subjectKeyIdentifier" },
        { name: "authorityKeyIdentifier", keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
      ]);
      cert.sign(caKey, nodeForge().md.sha256.create());
      return { cert: nodeForge().pki.certificateToPem(cert), key: keyPem };
    },
  };
}

/** RSA 2048 made by Node's native crypto (forge's pure-JavaScript generator takes seconds). */
function newKeys() {
  const { privateKey: keyPem } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const privateKey = nodeForge().pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const publicKey = nodeForge().pki.setRsaPublicKey(privateKey.n, privateKey.e);
  return { privateKey, publicKey, keyPem };
}

function setValidity(cert: forge.pki.Certificate, days: number): void {
  // Positive, random, 16 bytes: unique enough that a reissued certificate never repeats a serial.
  cert.serialNumber = `01${randomBytes(15).toString("hex")}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - DAY_MS);
  cert.validity.notAfter = new Date(now + days * DAY_MS);
}
