// Public exports of pulumi-entra-nudge.
export {};
