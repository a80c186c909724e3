// The sentences a platform engineer reads when sign-in fails: the AADSTS code's fix, or what an
// MSAL error without one means.
import { expect } from "chai";
import { signInError } from "../../provider/graph/errors";

describe("sign-in error hints", () => {
  it("names the fix for a wrong client secret (AADSTS7000215)", () => {
    const err = signInError("read the policy", {
      name: "AuthenticationError",
      errorResponse: { errorDescription: "AADSTS7000215: Invalid client secret provided." },
    });
    expect(err.kind).to.equal("signIn");
    expect(err.message).to.contain("create a new secret");
  });

  it("points at the authority and certificate trust when MSAL cannot resolve its endpoints", () => {
    const err = signInError("read the policy", {
      name: "AuthenticationError",
      message:
        "endpoints_resolution_error: See https://aka.ms/msal.js.errors#endpoints_resolution_error for details",
    });
    expect(err.message).to.contain("TLS certificate is not trusted");
    expect(err.message).to.contain("NODE_EXTRA_CA_CERTS");
    expect(err.message).not.to.contain("Check the tenant id");
  });
});
