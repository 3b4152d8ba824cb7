import t from 'tap';
import { Engine } from '../../lib/engine/engine.js';
import { effectiveConfig } from '../../lib/rules/check.js';
import { compileRulesText, compileRulesTextDetailed } from '../../lib/rules/load.js';
import { NumberClassifier } from '../../lib/numbers/classify.js';
import { issuesOf, opts } from './fixtures/helpers.js';

t.test('a caller ID is read in the format of the country its interconnect is in', async (t) => {
  const c = new NumberClassifier({ home: 'CN', cacheSize: 0 });
  const london = c.classifyAs('02079460123', 'GB');
  t.equal(london.e164, '+442079460123', 'UK national format, trunk prefix 0');
  t.equal(london.home, false, 'not a home number');
  t.equal(c.classify('02079460123').e164, '+862079460123', 'the same digits read at home: a Guangzhou number');
  t.equal(c.classifyAs('011 44 20 7946 0123', 'US').e164, '+442079460123', "the country's own international prefix");
  const home = c.classifyAs('+8613812345678', 'GB');
  t.equal(home.home, true, 'a home number stays home whatever the trunk');
  t.equal(c.classifyAs('0086 138 1234 5678', 'GB').home, true);
  t.equal(c.classifyAs('anonymous', 'GB').e164, null, 'junk is still junk');
  t.same(c.classifyAs('02079460123', 'CN'), c.classify('02079460123'), 'the home country: as classify()');
});

const RULES = `home_country: CN
national_formats:
  - source: [198.51.100.0/24, bt-intl]
    country: GB
signals:
  domestic-cli: { action: reject }
`;

t.test('rules: compiled, matched by source, shown by check', async (t) => {
  const { rules, meta } = await compileRulesTextDetailed(RULES, { ...opts, file: 'r.yaml' });
  t.equal(rules.nationalFormats.length, 1);
  const f = rules.nationalFormats[0]!;
  t.equal(f.country, 'GB');
  t.ok(f.matches('198.51.100.7'));
  t.ok(f.matches('bt-intl'));
  t.notOk(f.matches('203.0.113.9'));
  t.notOk(f.matches(undefined));
  t.same(effectiveConfig(rules, meta).national_formats, [{ source: ['198.51.100.0/24', 'bt-intl'], country: 'GB' }]);
  t.same((await compileRulesText('home_country: CN\n', opts)).nationalFormats, [], 'none by default');
});

t.test('rules: errors name the entry and the field', async (t) => {
  const cases: Array<[string, RegExp, string]> = [
    ['national_formats:\n  - source: bt-intl\n', /missing required key 'country'/, 'national_formats[0].country'],
    ['national_formats:\n  - country: GB\n', /missing required key 'source'/, 'national_formats[0].source'],
    ['national_formats:\n  - { source: 10.0.0.0/33, country: GB }\n', /not a valid IP network/, 'national_formats[0].source'],
    ['national_formats:\n  - { source: x, country: XX }\n', /country/i, 'national_formats[0].country'],
    ['national_formats:\n  - { source: x, country: GB, contry: GB }\n', /contry/, 'national_formats[0].contry'],
    ['national_formats:\n  - { source: [], country: GB }\n', /matches no call/, 'national_formats[0].source'],
    ['national_formats: { source: x, country: GB }\n', /list/, 'national_formats'],
  ];
  for (const [text, message, path] of cases) {
    const issues = await issuesOf(compileRulesText(`home_country: CN\n${text}`, opts));
    const hit = issues.find((i) => i.path === path);
    t.ok(hit, `${JSON.stringify(text)}: an issue at ${path} (got ${JSON.stringify(issues.map((i) => i.path))})`);
    if (hit) {
      t.match(hit.message, message);
      t.ok(hit.line >= 2, 'with its line');
    }
  }
});

t.test("engine: a UK carrier's national format is not a home caller ID; the same digits from elsewhere are", async (t) => {
  const rules = await compileRulesText(RULES);
  const e = new Engine(rules);
  const at = Date.UTC(2026, 0, 5, 12);
  const bt = e.decide({ callId: 'a', at, caller: '02079460123', callee: '+8613812345678', source: '198.51.100.7' });
  t.equal(bt.action, 'forward', 'from the UK interconnect: a London number');
  t.equal(bt.caller, '+442079460123');
  const other = e.decide({ callId: 'b', at: at + 1000, caller: '02079460123', callee: '+8613812345678', source: '203.0.113.9' });
  t.equal(other.action, 'reject', 'from another peer: a Guangzhou number on international ingress');
  t.equal(other.caller, '+862079460123');
  t.ok(other.reasons.some((r) => r.signal === 'domestic-cli'));
  const spoof = e.decide({ callId: 'c', at: at + 2000, caller: '+862079460123', callee: '+8613812345678', source: '198.51.100.7' });
  t.equal(spoof.action, 'reject', 'a home number in E.164 is home from any trunk');
  const again = e.decide({ callId: 'd', at: at + 3000, caller: '02079460123', callee: '+8613812345679', source: '198.51.100.8' });
  t.equal(again.caller, '+442079460123', 'cached reading, same answer');
  const pai = e.preview({ callId: 'e', at: at + 4000, caller: '02079460123', callee: '+8613812345678', source: 'bt-intl', callerVariants: { pai: '07700900123' } });
  t.equal(pai.action, 'forward', 'preview reads the same way, P-Asserted-Identity too');
});
