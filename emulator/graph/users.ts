// Users (§4.7): read-only here. GET by object id or userPrincipalName (the HTTP layer has already
// percent-decoded the segment, so `'`, `#`, `%` and `/` in a UPN arrive intact), and the list with
// the $filter subset clients use (userPrincipalName eq/in/startsWith, userType eq, ...).
import type { GraphResponse } from "../types";
import type { Context } from "./context";
import { requirePermission } from "./context";
import {
  USER_FILTER,
  USER_PROPERTIES,
  countDirectory,
  listDirectory,
  pinnedIds,
  renderUser,
  userItem,
  type DirectoryListing,
} from "./directory";
import { notFound } from "./failures";
import { contextUrl, parseSelect, selectFragment } from "./odata/query";
import { PERMISSIONS } from "./permissions";

function userListing(ctx: Context): DirectoryListing {
  const { state } = ctx;
  const domain = state.seed.tenant.domain;
  return {
    context: "users",
    typeName: "user",
    selectable: USER_PROPERTIES,
    rules: USER_FILTER,
    ids: state.seed.userIdsSorted,
    item: (id) => {
      const u = state.users.get(id);
      return u && userItem(u, domain);
    },
    lookup: (filter) =>
      pinnedIds(filter, {
        property: "userPrincipalName",
        lookup: (upn) => {
          const u = state.userByKey(upn);
          return u && u.userPrincipalName.toLowerCase() === upn.toLowerCase() ? [u.id] : [];
        },
      }),
  };
}

export function listUsers(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.userRead);
  return listDirectory(ctx, userListing(ctx));
}

export function countUsers(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.userRead);
  return countDirectory(ctx, userListing(ctx));
}

export function getUser(ctx: Context): GraphResponse {
  requirePermission(ctx, PERMISSIONS.userRead);
  const key = ctx.params.id;
  const user = ctx.state.userByKey(key);
  if (!user) throw notFound(key);
  const select = parseSelect(ctx.req, USER_PROPERTIES, "user");
  return {
    status: 200,
    body: {
      "@odata.context": contextUrl(ctx.req, selectFragment("users/$entity", select)),
      ...renderUser(user, select, ctx.state.seed.tenant.domain),
    },
  };
}
