// The Graph access layer: the only code in the package that talks HTTP.
export * from "./client";
export * from "./errors";
export * from "./groups";
export * from "./odata";
export * from "./policy";
export * from "./rateLimit";
export * from "./reports";
export * from "./users";
export * from "./roles";
