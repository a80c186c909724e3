// Public exports of pulumi-entra-nudge.
export {
  RegistrationCampaign,
  type RegistrationCampaignArgs,
} from "./resources/registrationCampaign";
export {
  AuthenticatorPolicy,
  type AuthenticatorPolicyArgs,
  type FeatureSettingInput,
} from "./resources/authenticatorPolicy";
export {
  PasskeyPolicy,
  type PasskeyPolicyArgs,
  type PasskeyProfileInput,
} from "./resources/passkeyPolicy";
export { PilotGroup, type PilotGroupArgs } from "./resources/pilotGroup";
