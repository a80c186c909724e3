// Certificates for the emulator: a local certificate authority created once per machine and cached
// (so NODE_EXTRA_CA_CERTS can point at it before any process starts), a server certificate for the
// loopback names signed by it at each start, and self-signed client certificates for apps that
// authenticate with a certificate. node:crypto makes the keys and the signatures (native, fast);
// node-forge only lays out the X.509 structures.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  generateKeyPairSync,
  randomBytes,
  sign,
  X509Certificate,
  type KeyObject,
} from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import forge from "node-forge";

export interface CertificateAuthority {
  caCertPath: string;
  caKeyPath: string;
}

export interface KeyAndCertificate {
  /** PEM, PKCS#8 private key. */
  privateKeyPem: string;
  /** PEM certificate. */
  certificatePem: string;
}

export interface ClientCertificate extends KeyAndCertificate {
  /** Certificate followed by key: the file format AZURE_CLIENT_CERTIFICATE_PATH expects. */
  pem: string;
  /** Upper-case hex SHA-1 of the DER certificate, as Entra shows it ("customKeyIdentifier"). */
  thumbprint: string;
  /** Upper-case hex SHA-256 of the DER certificate. */
  thumbprintSha256: string;
}

const CA_COMMON_NAME = "pulumi-entra-nudge emulator CA";
const CA_VALIDITY_DAYS = 3650;
/** A cached CA this close to expiry is replaced rather than reused. */
const CA_RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** `${ENTRA_NUDGE_CACHE_DIR | XDG_CACHE_HOME/pulumi-entra-nudge | ~/.cache/pulumi-entra-nudge}/emulator-ca` */
export function certificateAuthorityDir(env: NodeJS.ProcessEnv = process.env): string {
  const root =
    env.ENTRA_NUDGE_CACHE_DIR ||
    join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "pulumi-entra-nudge");
  return join(root, "emulator-ca");
}

/**
 * Returns the cached CA, creating it first if needed. Synchronous on purpose: the test runner calls
 * it before it spawns mocha with NODE_EXTRA_CA_CERTS. Safe when processes race: each builds the CA in
 * its own temporary directory and renames that directory into place; a loser uses the winner's.
 */
export function ensureCertificateAuthority(
  dir: string = certificateAuthorityDir(),
): CertificateAuthority {
  const paths = { caCertPath: join(dir, "ca.pem"), caKeyPath: join(dir, "ca-key.pem") };
  if (isUsableAuthority(paths)) return paths;
  if (existsSync(dir)) {
    // Directories appear whole (by rename), so one that exists is complete: check it again, in
    // case another process has just put a good one in place since the first check.
    if (isUsableAuthority(paths)) return paths;
    // Expired or damaged: move it aside (atomically) so that a fresh one can take its place.
    const stale = `${dir}.stale-${process.pid}-${randomBytes(4).toString("hex")}`;
    try {
      renameSync(dir, stale);
      rmSync(stale, { recursive: true, force: true });
    } catch {
      // Another process replaced it first; fall through and check again below.
    }
  }
  const parent = join(dir, "..");
  mkdirSync(parent, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  mkdirSync(tmp, { mode: 0o700 });
  const ca = createCertificateAuthority();
  writeFileSync(join(tmp, "ca-key.pem"), ca.privateKeyPem, { mode: 0o600 });
  writeFileSync(join(tmp, "ca.pem"), ca.certificatePem, { mode: 0o644 });
  try {
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!isUsableAuthority(paths)) throw err;
  }
  return paths;
}

function isUsableAuthority(paths: CertificateAuthority): boolean {
  try {
    const cert = new X509Certificate(readFileSync(paths.caCertPath));
    const key = createPrivateKey(readFileSync(paths.caKeyPath));
    return (
      cert.ca &&
      cert.checkPrivateKey(key) &&
      Date.parse(cert.validTo) - Date.now() > CA_RENEW_BEFORE_MS
    );
  } catch {
    return false;
  }
}

