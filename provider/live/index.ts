// Reading what the tenant holds for each resource kind, the one way the providers, drift, preview
// summaries and export all read it. Below both the providers and the features: takes a Graph
// client, holds no state.
export { liveAuthenticator, readAuthenticator } from "./authenticator";
export { managedPart, readLive, type LiveState } from "./byKind";
export { liveCampaign, readCampaign } from "./campaign";
export { livePasskey, readPasskey } from "./passkey";
export { readPilotGroup } from "./pilotGroup";
export type { LiveSingleton, SingletonKind } from "./singleton";
