import "server-only";
import { DEAD_LETTER_FIELDS } from "@/lib/contract/dead-letter";
import { LuaScript, RecordedScript } from "@/lib/redis/lua";

/** The dead-letter metadata names as a Lua table `F` (F.originStream, ...), spelled once in the contract. */
function luaFieldTable(): string {
  const entries = Object.entries(DEAD_LETTER_FIELDS).map(([name, field]) => `${name} = '${field}'`);
  return `local F = { ${entries.join(", ")} }`;
}

/**
 * The Lua scripts behind every pending action. Each call handles one batch (at most 500 ids)
 * and is atomic: it validates everything first (key types, group, each id still pending and
 * still matching the filter, entries present) and raises before its first write, so a failing
 * call changes nothing. Because the "still pending" check runs inside the script, two identical
 * requests at once touch each message once: the second finds the id gone from the PEL.
 *
 * Each call records its reply (RecordedScript), so a call re-sent after a lost reply reports
 * what it did instead of doing it again.
 *
 * Replies are flat lists `[outcome, to, outcome, to, ...]`, one pair per id argument, with
 * outcome `ok` | `skipped` | `deleted` | `later` and `to` the new id of a copy (or "").
 *
 * Reading an entry into a script copies it, and copying it back with XADD costs Redis more (see
 * SCRIPT_ENTRY_BYTES). So a call reads at most about SCRIPT_ENTRY_BYTES of entries: once past them,
 * it leaves the remaining ids untouched and answers them `later`, and the caller sends them again
 * in another call (`settleLater` in batches.ts). A batch of small entries goes in one call; big
 * entries go one per call.
 *
 * Redis Cluster: every key a script touches is passed in KEYS, so a cluster can route the call;
 * the keys of one call share a slot. A move whose target is in another slot than its source runs
 * the two-step scripts at the end of this file instead (two-step.ts).
 */

/**
 * Bytes of entries one script call reads or copies before it leaves the rest for the next call.
 * Reading an entry into a script and copying it with XADD costs Redis about 4.5 ms per MiB (a
 * producer's own XADD about 3 ms per MiB; Redis 7.0 to 8.0 and Valkey 8.0 here), and the first
 * big copy of a fresh server up to twice that: a quarter MiB keeps a call near 1 ms.
 */
export const SCRIPT_ENTRY_BYTES = 256 * 1024;

/**
 * `entry_fields(key, id)`: an entry's fields (nil when it is gone), counting the bytes read into the
 * script; past ENTRY_BUDGET (`over_budget()`), a script leaves the rest of its ids for the next call.
 */
export const ENTRY_READS = `
local ENTRY_BUDGET, spent = ${SCRIPT_ENTRY_BYTES}, 0
local function over_budget() return spent >= ENTRY_BUDGET end
local function entry_fields(key, id)
  local e = redis.call('XRANGE', key, id, id, 'COUNT', 1)[1]
  if not e then return nil end
  for _, v in ipairs(e[2]) do spent = spent + #v end
  return e[2]
end`;

/**
 * Shared checks. `check_stream` raises NOTFOUND / WRONGTYPE; `group_count` raises NOGROUP (Redis's
 * own words, translated like Redis's errors). A refusal of our own starts with its application
 * error code (lib/errors.ts ERROR_STATUS), mapped to that code by REPLY_RULES in lib/redis/errors.ts.
 */
