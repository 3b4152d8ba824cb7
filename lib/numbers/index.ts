export type { NumberInfo, NumberProblem, NumberType } from './types.js';
export { normalise, type NormaliseResult } from './normalise.js';
export { NumberClassifier } from './classify.js';
export { blockOf } from './block.js';
export { PrefixSet, type PrefixMatch, type PrefixSetErrorHandler } from './prefix-set.js';
