// Shared by the eligibility, impact and report suites: a Graph client for an emulator app, and
// applying a campaign + Authenticator configuration the way the resources do (their Graph mapping).
import type { RunningEmulator } from "../../emulator/index.js";
import { resolveSettings } from "../../provider/config";
import {
  GraphClient,
  patchAuthenticatorConfiguration,
  patchRegistrationEnforcement,
  type GraphClientOptions,
} from "../../provider/graph";
import {
  authenticatorToGraphPatch,
  campaignToGraphPatch,
  parseArgs,
  type AuthenticatorPolicyArgs,
  type RegistrationCampaignArgs,
} from "../../provider/model";

export function graphClient(
  emulator: RunningEmulator,
  app = "reader",
  options: GraphClientOptions = {},
): GraphClient {
  return new GraphClient(
    resolveSettings(() => undefined, emulator.env(app)),
    {
      retryDelaySeconds: 0.05,
      maxRetries: 2,
      ...options,
    },
  );
}

/** Writes the campaign and/or Authenticator configuration as the writer app (as `pulumi up` would). */
export async function applyConfiguration(
  emulator: RunningEmulator,
  configuration: { campaign?: RegistrationCampaignArgs; authenticator?: AuthenticatorPolicyArgs },
): Promise<void> {
  const writer = graphClient(emulator, "writer", { reportRateLimit: null });
  if (configuration.authenticator) {
    const { onDelete: _onDelete, ...settings } = parseArgs(
      "AuthenticatorPolicy",
      configuration.authenticator,
    );
    void _onDelete;
    const patch = authenticatorToGraphPatch(settings);
    await patchAuthenticatorConfiguration(writer, patch.body, patch.version);
  }
  if (configuration.campaign) {
    const {
      onDelete: _onDelete,
      strictEligibility: _strict,
      ...settings
    } = parseArgs("RegistrationCampaign", configuration.campaign);
    void _onDelete;
    void _strict;
    const patch = campaignToGraphPatch(settings);
    await patchRegistrationEnforcement(writer, patch.body.registrationEnforcement, patch.version);
  }
}

/**
 * The passkey (FIDO2) method for all users with self-service setup, the target allowing the
 * tenant's first (default) profile: what a passkey campaign needs to nudge anyone (passkeys §3).
 */
export async function enablePasskeysForAllUsers(emulator: RunningEmulator): Promise<void> {
  const writer = graphClient(emulator, "writer", { reportRateLimit: null });
  const path = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Fido2";
  const current = await writer.request<{ passkeyProfiles?: { id: string }[] }>({
    operation: "read",
    method: "GET",
    path,
    permission: "Policy.Read.AuthenticationMethod",
  });
  await writer.request({
    operation: "enable passkeys for all users",
    method: "PATCH",
    path,
    permission: "Policy.ReadWrite.AuthenticationMethod",
    body: {
      "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
      state: "enabled",
      isSelfServiceRegistrationAllowed: true,
      includeTargets: [
        {
          id: "all_users",
          targetType: "group",
          isRegistrationRequired: false,
          allowedPasskeyProfiles: [
            current.passkeyProfiles?.[0]?.id ?? "00000000-0000-0000-0000-000000000001",
          ],
        },
      ],
    },
  });
}

/** The IO a command gets in tests: captured output, the given environment. */
export function captureIo(env: NodeJS.ProcessEnv, cwd = process.cwd()) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: (text: string) => void out.push(text),
      stderr: (text: string) => void err.push(text),
      env,
      cwd,
    },
    stdout: () => out.join(""),
    stderr: () => err.join(""),
  };
}