const PRELUDE = `
${luaFieldTable()}
local function key_type(key)
  local t = redis.call('TYPE', key)
  if type(t) == 'table' then return t['ok'] end
  return t
end

local function check_stream(key)
  local t = key_type(key)
  if t == 'none' then return 'NOTFOUND no stream named ' .. key end
  if t ~= 'stream' then return 'WRONGTYPE key ' .. key .. ' holds a ' .. t .. ', not a stream' end
  return nil
end

local function group_count(key, group)
  local groups = redis.call('XINFO', 'GROUPS', key)
  local found = false
  for _, g in ipairs(groups) do
    for j = 1, #g, 2 do
      if g[j] == 'name' and g[j + 1] == group then found = true end
    end
  end
  if not found then return nil, 'NOGROUP stream ' .. key .. ' has no consumer group ' .. group end
  return #groups, nil
end

-- The id's PEL row {id, consumer, idle, deliveries} when it is pending and matches the filter.
local function pending_row(key, group, id, consumer, min_idle, min_deliveries)
  local row = redis.call('XPENDING', key, group, id, id, 1)[1]
  if not row then return nil end
  if consumer ~= '' and row[2] ~= consumer then return nil end
  if row[3] < min_idle or row[4] < min_deliveries then return nil end
  return row
end

${ENTRY_READS}

local function now_ms()
  local time = redis.call('TIME')
  return string.format('%.0f', tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000))
end

-- A moved copy's fields: the original ones in order (earlier metadata dropped), then fresh metadata.
local META = {}
for _, name in pairs(F) do META[name] = true end
local function copy_fields(src, group, id, row, fields, mode, reason, now)
  local args, prior = {}, 0
  for j = 1, #fields, 2 do
    local name = fields[j]
    if name == F.deliveries then prior = tonumber(fields[j + 1]) or 0 end
    if not META[name] then
      args[#args + 1] = name; args[#args + 1] = fields[j + 1]
    end
  end
  local stamp = F.requeuedAt
  if mode ~= 'requeue' then stamp = F.deadLetteredAt end
  args[#args + 1] = F.originStream; args[#args + 1] = src
  args[#args + 1] = F.originGroup; args[#args + 1] = group
  args[#args + 1] = F.originId; args[#args + 1] = id
  args[#args + 1] = F.deliveries; args[#args + 1] = string.format('%.0f', prior + row[4])
  args[#args + 1] = stamp; args[#args + 1] = now
  args[#args + 1] = F.reason; args[#args + 1] = reason
  return args
end
`;

/**
 * Requeue / dead-letter: copy each still-pending entry to KEYS[2] (the stream itself for a
 * requeue) with the original fields in order followed by fresh streamscope- metadata, then
 * XACK the original. Orphaned ids (entry gone) are skipped and reported as `deleted`.
 *
 * KEYS: [stream, target]. ARGV: group, mode (requeue|dead-letter), reason, allGroups (1|0),
 * filterConsumer ('' = any), minIdleMs, minDeliveries, id...
 */
export const moveScript = new RecordedScript(
  "move",
  PRELUDE,
  `local src, dst = KEYS[1], KEYS[2]
local group, mode, reason, all_groups = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local consumer, min_idle, min_deliveries = ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])

local err = check_stream(src)
if err then return redis.error_reply(err) end
local n, gerr = group_count(src, group)
if gerr then return redis.error_reply(gerr) end
if mode == 'requeue' and n > 1 and all_groups ~= '1' then
  return redis.error_reply('REQUEUE_NEEDS_ALL_GROUPS stream ' .. src .. ' is read by ' .. n ..
    ' groups: a requeued copy reaches every group (pass allGroups to requeue anyway, or claim instead)')
end
if dst ~= src then
  local t = key_type(dst)
  if t ~= 'none' and t ~= 'stream' then
    return redis.error_reply('WRONGTYPE dead-letter target ' .. dst .. ' holds a ' .. t .. ', not a stream')
  end
end

local now = now_ms()

-- Validate every id before the first write.
local out, plans, seen = {}, {}, {}
for i = 8, #ARGV do
  local id = ARGV[i]
  local later = over_budget()
  local row = not later and not seen[id] and pending_row(src, group, id, consumer, min_idle, min_deliveries)
  seen[id] = true
  local fields = row and entry_fields(src, id)
  if later then
    out[#out + 1] = 'later'; out[#out + 1] = ''
  elseif not row then
    out[#out + 1] = 'skipped'; out[#out + 1] = ''
  elseif not fields then
    out[#out + 1] = 'deleted'; out[#out + 1] = ''
  else
    local args = { dst, '*' }
    for _, v in ipairs(copy_fields(src, group, id, row, fields, mode, reason, now)) do args[#args + 1] = v end
    plans[#plans + 1] = { id = id, args = args, slot = #out + 2 }
    out[#out + 1] = 'ok'; out[#out + 1] = ''
  end
end

for _, p in ipairs(plans) do
  out[p.slot] = redis.call('XADD', unpack(p.args))
  redis.call('XACK', src, group, p.id)
end
return out
`,
);

