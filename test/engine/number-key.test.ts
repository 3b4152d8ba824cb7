import t from 'tap';
import { NUMBER_CODEC, numberKey } from '../../lib/engine/number-key.js';

t.test('E.164 text becomes the integer of its digits, and back', async (t) => {
  for (const text of ['+8613812345678', '+1', '+447911123456', '+999999999999999', '+4479111']) {
    const k = numberKey(text);
    t.equal(typeof k, 'number', text);
    t.equal(NUMBER_CODEC.text(k), text, `${text} round-trips`);
  }
});

t.test('anything else stays text', async (t) => {
  for (const text of ['', '+', '8613812345678', '+0861381234', '+86 138', '+86-138', '+1234567890123456', 'anonymous', '+86138a', '+8613812345678;npdi', '\u0660']) {
    t.equal(numberKey(text), text, JSON.stringify(text));
  }
  t.equal(NUMBER_CODEC.stored('text-key'), 'text-key');
  t.equal(NUMBER_CODEC.text('text-key'), 'text-key');
});