function createCertificateAuthority(): KeyAndCertificate {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const subject = [
    { name: "commonName", value: CA_COMMON_NAME },
    { name: "organizationName", value: "pulumi-entra-nudge" },
  ];
  const certificatePem = buildCertificate({
    subjectPublicKey: publicKey,
    subject,
    issuer: subject,
    issuerKey: privateKey,
    validityDays: CA_VALIDITY_DAYS,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
      { name: "subjectKeyIdentifier" },
    ],
  });
  return { certificatePem, privateKeyPem: pemOf(privateKey) };
}

/** Loads the CA key and certificate to sign with (once per process per CA path). */
const loadedAuthorities = new Map<string, { key: KeyObject; cert: forge.pki.Certificate }>();
function loadAuthority(ca: CertificateAuthority): {
  key: KeyObject;
  cert: forge.pki.Certificate;
} {
  let loaded = loadedAuthorities.get(ca.caCertPath);
  if (!loaded) {
    loaded = {
      key: createPrivateKey(readFileSync(ca.caKeyPath)),
      cert: forge.pki.certificateFromPem(readFileSync(ca.caCertPath, "utf8")),
    };
    loadedAuthorities.set(ca.caCertPath, loaded);
  }
  return loaded;
}

/**
 * RSA keys take 50–500 ms to generate; one per purpose per process is enough (the certificate
 * around the key is new at each start), so that test suites starting many emulators stay fast.
 */
const keyCache = new Map<string, Promise<{ publicKey: KeyObject; privateKey: KeyObject }>>();
export function processKeyPair(
  purpose: string,
): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  let pair = keyCache.get(purpose);
  if (!pair) {
    pair = newRsaKeyPair();
    keyCache.set(purpose, pair);
    // A failed generation must not be cached forever.
    pair.catch(() => keyCache.delete(purpose));
  }
  return pair;
}

export function newRsaKeyPair(): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  return new Promise((resolve, reject) =>
    generateKeyPair("rsa", { modulusLength: 2048 }, (err, publicKey, privateKey) =>
      err ? reject(err) : resolve({ publicKey, privateKey }),
    ),
  );
}

/**
 * A server certificate for 127.0.0.1, ::1 and localhost, signed by the CA, valid for 30 days, with
 * a fresh P-256 key (instant to make, and cheaper TLS handshakes than RSA).
 */
export async function createServerCertificate(
  ca: CertificateAuthority = ensureCertificateAuthority(),
): Promise<KeyAndCertificate> {
  const { publicKey, privateKey } = await new Promise<{
    publicKey: KeyObject;
    privateKey: KeyObject;
  }>((resolve, reject) =>
    generateKeyPair("ec", { namedCurve: "P-256" }, (err, pub, priv) =>
      err ? reject(err) : resolve({ publicKey: pub, privateKey: priv }),
    ),
  );
  const authority = loadAuthority(ca);
  const certificatePem = buildCertificate({
    subjectPublicKey: publicKey,
    subject: [{ name: "commonName", value: "127.0.0.1" }],
    issuer: authority.cert.subject.attributes,
    issuerKey: authority.key,
    issuerCert: authority.cert,
    validityDays: 30,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
      { name: "subjectKeyIdentifier" },
    ],
  });
  return { certificatePem, privateKeyPem: pemOf(privateKey) };
}

/**
 * A self-signed certificate for an app's certificate credential (what `New-SelfSignedCertificate`
 * or `openssl req -x509` would give an admin), with a fresh key so that apps never share one.
 */
export async function createClientCertificate(
  options: { commonName?: string; validityDays?: number; notBefore?: Date } = {},
): Promise<ClientCertificate> {
  const { publicKey, privateKey } = await newRsaKeyPair();
  const subject = [{ name: "commonName", value: options.commonName ?? "entra-nudge-app" }];
  const certificatePem = buildCertificate({
    subjectPublicKey: publicKey,
    subject,
    issuer: subject,
    issuerKey: privateKey,
    validityDays: options.validityDays ?? 365,
    notBefore: options.notBefore,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, critical: true },
      { name: "extKeyUsage", clientAuth: true },
      { name: "subjectKeyIdentifier" },
    ],
  });
  const privateKeyPem = pemOf(privateKey);
  return {
    certificatePem,
    privateKeyPem,
    pem: certificatePem + privateKeyPem,
    ...certificateThumbprints(certificatePem),
  };
}

