// What Microsoft Entra ID said when a sign-in failed before any token request was sent. MSAL
// (inside @azure/identity) first fetches the tenant's OpenID configuration; when Entra refuses it
// (an unknown tenant answers 400 with AADSTS90002) MSAL reports only "endpoints_resolution_error",
// the same word it uses for an unreachable host or an untrusted certificate. Fetching the document
// once more tells which it was, so the error names the tenant instead of the network.
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";
import type { GraphSettings } from "../config";

/** What the authority answered for the tenant's discovery document (undefined: no answer). */
export interface AuthorityAnswer {
  error: string;
  errorDescription: string;
}

const DISCOVERY_TIMEOUT_MS = 10_000;

/** GET {authority}/{tenant}/v2.0/.well-known/openid-configuration, only to read a refusal. */
export async function authorityRefusal(
  settings: Pick<GraphSettings, "authorityHost" | "tenantId">,
): Promise<AuthorityAnswer | undefined> {
  const tenant = settings.tenantId ?? "organizations";
  const url = `${settings.authorityHost.replace(/\/+$/, "")}/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) });
    if (response.ok) return undefined;
    const body = (await response.json()) as { error?: unknown; error_description?: unknown };
    if (typeof body.error !== "string" || typeof body.error_description !== "string") {
      return undefined;
    }
    return { error: body.error, errorDescription: body.error_description };
  } catch {
    return undefined; // unreachable or untrusted: MSAL's own word stands
  }
}

/**
 * The credential, with a failure to resolve the authority's endpoints replaced by what the
 * authority said, shaped like @azure/identity's AuthenticationError (errorResponse), so that one
 * mapping (signInError) words every refusal.
 */
export function explainingAuthorityRefusals(
  credential: TokenCredential,
  settings: Pick<GraphSettings, "authorityHost" | "tenantId">,
): TokenCredential {
  return {
    async getToken(
      scopes: string | string[],
      options?: GetTokenOptions,
    ): Promise<AccessToken | null> {
      try {
        return await credential.getToken(scopes, options);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (!/endpoints_resolution_error/.test(message)) throw err;
        const refusal = await authorityRefusal(settings);
        if (!refusal) throw err;
        throw Object.assign(new Error(refusal.errorDescription), {
          name: "AuthenticationError",
          errorResponse: { error: refusal.error, errorDescription: refusal.errorDescription },
        });
      }
    },
  };
}