/**
 * Ack (mode "ack") or ack + XDEL (mode "delete") of still-pending ids that match the filter.
 * With detail "1" each id's entry is looked up so orphaned ids are reported as `deleted`
 * (they are acked too); with "0" (filter requests, counts only) that lookup is skipped and
 * the reply is `[acked]`.
 *
 * KEYS: [stream]. ARGV: group, mode, detail, filterConsumer, minIdleMs, minDeliveries, id...
 */
export const ackScript = new RecordedScript(
  "ack",
  PRELUDE,
  `local src = KEYS[1]
local group, mode, detail = ARGV[1], ARGV[2], ARGV[3] == '1'
local consumer, min_idle, min_deliveries = ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local err = check_stream(src)
if err then return redis.error_reply(err) end
local _, gerr = group_count(src, group)
if gerr then return redis.error_reply(gerr) end

if not detail and mode == 'ack' and consumer == '' and min_idle == 0 and min_deliveries == 0 then
  -- Nothing to re-check but "still pending", which XACK itself decides.
  return { redis.call('XACK', src, group, unpack(ARGV, 7)) }
end

local out, acks = {}, {}
for i = 7, #ARGV do
  local id = ARGV[i]
  if detail and over_budget() then
    out[#out + 1] = 'later'; out[#out + 1] = ''
  elseif not pending_row(src, group, id, consumer, min_idle, min_deliveries) then
    if detail then out[#out + 1] = 'skipped'; out[#out + 1] = '' end
  else
    acks[#acks + 1] = id
    if detail then
      if entry_fields(src, id) then out[#out + 1] = 'ok' else out[#out + 1] = 'deleted' end
      out[#out + 1] = ''
    end
  end
end
if #acks > 0 then
  redis.call('XACK', src, group, unpack(acks))
  -- XDEL of an orphaned id is a no-op.
  if mode == 'delete' then redis.call('XDEL', src, unpack(acks)) end
end
if detail then return out end
return { #acks }
`,
);

/**
 * Claim still-pending ids idle at least minIdleMs to a consumer (XCLAIM ... JUSTID with that
 * min-idle, so a message a live consumer just took stays where it is). The script has checked
 * each id is pending and idle enough, so an id XCLAIM leaves out of its reply is one whose entry
 * is gone: XCLAIM (7.0+) drops it from the PEL and we report it as `deleted`.
 *
 * KEYS: [stream]. ARGV: group, consumer, minIdleMs, filterConsumer, minDeliveries, id...
 */
export const claimScript = new RecordedScript(
  "claim",
  PRELUDE,
  `local src = KEYS[1]
local group, target, min_idle = ARGV[1], ARGV[2], tonumber(ARGV[3])
local consumer, min_deliveries = ARGV[4], tonumber(ARGV[5])
local err = check_stream(src)
if err then return redis.error_reply(err) end
local _, gerr = group_count(src, group)
if gerr then return redis.error_reply(gerr) end

local candidates = {}
for i = 6, #ARGV do
  if pending_row(src, group, ARGV[i], consumer, min_idle, min_deliveries) then candidates[ARGV[i]] = true end
end
local args = { src, group, target, ARGV[3] }
for i = 6, #ARGV do
  if candidates[ARGV[i]] then args[#args + 1] = ARGV[i] end
end
local claimed = {}
if #args > 4 then
  args[#args + 1] = 'JUSTID'
  for _, id in ipairs(redis.call('XCLAIM', unpack(args))) do claimed[id] = true end
end
local out = {}
for i = 6, #ARGV do
  local id = ARGV[i]
  if claimed[id] then out[#out + 1] = 'ok'
  elseif candidates[id] then out[#out + 1] = 'deleted'
  else out[#out + 1] = 'skipped' end
  out[#out + 1] = ''
end
return out
`,
);

/**
 * Redrive: move dead-lettered entries back to the stream named by their
 * origin field (DEAD_LETTER_FIELDS.originStream; fields kept as they are, metadata included, so delivery
 * counting continues), then XDEL them from the dead-letter stream. An entry that is gone, has
 * no origin, names an origin not in KEYS, or whose origin holds another type is skipped.
 *
 * KEYS: [dlq, origin...]. ARGV: id...
 */
