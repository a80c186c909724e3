// What reading a tenant-wide singleton takes (the registration campaign, the Microsoft
// Authenticator configuration): the providers build their lifecycle on it
// (provider/resources/providers/singleton.ts), and drift, preview summaries and export read the
// tenant through it, so that they and `pulumi refresh` never disagree about what the tenant holds.
import type { GraphClient } from "../graph";
import type { GraphVersion, InputsByKind, SettingsByKind } from "../model";

export type SingletonKind = "RegistrationCampaign" | "AuthenticatorPolicy" | "PasskeyPolicy";

export interface LiveSingleton<K extends SingletonKind> {
  kind: K;
  /** The endpoint version the settings must be read and written through. */
  version(settings: SettingsByKind[K]): GraphVersion;
  read(graph: GraphClient, version: GraphVersion): Promise<SettingsByKind[K]>;
  /** The settings restricted to what the declaration manages (unmanaged parts are left out). */
  managed(settings: SettingsByKind[K], declared: InputsByKind[K]): SettingsByKind[K];
}
