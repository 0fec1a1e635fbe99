// The sandbox's TLS identity. Azure SDK clients refuse bearer tokens over plain http, so the sandbox serves HTTPS
// with a self-signed certificate (SAN IP:127.0.0.1, DNS:localhost) generated once per data folder and reused, so a
// client that trusted it (NODE_EXTRA_CA_CERTS or tlsOptions.ca) keeps trusting it across restarts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { X509Certificate } from "node:crypto";
import { generate } from "selfsigned";

export interface SandboxCertificate {
  /** PEM file clients should trust (the certificate is its own CA). */
  caPath: string;
  certPem: string;
  keyPem: string;
}

const CERT_FILE = "sandbox-cert.pem";
const KEY_FILE = "sandbox-key.pem";
/** Renew when fewer than this many days remain, so a long-lived data folder never serves an expired cert. */
const RENEW_BEFORE_DAYS = 30;

/** Loads the certificate kept in `tlsDir`, generating (or renewing) it when missing or close to expiry. */
export function ensureCertificate(tlsDir: string): SandboxCertificate {
  mkdirSync(tlsDir, { recursive: true });
  const caPath = join(tlsDir, CERT_FILE);
  const keyPath = join(tlsDir, KEY_FILE);
  if (existsSync(caPath) && existsSync(keyPath)) {
    const certPem = readFileSync(caPath, "utf8");
    if (!expiresSoon(certPem)) return { caPath, certPem, keyPem: readFileSync(keyPath, "utf8") };
  }
  const generated = generate([{ name: "commonName", value: "localhost" }], {
    days: 825,
    keySize: 2048,
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", keyCertSign: true, digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  writeFileSync(keyPath, generated.private, { mode: 0o600 });
  writeFileSync(caPath, generated.cert);
  return { caPath, certPem: generated.cert, keyPem: generated.private };
}

function expiresSoon(certPem: string): boolean {
  try {
    const validTo = Date.parse(new X509Certificate(certPem).validTo);
    // Wall clock on purpose: TLS validity is checked by real clients against real time, not the virtual clock.
    return !(validTo - Date.now() > RENEW_BEFORE_DAYS * 86_400_000);
  } catch {
    return true;
  }
}
