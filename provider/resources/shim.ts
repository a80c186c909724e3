// The provider object Pulumi serializes into the state. Its methods only load the package's
// implementation by name and delegate (DESIGN.md, dynamic provider rule 1): the serialized text
// captures nothing but the resource kind, holds no secret, and stays the same across versions.
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../model";

type Implementation = typeof import("./providers");

// One shim object per kind: @pulumi/pulumi caches a provider's serialized text per object, and
// serializing (a closure analysis through the V8 inspector) costs tens of milliseconds per
// resource in every preview. The text is the same either way.
const shims = new Map<ResourceKind, pulumi.dynamic.ResourceProvider>();

export function shimProvider(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  let shim = shims.get(kind);
  if (!shim) shims.set(kind, (shim = makeShim(kind)));
  return shim;
}

function makeShim(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  /* eslint-disable @typescript-eslint/no-require-imports -- the shim must load the package lazily, by name */
  return {
    async configure(req) {
      (require("pulumi-entra-nudge/internal/providers") as Implementation).configure(req);
    },
    async check(olds, news) {
      const impl = require("pulumi-entra-nudge/internal/providers") as Implementation;
      return impl.provider(kind).check!(olds, news);
    },
    async diff(id, olds, news) {
      const impl = require("pulumi-entra-nudge/internal/providers") as Implementation;
      return impl.provider(kind).diff!(id, olds, news);
    },
    async create(inputs) {
      const impl = require("pulumi-entra-nudge/internal/providers") as Implementation;
      return impl.provider(kind).create(inputs);
    },
    async read(id, props) {
      const impl = require("pulumi-entra-nudge/internal/providers") as Implementation;
      return impl.provider(kind).read!(id, props);
    },
    async update(id, olds, news) {
      const impl = require("pulumi-entra-nudge/internal/providers") as Implementation;
      return impl.provider(kind).update!(id, olds, news);
    },
    async delete(id, props) {
      const impl = require("pulumi-entra-nudge/internal/providers") as Implementation;
      return impl.provider(kind).delete!(id, props);
    },
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}
