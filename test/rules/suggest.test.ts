import t from 'tap';
import { closest, didYouMean, editDistance } from '../../lib/rules/suggest.js';

t.test('edit distance with transpositions', async (t) => {
  t.equal(editDistance('window', 'window'), 0);
  t.equal(editDistance('windw', 'window'), 1);
  t.equal(editDistance('widnow', 'window'), 1, 'adjacent swap counts once');
  t.equal(editDistance('', 'abc'), 3);
  t.equal(editDistance('kitten', 'sitting'), 3);
});

t.test('closest', async (t) => {
  const keys = ['window', 'distinct', 'weight', 'enabled'];
  t.equal(closest('windw', keys), 'window');
  t.equal(closest('distnct', keys), 'distinct');
  t.equal(closest('WEIGHT', keys), 'weight');
  t.equal(closest('zzz', keys), undefined);
  t.equal(closest('homeCountry', ['home_country', 'timezone']), 'home_country', 'camelCase finds snake_case');
  t.equal(closest('short-call', ['short_call']), 'short_call');
  t.equal(didYouMean('windw', keys), ", did you mean 'window'?");
  t.equal(didYouMean('qqqq', keys), '');
});
