import { z } from 'zod';
import { normalizeIdValue } from '../keys/index.js';

/**
 * Platform ids in config may be strings, numbers or bigints (Discord snowflakes, Telegram chat
 * ids); all become trimmed strings. Emptiness is checked afterwards so the error names the path.
 */
const idSchema = z
  .union([z.string(), z.number(), z.bigint()], {
    error: 'must be a string id (numbers and bigints are accepted and converted)',
  })
  .transform((v) => normalizeIdValue(v));

/** Role ids are compared exactly (no trimming or case folding); numbers and bigints become strings. */
const roleIdSchema = z
  .union([z.string(), z.number(), z.bigint()], { error: 'must be a role id (string, number or bigint)' })
  .transform((v) => String(v));

/** `session.dmScope` / `bindings[].session.dmScope`. */
export const dmScopeSchema = z.enum(['main', 'per-peer', 'per-channel-peer', 'per-account-channel-peer'], {
  error: 'must be one of main, per-peer, per-channel-peer, per-account-channel-peer',
});

/** `session.groupScope` / `bindings[].session.groupScope`. */
export const groupScopeSchema = z.enum(['per-group', 'main'], { error: 'must be per-group or main' });

/** `bindings[].match.peer`: `{ kind, id }`; `id: "*"` matches every peer of that kind. */
export const bindingPeerSchema = z.strictObject({
  kind: z.string({ error: 'must be direct, group or channel' }),
  id: idSchema,
});

/** `bindings[].match`: which messages a binding applies to. */
export const bindingMatchSchema = z.strictObject({
  channel: z.string({ error: 'must be a channel id such as "telegram"' }),
  accountId: z.string({ error: 'must be an account id, or "*" for every account' }).optional(),
  peer: bindingPeerSchema.optional(),
  guildId: idSchema.optional(),
  teamId: idSchema.optional(),
  roles: z.array(roleIdSchema, { error: 'must be a list of role ids' }).optional(),
});

/** `bindings[].session`: per-binding session overrides. */
export const bindingSessionSchema = z.strictObject({
  dmScope: dmScopeSchema.optional(),
  groupScope: groupScopeSchema.optional(),
});

/** One entry of `bindings`. Unknown keys are errors. */
export const bindingSchema = z.strictObject({
  type: z.enum(['route', 'acp'], { error: 'must be "route" or "acp"' }).optional(),
  agentId: z.string({ error: 'must be the id of an agent in agents.list' }),
  comment: z.string().optional(),
  match: bindingMatchSchema,
  session: bindingSessionSchema.optional(),
});

/** One entry of `agents.list`. Other modules' keys (`model`, `tools`, `groupChat` …) are allowed. */
export const agentEntrySchema = z.looseObject({
  id: z.string({ error: 'must be an agent id' }),
  default: z.boolean().optional(),
  name: z.string().optional(),
});

/** `agents`. Other keys are left to other modules. */
export const agentsConfigSchema = z.looseObject({
  list: z.array(agentEntrySchema, { error: 'must be a list of agents' }).optional(),
});

/** `session` (the routing-relevant keys; others are left to other modules). */
export const sessionConfigSchema = z.looseObject({
  dmScope: dmScopeSchema.optional(),
  groupScope: groupScopeSchema.optional(),
  identityLinks: z
    .record(z.string(), z.array(z.string()), { error: 'must map a name to a list of "<channel>:<id>" ids' })
    .optional(),
  mainKey: z.string().optional(),
});

/** One broadcast group: a list of agent ids, or the detailed object form. */
export const broadcastGroupSchema = z.union(
  [
    z.array(z.string()),
    z.strictObject({
      agents: z.array(z.string()),
      mentionGating: z.boolean().optional(),
      maxRounds: z.number().int().min(1).max(4).optional(),
      maxTurns: z.number().int().min(1).max(32).optional(),
    }),
  ],
  { error: 'must be a list of agent ids or { agents, mentionGating?, maxRounds? (1-4), maxTurns? (1-32) }' },
);

/**
 * `broadcast`: `strategy` (`parallel` | `sequential`) next to `"<channel>:<peerId>"` group keys.
 * (The router validates each entry on its own, so one bad group hides no other problem.)
 */
export const broadcastConfigSchema = z.record(
  z.string(),
  z.union([z.enum(['parallel', 'sequential']), broadcastGroupSchema], {
    error: 'must be a broadcast group (or, for strategy, parallel or sequential)',
  }),
);

/** The routing sections of the config. Other top-level keys (`channels`, `tools` …) are allowed. */
export const routingConfigSchema = z.looseObject({
  agents: agentsConfigSchema.optional(),
  bindings: z.array(bindingSchema, { error: 'must be a list of bindings' }).optional(),
  session: sessionConfigSchema.optional(),
  broadcast: broadcastConfigSchema.optional(),
});

/** The routing config as written (OpenClaw's shape). */
export type RoutingConfig = z.input<typeof routingConfigSchema>;
/** One binding after validation (ids are trimmed strings). */
export type ParsedBinding = z.output<typeof bindingSchema>;
/** One binding as written. */
export type BindingConfig = z.input<typeof bindingSchema>;
/** One agent entry as written. */
export type AgentConfig = z.input<typeof agentEntrySchema>;
/** One broadcast group as written. */
export type BroadcastGroupConfig = z.input<typeof broadcastGroupSchema>;