/** A self-signed certificate around an existing key (the emulator's token-signing certificate). */
export function createSelfSignedCertificate(
  keys: { publicKey: KeyObject; privateKey: KeyObject },
  commonName: string,
  validityDays = 365,
): string {
  const subject = [{ name: "commonName", value: commonName }];
  return buildCertificate({
    subjectPublicKey: keys.publicKey,
    subject,
    issuer: subject,
    issuerKey: keys.privateKey,
    validityDays,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, critical: true },
      { name: "subjectKeyIdentifier" },
    ],
  });
}

/** SHA-1 and SHA-256 thumbprints of the first certificate in a PEM text, upper-case hex. */
export function certificateThumbprints(pem: string): {
  thumbprint: string;
  thumbprintSha256: string;
} {
  const der = new X509Certificate(pem).raw;
  return {
    thumbprint: createHash("sha1").update(der).digest("hex").toUpperCase(),
    thumbprintSha256: createHash("sha256").update(der).digest("hex").toUpperCase(),
  };
}

interface CertificateSpec {
  subjectPublicKey: KeyObject;
  subject: forge.pki.CertificateField[];
  issuer: forge.pki.CertificateField[];
  issuerKey: KeyObject;
  issuerCert?: forge.pki.Certificate;
  validityDays: number;
  notBefore?: Date;
  extensions: Record<string, unknown>[];
}

/** forge's TBS builder is not in its type declarations. */
const forgePki = forge.pki as typeof forge.pki & {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
};

function buildCertificate(spec: CertificateSpec): string {
  const cert = forge.pki.createCertificate();
  // forge lays out RSA keys only: an EC key goes in as a stand-in, swapped for the real
  // SubjectPublicKeyInfo once the TBS structure exists.
  const rsa = spec.subjectPublicKey.asymmetricKeyType === "rsa";
  const spkiKey = rsa ? spec.subjectPublicKey : createPublicKey(spec.issuerKey);
  cert.publicKey = forge.pki.publicKeyFromPem(
    spkiKey.export({ type: "spki", format: "pem" }).toString(),
  );
  // Positive 16-byte serial (leading nibble < 8 keeps the DER INTEGER positive).
  cert.serialNumber = "0" + randomBytes(16).toString("hex").slice(1);
  // Backdated an hour so that clocks a little behind still accept it.
  const notBefore = spec.notBefore ?? new Date(Date.now() - 3600 * 1000);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = new Date(notBefore.getTime() + spec.validityDays * DAY_MS);
  cert.setSubject(spec.subject);
  cert.setIssuer(spec.issuer);
  const extensions = [...spec.extensions];
  if (spec.issuerCert) {
    const ski = spec.issuerCert.generateSubjectKeyIdentifier().getBytes();
    extensions.push({ name: "authorityKeyIdentifier", keyIdentifier: ski });
  }
  // forge would derive a stand-in key's identifier; for other keys it is left out (optional).
  cert.setExtensions(
    rsa ? extensions : extensions.filter((e) => e.name !== "subjectKeyIdentifier"),
  );
  cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
  cert.tbsCertificate = forgePki.getTBSCertificate(cert);
  if (!rsa) {
    const spki = spec.subjectPublicKey.export({ type: "spki", format: "der" });
    const fields = cert.tbsCertificate.value as forge.asn1.Asn1[];
    // TBSCertificate: [0] version, serial, signature, issuer, validity, subject, SPKI, [3] extensions
    fields[6] = forge.asn1.fromDer(spki.toString("binary"));
  }
  const tbs = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), "binary");
  cert.signature = sign("sha256", tbs, spec.issuerKey).toString("binary");
  return forge.pki.certificateToPem(cert);
}

function pemOf(key: KeyObject): string {
  return key.export({ type: "pkcs8", format: "pem" }).toString();
}
