/**
 * Every key of a rules file, its default and its meaning, in one place: the
 * loader validates with these fields, `schema` exports them as JSON Schema and
 * docs/rules.md mirrors them. Change a default here and nowhere else.
 */
import type { RejectCode } from '../engine/config.js';
import { bool, country, duration, int, num, oneOf, rejectThreshold, str, strings, tagThreshold, timezone, type Field } from './fields.js';
import { WHEN_FIELDS } from './when.js';

/** Hostile-input limits: a rules file over these is refused, not truncated. */
export const LIMITS = {
  /** The rules file itself. */
  fileBytes: 10 * 1024 * 1024,
  /** Each list file: lists legitimately hold millions of numbers. */
  listFileBytes: 256 * 1024 * 1024,
  /** yaml's maxAliasCount: how far aliases may multiply the document. */
  aliasCount: 100,
  /** Values in the document after alias expansion. */
  nodes: 2_000_000,
  /** Nesting of mappings and lists. */
  depth: 16,
  /** Signals in one block (top level, or one scope). */
  signals: 200,
  scopes: 1000,
  nationalFormats: 1000,
  lists: 200,
  plugins: 64,
  /** Bad lines reported per list file before the rest are summed up in one issue. */
  listErrorsPerFile: 20,
  /** Line numbers quoted in the warning for a list file whose bad lines were skipped (bad_lines: skip). */
  skippedLinesShown: 5,
} as const;

export const DEFAULT_PHRASES: Readonly<Record<RejectCode, string>> = { 603: 'Decline', 607: 'Unwanted', 608: 'Rejected' };

/** SIP header field name (RFC 3261 token). */
/**
 * Header names: letters, digits, '-' and '_'. SIP allows more (a token), but
 * drachtio-server drops a header whose name has anything else, so a tag
 * header named that way would vanish on the drachtio path alone.
 */
const HEADER = /^[A-Za-z0-9_-]+$/;
const HEADER_EXPECT = "a header name of letters, digits, '-' and '_'";
/**
 * A Reason header value (RFC 3326): protocol *(; param), e.g.
 * SIP;cause=603;text="Spam". drachtio-server parses Reason strictly and a
 * free-text value would make the reject itself fail there.
 */
const TOKEN = String.raw`[A-Za-z0-9.!%*_+\x60'~-]+`;
const QUOTED = String.raw`"(?:[^"\\\r\n]|\\[^\r\n])*"`;
// Spaces and tabs only, never CR or LF: the value goes into a header line of ours.
const PARAM = String.raw`[ \t]*;[ \t]*(?:cause[ \t]*=[ \t]*\d+|(?!cause[ \t]*=)${TOKEN}(?:[ \t]*=[ \t]*(?:${TOKEN}|${QUOTED}))?)`;
const REASON_VALUE = `${TOKEN}(?:${PARAM})*`;
const REASON = new RegExp(String.raw`^(?:${REASON_VALUE}(?:[ \t]*,[ \t]*${REASON_VALUE})*)?$`);
/** One line of text: SIP puts a phrase and a display name on a line of the message, where a line break or other control character would end it or forge headers. */
const LINE_TEXT = /^[^\x00-\x08\x0a-\x1f\x7f]*$/;
const LINE_TEXT_EXPECT = 'one line of text, without line breaks or other control characters (a YAML block scalar such as > or | ends with a line break: quote the text instead)';
const REASON_EXPECT = 'a Reason header value (RFC 3326) such as SIP;cause=603;text="Spam call"';

type Fields = Record<string, Field<unknown>>;

/** Scalar keys at the top of the file. */
export const GLOBAL_FIELDS = {
  version: int({ default: 1, min: 1, description: 'Format version; only 1 exists.' }),
  home_country: country({ description: 'ISO 3166-1 alpha-2 code of the network being protected; national numbers are read against it. Required.' }),
  timezone: timezone({ default: 'UTC', description: 'IANA time zone for scope `hours` and `days`.' }),
  monitor: bool({ default: false, description: 'Global monitor mode: decide and log every call, never reject or tag. Overrides every scope.' }),
  fail_mode: oneOf<'open' | 'closed'>(['open', 'closed'], { default: 'open', description: 'What happens to a call if the engine throws: open forwards it, closed rejects it.' }),
} satisfies Fields;

