import t from 'tap';
import { resized } from '../../lib/cache/typed.js';

t.test('grows keeping the elements, the same kind of array, new elements filled', async (t) => {
  const a = Int32Array.from([1, -2, 3]);
  const b = resized(a, 6, -1);
  t.ok(b instanceof Int32Array);
  t.same([...b], [1, -2, 3, -1, -1, -1]);
  t.same([...resized(Float64Array.from([0.5]), 3)], [0.5, 0, 0], 'fill defaults to 0');
  t.not(resized(a, 3), a, 'always a new array: the old one may still be read during a grow');
});

t.test('shrinks to the first elements', async (t) => {
  t.same([...resized(Uint8Array.from([1, 2, 3, 4]), 2)], [1, 2]);
});