export const redriveScript = new RecordedScript(
  "redrive",
  PRELUDE,
  `local dlq = KEYS[1]
local err = check_stream(dlq)
if err then return redis.error_reply(err) end
local usable = {}
for i = 2, #KEYS do
  local t = key_type(KEYS[i])
  if KEYS[i] ~= dlq and (t == 'none' or t == 'stream') then usable[KEYS[i]] = true end
end

local out, plans, seen = {}, {}, {}
for i = 1, #ARGV do
  local id = ARGV[i]
  local later = over_budget()
  local fields = not later and not seen[id] and entry_fields(dlq, id)
  seen[id] = true
  local origin = nil
  if fields then
    for j = 1, #fields, 2 do
      if fields[j] == F.originStream then origin = fields[j + 1]; break end
    end
  end
  if later then
    out[#out + 1] = 'later'; out[#out + 1] = ''
  elseif not fields then
    out[#out + 1] = 'deleted'; out[#out + 1] = ''
  elseif not origin or not usable[origin] then
    out[#out + 1] = 'skipped'; out[#out + 1] = ''
  else
    local args = { origin, '*' }
    for j = 1, #fields do args[#args + 1] = fields[j] end
    plans[#plans + 1] = { id = id, args = args, slot = #out + 2 }
    out[#out + 1] = 'ok'; out[#out + 1] = ''
  end
end

for _, p in ipairs(plans) do
  out[p.slot] = redis.call('XADD', unpack(p.args))
  redis.call('XDEL', dlq, p.id)
end
return out
`,
);

/**
 * Publish: XADD to an existing stream, recorded under the publish's idempotency record in the
 * same atomic run (`<id> <body hash> <call nonce>`, with a TTL). A publish whose record exists
 * adds nothing and answers the recorded id (replayed 1 unless the record is its own call's,
 * re-sent after a lost reply); the same key with another body is refused.
 *
 * KEYS: [record, stream]. ARGV: ttlMs, bodyHash, nonce, name, value, ...
 */
export const publishScript = new LuaScript(
  "publish",
  `${PRELUDE}
local recorded = redis.call('GET', KEYS[1])
if recorded then
  local id, hash, nonce = string.match(recorded, '^(%S+) (%S+) (%S+)$')
  if hash ~= ARGV[2] then
    return redis.error_reply('CONFLICT this Idempotency-Key was used for another message')
  end
  if nonce == ARGV[3] then return { id, 0 } end
  return { id, 1 }
end
local err = check_stream(KEYS[2])
if err then return redis.error_reply(err) end
local id = redis.call('XADD', KEYS[2], '*', unpack(ARGV, 4))
redis.call('SET', KEYS[1], id .. ' ' .. ARGV[2] .. ' ' .. ARGV[3], 'PX', ARGV[1])
return { id, 0 }
`,
);

// ---------------------------------------------------------------------------------------------
// Two-step moves: the source and the target are in different cluster slots (two-step.ts)
// ---------------------------------------------------------------------------------------------

/**
 * Step 0 of a two-step dead-letter, read only: for each id still pending and matching the filter,
 * the copy's fields as the move script would write them. Run with buffer replies (binary values).
 *
 * KEYS: [stream]. ARGV: group, mode, reason, filterConsumer, minIdleMs, minDeliveries, id...
 * Reply: one list per id: `{'skipped'}`, `{'deleted'}` (orphan), `{'later'}` (past the call's entry
 * bytes) or `{'ok', name, value, ...}`.
 */
export const moveReadScript = new LuaScript(
  "move-read",
  `${PRELUDE}
local src, group, mode, reason = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
local consumer, min_idle, min_deliveries = ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local err = check_stream(src)
if err then return redis.error_reply(err) end
local _, gerr = group_count(src, group)
if gerr then return redis.error_reply(gerr) end
local now = now_ms()
local out, seen = {}, {}
for i = 7, #ARGV do
  local id = ARGV[i]
  local later = over_budget()
  local row = not later and not seen[id] and pending_row(src, group, id, consumer, min_idle, min_deliveries)
  seen[id] = true
  local fields = row and entry_fields(src, id)
  if later then out[#out + 1] = { 'later' }
  elseif not row then out[#out + 1] = { 'skipped' }
  elseif not fields then out[#out + 1] = { 'deleted' }
  else
    local one = { 'ok' }
    for _, v in ipairs(copy_fields(src, group, id, row, fields, mode, reason, now)) do one[#one + 1] = v end
    out[#out + 1] = one
  end
end
return out
`,
);