export const THRESHOLD_FIELDS = {
  tag: tagThreshold({ default: 40, description: 'Score from which a call is forwarded with tag headers (above 0; equal to reject turns tagging off).' }),
  reject: rejectThreshold({ default: 100, description: 'Score from which a call is rejected (above 0).' }),
} satisfies Fields;

export const REJECT_FIELDS = {
  code: oneOf<RejectCode>([603, 607, 608], { default: 608, description: 'SIP status for rejects: 608 Rejected (RFC 8688), 603 Decline, 607 Unwanted.' }),
  phrase: str({ default: '', pattern: LINE_TEXT, expect: LINE_TEXT_EXPECT, description: "Reason phrase on the status line; '' means the code's standard phrase." }),
  reason: str({ default: '', pattern: REASON, expect: REASON_EXPECT, description: "Value of a Reason header (RFC 3326) sent with the reject, e.g. 'SIP;cause=603;text=\"Spam\"'; '' for none." }),
} satisfies Fields;

export const TAG_FIELDS = {
  score_header: str({ default: 'X-Ringfence-Score', pattern: HEADER, expect: HEADER_EXPECT, description: 'Header carrying the score on a tagged INVITE.' }),
  reasons_header: str({ default: 'X-Ringfence-Reasons', pattern: HEADER, expect: HEADER_EXPECT, description: 'Header carrying the signal=points summary on a tagged INVITE.' }),
  display_prefix: str({ default: '', pattern: LINE_TEXT, expect: LINE_TEXT_EXPECT, description: "Prefix for the caller display name of a tagged call, e.g. '[SPAM?] '; '' for none." }),
} satisfies Fields;

export const HOLD_FIELDS = {
  duration: duration({ default: '1h', description: 'A caller rejected for its behaviour (not a list) keeps being rejected this long; 0 disables holds.' }),
  extend: bool({ default: true, description: 'Each call from a held caller restarts the hold.' }),
  max: duration({ default: '24h', description: 'Longest a hold lasts from the reject that started it, extensions included; 0 for no limit.' }),
  probe: duration({ default: '0s', description: "A held caller gets a call through once this long after the hold started, as a probe scored on its signals without the hold; 0 for no probes." }),
  probe_backoff: num({ default: 2, min: 1, max: 100, description: 'Each probe that does not lift the hold multiplies the wait for the next by this (10m, 20m, 40m ... at 2); 1 for a probe every `probe`.' }),
  release_talk: duration({ default: '1m', description: 'A probe call answered and talking at least this long lifts the hold; anything else leaves it.' }),
} satisfies Fields;

export const STATS_FIELDS = {
  short_call: duration({ default: '60s', description: 'Answered calls shorter than this count as short.' }),
  quick_ring: duration({ default: '5s', description: 'Failed or cancelled calls that rang less than this count as quick (one-ring bait).' }),
  block_digits: int({ default: 4, min: 0, max: 10, description: 'Caller number block = E.164 number minus this many trailing digits.' }),
  distinct_cap: int({ default: 64, min: 1, max: 100_000, description: 'Distinct-counterparty sets are exact up to this many members.' }),
  pending_ttl: duration({ default: '2h', min: '1s', description: 'How long a forwarded call waits for its outcome before it is forgotten.' }),
  retry_window: duration({ default: '3h', min: '1m', description: 'A call to a callee the caller called once in this long before is a retry, one it called twice or more a repeat (counted only when a signal such as `retries` reads them); a call to a callee last called by the same number block this long before is a callback of the block (unanswered spare_callbacks).' }),
} satisfies Fields;

const maxOf = (table: string, d: number): Field<number> =>
  int({ default: d, min: 1, max: 100_000_000, description: `Most ${table} entries kept in memory; the coldest are evicted.` });

export const STATS_MAX_FIELDS = {
  caller: maxOf('caller', 1_000_000),
  callee: maxOf('callee', 1_000_000),
  pair: maxOf('caller→callee pair', 1_000_000),
  block: maxOf('caller number block', 200_000),
  source: maxOf('source (trunk / IP)', 10_000),
  pending: maxOf('forwarded calls awaiting their outcome', 200_000),
  hold: maxOf('held caller', 100_000),
} satisfies Fields;

