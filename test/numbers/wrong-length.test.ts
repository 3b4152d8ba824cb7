import t from 'tap';
import { isTruncated } from '../../lib/numbers/wrong-length.js';

t.test('numbers that lost their last digits are the start of a valid number', async (t) => {
  for (const n of [
    '+31200798', // Amsterdam pilot, 3 digits lost
    '+4479111234', // UK mobile, 2 lost
    '+3361234567', // French mobile, 1 lost
    '+8613800138', // Chinese mobile, 2 lost
    '+1212555', // New York, 4 lost
  ]) t.ok(isTruncated(n), n);
});

t.test('valid numbers, unallocated ranges and junk are not truncated', async (t) => {
  for (const n of [
    '+31201234567', // valid
    '+8613800138000', // valid
    '+8663883525', // no Chinese number starts 86 63883525...
    '+4400012345', // UK 0 range: never allocated at any length
    '+99912345', // no such country code
    '+123456789012345', // 15 digits: nothing can be appended
    '8613800138', // not E.164
    '+43123', // too short to be cut from anything
    '', '+', '+12',
  ]) t.notOk(isTruncated(n), JSON.stringify(n));
});

t.test('valid numbers with digits added are extended', async (t) => {
  const { isExtended } = await import('../../lib/numbers/wrong-length.js');
  for (const n of [
    '+749952463027691', // a Moscow number and a 4-digit extension: a length Russia's metadata calls possible
    '+390260718992156', // a Milan number and 3 digits
    '+4479111234567', // a UK mobile and 2 digits
  ]) t.ok(isExtended(n), n);
  for (const n of [
    '+74995246302', // valid as it is
    '+8663883525', // no valid number in it
    '+4400012345', // a range nobody was given
    '+31200798', // too short: truncated, not extended
    '+1234567', // 7 digits: nothing shorter is a number
    '8613800138000', // not E.164
    '',
  ]) t.notOk(isExtended(n), JSON.stringify(n));
});