/**
 * Step 1, on the target's slot: writes each copy once. Each origin id has a marker hash in the
 * target's slot (`copy` = the copy's id, `users` = moves counting on it): a marker whose copy
 * still exists is reused (a retry after a failure between the steps adds no second copy).
 *
 * KEYS: [target, marker...] (one per copy). ARGV: markerTtlMs, then per copy: n, n field/values.
 * Reply: `[state, copyId, ...]`, state `new` | `found`.
 */
export const copyScript = new RecordedScript(
  "move-copy",
  PRELUDE,
  `local dst, ttl = KEYS[1], ARGV[1]
local t = key_type(dst)
if t ~= 'none' and t ~= 'stream' then
  return redis.error_reply('WRONGTYPE target ' .. dst .. ' holds a ' .. t .. ', not a stream')
end
local out, i, k = {}, 2, 2
while i <= #ARGV do
  local n, marker = tonumber(ARGV[i]), KEYS[k]
  local copy = redis.call('HGET', marker, 'copy')
  if copy and not redis.call('XRANGE', dst, copy, copy, 'COUNT', 1)[1] then copy = false end
  if copy then
    redis.call('HINCRBY', marker, 'users', 1)
    out[#out + 1] = 'found'
  else
    local args = { dst, '*' }
    for j = i + 1, i + n do args[#args + 1] = ARGV[j] end
    copy = redis.call('XADD', unpack(args))
    redis.call('DEL', marker)
    redis.call('HSET', marker, 'copy', copy, 'users', 1)
    out[#out + 1] = 'new'
  end
  redis.call('PEXPIRE', marker, ttl)
  out[#out + 1] = copy
  i = i + n + 1
  k = k + 1
end
return out
`,
);

/**
 * Step 2, on the source's slot: acks (mode `ack`) each original still pending and matching the
 * filter, or XDELs (mode `xdel`, redrive) each original still present, and notes which copy it
 * was moved to (a marker in the source's slot). An original already gone is `kept` when a move
 * to the same copy took it, else `withdraw` (someone else acked it: the copy is a duplicate).
 *
 * KEYS: [source, marker...] (one per id). ARGV: markerTtlMs, group, mode, filterConsumer,
 * minIdleMs, minDeliveries, then per id: id, copyId. Reply: `[ok|kept|withdraw, ...]`.
 */
export const settleScript = new RecordedScript(
  "move-settle",
  PRELUDE,
  `local src, ttl, group, mode = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
local consumer, min_idle, min_deliveries = ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local usable = key_type(src) == 'stream'
if usable and mode == 'ack' then
  local _, gerr = group_count(src, group)
  usable = not gerr
end
local out, k = {}, 2
for i = 7, #ARGV, 2 do
  local id, copy, marker = ARGV[i], ARGV[i + 1], KEYS[k]
  k = k + 1
  local here = false
  if usable and mode == 'ack' then
    here = pending_row(src, group, id, consumer, min_idle, min_deliveries) ~= nil
  elseif usable then
    -- XDEL answers whether the original was there, without reading it into the script.
    here = redis.call('XDEL', src, id) == 1
  end
  if here then
    if mode == 'ack' then redis.call('XACK', src, group, id) end
    redis.call('SET', marker, copy, 'PX', ttl)
    out[#out + 1] = 'ok'
  elseif redis.call('GET', marker) == copy then
    out[#out + 1] = 'kept'
  else
    out[#out + 1] = 'withdraw'
  end
end
return out
`,
);

/**
 * Step 3, on the target's slot, safe to repeat: a settled copy's marker is dropped; a withdrawn
 * copy is deleted once no other move counts on it (its marker's users reach 0). A copy whose
 * marker is gone was settled by another move and stays.
 *
 * KEYS: [target, marker...]. ARGV: per marker: copyId, settled (1|0).
 */
export const releaseScript = new LuaScript(
  "move-release",
  `local dst = KEYS[1]
local k = 2
for i = 1, #ARGV, 2 do
  local copy, settled, marker = ARGV[i], ARGV[i + 1] == '1', KEYS[k]
  k = k + 1
  if redis.call('HGET', marker, 'copy') == copy then
    if settled then
      redis.call('DEL', marker)
    elseif redis.call('HINCRBY', marker, 'users', -1) <= 0 then
      redis.call('XDEL', dst, copy)
      redis.call('DEL', marker)
    end
  end
end
return #ARGV / 2
`,
);