export const LIST_FIELDS = {
  action: oneOf<'allow' | 'reject' | 'score'>(['allow', 'reject', 'score'], { description: 'allow: forward at once, no scoring; reject: reject at once; score: add `points`. Required.' }),
  numbers: strings({ default: [], description: "Inline entries: E.164 numbers (any format the number parser reads) or international prefixes ending in '*'." }),
  files: strings({ default: [], description: "List files, one entry per line, '#' comments; paths relative to the rules file." }),
  points: num({ min: -1000, max: 1000, description: 'Points added when the caller is on the list. Required for action: score, refused otherwise.' }),
  code: REJECT_FIELDS.code,
  phrase: REJECT_FIELDS.phrase,
  reason: REJECT_FIELDS.reason,
  monitor: bool({ default: false, description: 'Report hits but do not act on them.' }),
  bad_lines: oneOf<'fail' | 'skip'>(['fail', 'skip'], {
    default: 'fail',
    description: 'A line of a list file that is not a number or prefix: fail refuses the rules; skip leaves the line out and loads with a warning naming the file, the count and the first line numbers (for large external feeds). Inline numbers always fail.',
  }),
} satisfies Fields;

/** Keys every signal accepts besides its plugin's own. */
export const SIGNAL_FIELDS = {
  use: str({ pattern: /^[A-Za-z0-9][\w.-]*$/, description: 'Plugin this signal runs; defaults to the signal id, so set it only to run a plugin twice under other ids.' }),
  enabled: bool({ default: true, description: 'false switches the signal off (in a scope: off in that scope).' }),
  monitor: bool({ default: false, description: 'Report the points in reasons but do not count them.' }),
  action: oneOf<'score' | 'reject'>(['score', 'reject'], { default: 'score', description: 'score adds points; reject rejects outright whenever the signal fires.' }),
  hold: bool({
    default: true,
    description: "false: this signal's points do not put the caller on hold. For evidence about other numbers (the caller's number block, the callee): a caller rejected with their help is rejected while the evidence lasts, and held only if its score without them still reaches the reject threshold.",
  }),
  probe: bool({
    default: true,
    description:
      "false: a hold this signal's points helped place gets no probe calls (hold.probe), nor more once it scores one of its probes. For evidence no genuine caller shows, such as one-ring bait or a spoofed home number: a probe would only let a call through to another victim.",
  }),
  unless_listed: strings({
    default: [],
    max: LIMITS.lists,
    description: "Lists (names under lists:) whose callers this signal leaves alone: e.g. home subscribers now registered abroad, from an HLR/HSS export, for domestic-cli.",
  }),
} satisfies Fields;

export const SCOPE_FIELDS = {
  name: str({ pattern: /^[A-Za-z0-9][\w.-]*$/, description: 'Scope name, shown in decisions and logs. Required, unique.' }),
  monitor: bool({ description: 'Monitor mode for calls in this scope; defaults to the top-level value (which wins when true).' }),
} satisfies Fields;

export { WHEN_FIELDS };

/**
 * One entry of `national_formats`: calls from these sources present caller
 * IDs the way that country's own network writes them (0207..., not +44207...).
 */
export const NATIONAL_FORMAT_FIELDS = {
  source: WHEN_FIELDS.source,
  country: country({ description: "Country whose national format (and international prefix) the caller IDs from these sources are read in, instead of home_country's. Required, with `source`." }),
} satisfies Fields;

/** The sections (mappings) and where their fields live, for the loader, the schema and `check`. */
export const SECTIONS = {
  thresholds: THRESHOLD_FIELDS,
  reject: REJECT_FIELDS,
  tag: TAG_FIELDS,
  hold: HOLD_FIELDS,
  stats: STATS_FIELDS,
} as const;

export const TOP_KEYS = [...Object.keys(GLOBAL_FIELDS), ...Object.keys(SECTIONS), 'lists', 'plugins', 'signals', 'scopes', 'national_formats'] as const;
/** Keys every signal accepts (its plugin's schema may not reuse them). */
export const SIGNAL_KEYS = [...Object.keys(SIGNAL_FIELDS), 'reject'] as const;
export const SCOPE_KEYS = [...Object.keys(SCOPE_FIELDS), 'when', 'thresholds', 'reject', 'tag', 'signals'] as const;
export const STATS_KEYS = [...Object.keys(STATS_FIELDS), 'max'] as const;

/** Module paths of third-party plugins (top-level `plugins:`). */
export const PLUGINS_FIELD = strings({ default: [], max: LIMITS.plugins, description: 'Third-party plugin modules (default export: a SignalPlugin or an array of them), relative to the rules file.' });
