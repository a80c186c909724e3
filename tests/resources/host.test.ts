// The dynamic-provider host's calls as the providers see them (provider/resources/providers/host.ts):
// each call knows its resource's URN (the engine sends it; the host does not pass it on), so a
// warning lands on the resource; and an error thrown on purpose is printed once, not also by the
// host with its stack.
import { expect } from "chai";
import * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { GraphRequestError } from "../../provider/graph";
import { host, setWarningSink, warn } from "../../provider/resources/providers";

const { captureUrns, currentUrn, printErrorsOnce, thrownOnPurpose, urnOf, withUrn } = host;

const URN = "urn:pulumi:dev::seed::pulumi-nodejs:dynamic/entra-nudge:PilotGroup::pilot";

describe("provider host: the URN of each call", () => {
  before(() => captureUrns());

  it("tags the properties the host reads from a request with that request's URN", () => {
    const read = new providerProto.ReadRequest();
    read.setUrn(URN);
    read.setProperties(Struct.fromJavaScript({ displayName: "Pilot" }));
    const props = read.getProperties()!.toJavaScript();
    expect(urnOf(props)).to.equal(URN);
    // Invisible to everything else: not a key, not serialized.
    expect(Object.keys(props)).to.deep.equal(["displayName"]);
    expect(JSON.stringify(props)).to.equal('{"displayName":"Pilot"}');

    const check = new providerProto.CheckRequest();
    check.setUrn(URN);
    check.setNews(Struct.fromJavaScript({ state: "enabled" }));
    expect(urnOf(check.getNews()!.toJavaScript())).to.equal(URN);
  });

  it("a warning sent during the call carries the URN (else it lands on the stack)", async () => {
    const seen: (string | undefined)[] = [];
    setWarningSink((_message, _ephemeral, urn) => seen.push(urn));
    try {
      await withUrn(URN, async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        expect(currentUrn()).to.equal(URN);
        warn("retrying");
      });
      warn("outside any call");
    } finally {
      setWarningSink(undefined);
    }
    expect(seen).to.deep.equal([URN, undefined]);
  });
});

describe("provider host: an error printed once", () => {
  function printed(error: Error): string[] {
    const lines: string[] = [];
    const fake = { error: (...args: unknown[]) => lines.push(args.map(String).join(" ")) };
    printErrorsOnce(fake);
    thrownOnPurpose(error);
    // What cmd/dynamic-provider does for check, diff, read and delete before failing the call.
    fake.error(`${String(error)}: ${error.stack}`);
    return lines;
  }

  it("drops the host's stderr copy (with its stack) of a sentence thrown on purpose", () => {
    const error = new GraphRequestError({
      kind: "signIn",
      operation: "read the group",
      graphMessage:
        "Sign-in to Microsoft Entra ID failed: AADSTS7000215: Invalid client secret provided.",
      hint: "The client secret is wrong.",
    });
    expect(printed(error)).to.deep.equal([]);
  });

  it("keeps the stack of a programming error", () => {
    const lines = printed(new TypeError("x is undefined"));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include("TypeError: x is undefined");
  });
});
