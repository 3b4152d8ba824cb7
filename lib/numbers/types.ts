/** What the numbering module tells the engine and the signals about one number. */

export type NumberType =
  | 'toll-free'
  | 'premium-rate'
  | 'shared-cost'
  | 'mobile'
  | 'fixed-line'
  | 'fixed-line-or-mobile'
  | 'voip'
  | 'personal'
  | 'pager'
  | 'uan'
  | 'voicemail'
  | 'unknown';

/** Why a caller ID could not be taken at face value. */
export type NumberProblem =
  | 'empty'
  | 'anonymous'
  | 'non-digit'
  | 'too-short'
  | 'too-long'
  | 'unknown-country'
  | 'invalid';

export interface NumberInfo {
  /** Exactly what was presented. */
  raw: string;
  /** E.164 with leading '+', or null when it cannot be normalised. */
  e164: string | null;
  /**
   * Stable key for statistics: the E.164 form when there is one, else a
   * canonical form of the raw value ('anonymous', '' for empty, '?<digits>' ...).
   */
  key: string;
  /** libphonenumber-js isValid() with max metadata (allocated range). */
  valid: boolean;
  /** Plausible length for its country. */
  possible: boolean;
  /** ISO 3166-1 alpha-2, '001' for non-geographic (UIFN +800 ...), or null. */
  country: string | null;
  /** E.164 country calling code without '+', or null. */
  callingCode: string | null;
  type: NumberType;
  /** Country equals the configured home country. */
  home: boolean;
  /**
   * Universal International Freephone (+800) or international shared cost (+808).
   * For every non-geographic global service code see `nonGeographic`.
   */
  uifn: boolean;
  /**
   * Non-geographic global service code: +800, +808, +870 (Inmarsat), +878, +881
   * (satellite), +882/+883 (international networks), +888, +979 (international premium).
   */
  nonGeographic?: boolean;
  /** Present when the number is empty, anonymous, malformed or invalid. */
  problem?: NumberProblem;
}
