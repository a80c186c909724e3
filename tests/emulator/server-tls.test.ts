// The emulator's certificates: a CA cached once per machine (and safe when processes race for it),
// a loopback server certificate it signs, and client certificates for certificate credentials.
import { expect } from "chai";
import { spawn } from "node:child_process";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  certificateAuthorityDir,
  createClientCertificate,
  createServerCertificate,
  ensureCertificateAuthority,
} from "../../emulator/tls.js";

const TLS_MODULE = join(__dirname, "..", "..", "emulator", "tls.js");

describe("emulator certificates", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "entra-nudge-ca-"));
  });

  it("puts the CA under ENTRA_NUDGE_CACHE_DIR, else XDG_CACHE_HOME, else ~/.cache", () => {
    expect(certificateAuthorityDir({ ENTRA_NUDGE_CACHE_DIR: "/c" })).to.equal("/c/emulator-ca");
    expect(certificateAuthorityDir({ XDG_CACHE_HOME: "/x" })).to.equal(
      "/x/pulumi-entra-nudge/emulator-ca",
    );
    expect(certificateAuthorityDir({})).to.match(/\/\.cache\/pulumi-entra-nudge\/emulator-ca$/);
  });

  it("creates the CA once and reuses it", () => {
    const dir = join(root, "emulator-ca");
    const first = ensureCertificateAuthority(dir);
    const pem = readFileSync(first.caCertPath, "utf8");
    const cert = new X509Certificate(pem);
    expect(cert.ca).to.equal(true);
    expect(cert.checkPrivateKey(createPrivateKey(readFileSync(first.caKeyPath)))).to.equal(true);
    expect(ensureCertificateAuthority(dir)).to.deep.equal(first);
    expect(readFileSync(first.caCertPath, "utf8")).to.equal(pem);
  });

  it("replaces a damaged CA", () => {
    const dir = join(root, "emulator-ca");
    const first = ensureCertificateAuthority(dir);
    writeFileSync(first.caCertPath, "not a certificate");
    const again = ensureCertificateAuthority(dir);
    expect(() => new X509Certificate(readFileSync(again.caCertPath))).to.not.throw();
  });

  it("gives racing processes one and the same CA", async function () {
    this.timeout(30_000);
    const dir = join(root, "emulator-ca");
    const script = `const ca = require(${JSON.stringify(TLS_MODULE)}).ensureCertificateAuthority(${JSON.stringify(dir)});
      const fs = require("fs");
      process.stdout.write(fs.readFileSync(ca.caCertPath, "utf8") + "\\n--key-matches:" +
        new (require("crypto").X509Certificate)(fs.readFileSync(ca.caCertPath)).checkPrivateKey(
          require("crypto").createPrivateKey(fs.readFileSync(ca.caKeyPath))));`;
    const outputs = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<string>((resolve, reject) => {
            const child = spawn(process.execPath, ["-e", script]);
            let out = "";
            child.stdout.on("data", (d: Buffer) => (out += d.toString()));
            child.on("error", reject);
            child.on("exit", (code) =>
              code === 0 ? resolve(out) : reject(new Error(`exit ${code}`)),
            );
          }),
      ),
    );
    expect(new Set(outputs).size, "every process read the same CA").to.equal(1);
    expect(outputs[0]).to.include("--key-matches:true");
    expect(readFileSync(join(dir, "ca.pem"), "utf8") + "\n--key-matches:true").to.equal(outputs[0]);
  });

  it("signs a server certificate for 127.0.0.1, ::1 and localhost", async () => {
    const ca = ensureCertificateAuthority(join(root, "emulator-ca"));
    const server = await createServerCertificate(ca);
    const cert = new X509Certificate(server.certificatePem);
    const caCert = new X509Certificate(readFileSync(ca.caCertPath));
    expect(cert.verify(caCert.publicKey)).to.equal(true);
    expect(cert.checkIssued(caCert)).to.equal(true);
    expect(cert.checkIP("127.0.0.1")).to.equal("127.0.0.1");
    expect(cert.checkIP("::1")).to.not.equal(undefined);
    expect(cert.checkHost("localhost")).to.equal("localhost");
    expect(cert.checkPrivateKey(createPrivateKey(server.privateKeyPem))).to.equal(true);
  });

  it("makes self-signed client certificates with Entra-style thumbprints", async () => {
    const client = await createClientCertificate({ commonName: "app" });
    const cert = new X509Certificate(client.certificatePem);
    expect(cert.subject).to.equal("CN=app");
    expect(client.thumbprint).to.equal(cert.fingerprint.replace(/:/g, ""));
    expect(client.thumbprintSha256).to.equal(cert.fingerprint256.replace(/:/g, ""));
    expect(client.pem).to.equal(client.certificatePem + client.privateKeyPem);
  });
});
