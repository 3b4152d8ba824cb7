import t from 'tap';
import { blockOf } from '../../lib/numbers/index.js';

t.test('drops the last digits', async (t) => {
  t.equal(blockOf('+8613800138000', 4), '+861380013');
  t.equal(blockOf('+8613800138000', 1), '+861380013800');
  t.equal(blockOf('+442079460000', 3), '+442079460');
  t.equal(blockOf('+12125550100', 4), '+1212555');
});

t.test('never cuts into the country code + 1 digit', async (t) => {
  t.equal(blockOf('+8613800138000', 40), '+861'); // 2-digit code
  t.equal(blockOf('+12125550100', 20), '+12'); // 1-digit code
  t.equal(blockOf('+80012345678', 30), '+8001'); // 3-digit non-geographic code
  t.equal(blockOf('+9991234567', 30), '+9991', 'unassigned code treated as 3 digits');
});

t.test('zero, negative or fractional digits', async (t) => {
  t.equal(blockOf('+8613800138000', 0), '+8613800138000');
  t.equal(blockOf('+8613800138000', -3), '+8613800138000');
  t.equal(blockOf('+8613800138000', Number.NaN), '+8613800138000');
  t.equal(blockOf('+8613800138000', 2.7), '+86138001380');
});

t.test('non-E.164 keys still get a stable prefix', async (t) => {
  t.equal(blockOf('?12345', 2), '?123');
  t.equal(blockOf('', 3), '');
  t.equal(blockOf('+86', 3), '+86');
});
