import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  everythingLabelSelector,
  isQualifiedName,
  isValidLabelValue,
  labelSelectorString,
  labelsEqual,
  LabelSelectorError,
  nothingLabelSelector,
  parseLabelSelector,
  selectorFromLabelSelector,
  selectorFromSet,
} from './labels.js';

/** Asserts that `fn` throws a LabelSelectorError whose message is exactly `message`. */
function throwsSelectorError(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof LabelSelectorError, `not a LabelSelectorError: ${String(e)}`);
    assert.equal(e.message, message);
    return true;
  });
}

const KEY_NAME_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const SUBDOMAIN_RULE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

test('the empty string and a string of only whitespace select everything', () => {
  for (const text of ['', ' ', '\t\r\n ']) {
    const selector = parseLabelSelector(text);
    assert.equal(selector.empty, true);
    assert.equal(selector.selectable, true);
    assert.deepEqual(selector.requirements, []);
    assert.equal(selector.matches(undefined), true);
    assert.equal(selector.matches({ a: 'b' }), true);
    assert.equal(labelSelectorString(selector), '');
  }
});

test('every operator parses to its requirement and prints in canonical form', () => {
  const cases: [string, string, string, readonly string[]][] = [
    ['x', 'x', 'exists', []],
    ['!x', '!x', '!', []],
    ['x=a', 'x=a', '=', ['a']],
    ['x==a', 'x==a', '==', ['a']],
    ['x!=a', 'x!=a', '!=', ['a']],
    ['x in (b,a)', 'x in (a,b)', 'in', ['a', 'b']],
    ['x notin (a)', 'x notin (a)', 'notin', ['a']],
    ['x>5', 'x>5', 'gt', ['5']],
    ['x<5', 'x<5', 'lt', ['5']],
    ['example.com/x=a', 'example.com/x=a', '=', ['a']],
  ];
  for (const [text, canonical, operator, values] of cases) {
    const selector = parseLabelSelector(text);
    assert.deepEqual(selector.requirements, [{ key: text.replace(/^!/, '').split(/[=!<> ]/)[0], operator, values }], text);
    assert.equal(labelSelectorString(selector), canonical, text);
    assert.equal(String(selector), canonical, text);
    assert.equal(selector.empty, false);
  }
});

test('whitespace around tokens is ignored, and spaces, tabs, CR and LF all separate tokens', () => {
  assert.equal(labelSelectorString(parseLabelSelector('  x = a ,\ty\t!=\tb ,\r\nz\nin\n(\nc\n,\nd\n)  , ! w ')), '!w,x=a,y!=b,z in (c,d)');
  // Upstream's own round-trip cases (TestSelectorParse): removing the spaces gives the string form.
  for (const text of ['x=a,y=b,z=c', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5']) {
    assert.equal(labelSelectorString(parseLabelSelector(text)), text.replaceAll(' ', ''), text);
  }
});

test('an operator with nothing after it before a comma or the end means the empty value', () => {
  assert.deepEqual(parseLabelSelector('x=').requirements, [{ key: 'x', operator: '=', values: [''] }]);
  assert.deepEqual(parseLabelSelector('x!= ,y').requirements[0], { key: 'x', operator: '!=', values: [''] });
  assert.equal(parseLabelSelector('x=').matches({ x: '' }), true);
  assert.equal(parseLabelSelector('x=').matches({ x: 'a' }), false);
});

test('requirements are sorted by key, so reordered selectors print the same', () => {
  assert.equal(labelSelectorString(parseLabelSelector('x=a,a=x')), 'a=x,x=a');
  assert.equal(labelSelectorString(parseLabelSelector('a=x,x=a')), 'a=x,x=a');
  // Stable among equal keys: the order they were written in.
  assert.equal(labelSelectorString(parseLabelSelector('b,a!=2,a!=1')), 'a!=2,a!=1,b');
});

test('in and notin values are sorted and deduplicated, and an empty member or () is the empty value', () => {
  assert.deepEqual(parseLabelSelector('x in (b,a,b)').requirements[0]?.values, ['a', 'b']);
  assert.deepEqual(parseLabelSelector('x in ()').requirements[0]?.values, ['']);
  assert.deepEqual(parseLabelSelector('x in (,)').requirements[0]?.values, ['']);
  assert.deepEqual(parseLabelSelector('x in (,a)').requirements[0]?.values, ['', 'a']);
  assert.deepEqual(parseLabelSelector('x in (a,)').requirements[0]?.values, ['', 'a']);
  assert.deepEqual(parseLabelSelector('x notin (a,,b)').requirements[0]?.values, ['', 'a', 'b']);
  assert.equal(labelSelectorString(parseLabelSelector('x in (a,,b)')), 'x in (,a,b)');
  assert.equal(labelSelectorString(parseLabelSelector('x in ()')), 'x in ()');
  assert.equal(parseLabelSelector('x in ()').matches({ x: '' }), true);
});

test('in and notin are plain identifiers where a key or value is expected', () => {
  assert.equal(labelSelectorString(parseLabelSelector('in in (in, notin)')), 'in in (in,notin)');
  assert.equal(parseLabelSelector('notin=in').matches({ notin: 'in' }), true);
  assert.deepEqual(parseLabelSelector('in').requirements, [{ key: 'in', operator: 'exists', values: [] }]);
  assert.deepEqual(parseLabelSelector('!notin').requirements, [{ key: 'notin', operator: '!', values: [] }]);
});

test('=, == and in match only a present key with one of the values', () => {
  for (const text of ['x=y', 'x==y', 'x in (y)', 'x in (z,y)']) {
    const selector = parseLabelSelector(text);
    assert.equal(selector.matches({ x: 'y' }), true, text);
    assert.equal(selector.matches({ x: 'w' }), false, text);
    assert.equal(selector.matches({}), false, text);
    assert.equal(selector.matches(undefined), false, text);
  }
  assert.equal(parseLabelSelector('x=y,z=w').matches({ x: 'y', z: 'w' }), true);
  assert.equal(parseLabelSelector('x=y,z=w').matches({ x: 'w', z: 'w' }), false);
});

test('!= and notin match when the key is absent or has another value', () => {
  for (const text of ['x!=y', 'x notin (y)', 'x notin (y,z)']) {
    const selector = parseLabelSelector(text);
    assert.equal(selector.matches({ x: 'y' }), false, text);
    assert.equal(selector.matches({ x: 'w' }), true, text);
    assert.equal(selector.matches({ a: 'y' }), true, text);
    assert.equal(selector.matches(undefined), true, text);
  }
});

test('a bare key matches when the key is present with any value, and !key when it is absent', () => {
  assert.equal(parseLabelSelector('x').matches({ x: '' }), true);
  assert.equal(parseLabelSelector('x').matches({ y: 'z' }), false);
  assert.equal(parseLabelSelector('!x').matches({ y: 'z' }), true);
  assert.equal(parseLabelSelector('!x').matches(undefined), true);
  assert.equal(parseLabelSelector('!x').matches({ x: '' }), false);
});

test('gt and lt compare int64 values and never match an absent or non-integer value', () => {
  const gt = parseLabelSelector('x>1');
  assert.equal(gt.matches({ x: '2' }), true);
  assert.equal(gt.matches({ x: '10' }), true, 'numeric, not lexical');
  assert.equal(gt.matches({ x: '1' }), false);
  assert.equal(gt.matches({ x: '-5' }), false);
  assert.equal(gt.matches({ x: '+2' }), true, 'strconv.ParseInt accepts a sign');
  assert.equal(gt.matches({ x: '2.5' }), false);
  assert.equal(gt.matches({ x: 'abc' }), false);
  assert.equal(gt.matches({ x: '' }), false);
  assert.equal(gt.matches({ x: ' 2' }), false);
  assert.equal(gt.matches({}), false);
  assert.equal(gt.matches({ x: '9223372036854775807' }), true);
  assert.equal(gt.matches({ x: '9223372036854775808' }), false, 'beyond int64 is not an integer');
  const lt = parseLabelSelector('x<1');
  assert.equal(lt.matches({ x: '0' }), true);
  assert.equal(lt.matches({ x: '-9223372036854775808' }), true);
  assert.equal(lt.matches({ x: '-9223372036854775809' }), false);
  assert.equal(lt.matches({ x: '2' }), false);
  assert.equal(lt.matches(undefined), false);
  assert.equal(parseLabelSelector('x>9223372036854775806').matches({ x: '9223372036854775807' }), true);
});

test('labels named like Object.prototype properties are not found on the prototype', () => {
  assert.equal(parseLabelSelector('constructor').matches({}), false);
  assert.equal(parseLabelSelector('!toString').matches({}), true);
  assert.equal(parseLabelSelector('hasOwnProperty!=x').matches({}), true);
  assert.equal(parseLabelSelector('constructor').matches({ constructor: 'x' }), true);
});

test('syntax errors carry upstream messages', () => {
  const ops = 'in, notin, =, ==, !=, gt, lt';
  const cases: [string, string][] = [
    ['x=a b', "found 'b', expected: ',' or 'end of string'"],
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    [',', "found ',', expected: !, identifier, or 'end of string'"],
    ['=a', "found '=', expected: !, identifier, or 'end of string'"],
    ['(x)', "found '(', expected: !, identifier, or 'end of string'"],
    ['a,', "found '', expected: identifier after ','"],
    ['a,,b', "found ',', expected: identifier after ','"],
    ['a,=b', "found '=', expected: identifier after ','"],
    ['x y', `unable to parse requirement: found 'y', expected: ${ops}`],
    ['x (', `unable to parse requirement: found '(', expected: ${ops}`],
    ['x !', `unable to parse requirement: found '!', expected: ${ops}`],
    ['x exists', `unable to parse requirement: found 'exists', expected: ${ops}`],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['!!x', "unable to parse requirement: found '!', expected: identifier"],
    ['! =', "unable to parse requirement: found '=', expected: identifier"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in', "unable to parse requirement: found '' expected: '('"],
    ['x in (', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ['x in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ['x in (a,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
    ['x in (a,', "unable to parse requirement: found '', expected: ',', or identifier"],
    ['x=(', "unable to parse requirement: found '(', expected: identifier"],
    ['x!==', "unable to parse requirement: found '=', expected: identifier"],
  ];
  for (const [text, message] of cases) throwsSelectorError(() => parseLabelSelector(text), message);
});

test('invalid keys are rejected with upstream validation messages under a <nil> path', () => {
  const prefix = 'unable to parse requirement: <nil>: Invalid value: ';
  const cases: [string, string][] = [
    ['a/b/c', `"a/b/c": a valid label key ${KEY_NAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`],
    ['/c', '"/c": prefix part must be non-empty'],
    ['Example.com/c', `"Example.com/c": prefix part ${SUBDOMAIN_RULE}`],
    ['example.com/', `"example.com/": name part must be non-empty; name part ${KEY_NAME_RULE}`],
    ['-x', `"-x": name part ${KEY_NAME_RULE}`],
    ['x.', `"x.": name part ${KEY_NAME_RULE}`],
    ['a|b', `"a|b": name part ${KEY_NAME_RULE}`],
    [`${'k'.repeat(64)}`, `"${'k'.repeat(64)}": name part must be no more than 63 bytes`],
    [`${'p'.repeat(254)}/k`, `"${'p'.repeat(254)}/k": prefix part must be no more than 253 bytes`],
  ];
  for (const [text, message] of cases) throwsSelectorError(() => parseLabelSelector(`${text}=v`), prefix + message);
  // The key is checked before the operator, so a bad key wins over a bad operator.
  throwsSelectorError(() => parseLabelSelector('-x y'), `${prefix}"-x": name part ${KEY_NAME_RULE}`);
});

test('invalid values are rejected with upstream validation messages naming values[i][key]', () => {
  throwsSelectorError(() => parseLabelSelector('x=a||y'), `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${VALUE_RULE}`);
  throwsSelectorError(
    () => parseLabelSelector(`x=${'v'.repeat(64)}`),
    `unable to parse requirement: values[0][x]: Invalid value: "${'v'.repeat(64)}": must be no more than 63 bytes`,
  );
  throwsSelectorError(
    () => parseLabelSelector(`x=-${'v'.repeat(63)}`),
    `unable to parse requirement: values[0][x]: Invalid value: "-${'v'.repeat(63)}": must be no more than 63 bytes; ${VALUE_RULE}`,
  );
  // Values are indexed after sorting, and every bad one is listed, in brackets.
  throwsSelectorError(
    () => parseLabelSelector('x in (ok, -b, -a)'),
    `unable to parse requirement: [values[0][x]: Invalid value: "-a": ${VALUE_RULE}, values[1][x]: Invalid value: "-b": ${VALUE_RULE}]`,
  );
});

test('gt and lt need one value that is an int64', () => {
  const notInteger = (v: string): string => `unable to parse requirement: values[0]: Invalid value: "${v}": for 'Gt', 'Lt' operators, the value must be an integer`;
  throwsSelectorError(() => parseLabelSelector('x<a'), notInteger('a'));
  throwsSelectorError(() => parseLabelSelector('x>'), notInteger(''));
  throwsSelectorError(() => parseLabelSelector('x>9223372036854775808'), notInteger('9223372036854775808'));
  throwsSelectorError(() => parseLabelSelector('x>1.5'), notInteger('1.5'));
  // A sign passes ParseInt but not label value validation.
  throwsSelectorError(() => parseLabelSelector('x>-1'), `unable to parse requirement: values[0][x]: Invalid value: "-1": ${VALUE_RULE}`);
  assert.equal(labelSelectorString(parseLabelSelector('x > 007')), 'x>007');
});

test('a NUL where a token would start ends the selector, as upstream reads it as end of input', () => {
  assert.equal(labelSelectorString(parseLabelSelector('x \u0000 garbage (')), 'x');
  throwsSelectorError(() => parseLabelSelector('a, \u0000b'), "found '', expected: identifier after ','");
  // Right after a token it only ends that token.
  assert.equal(labelSelectorString(parseLabelSelector('b,\u0000a')), 'a,b');
  throwsSelectorError(() => parseLabelSelector('x\u0000y'), "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt");
  assert.equal(labelSelectorString(parseLabelSelector('x=\u0000y')), 'x=y');
});

test('isQualifiedName and isValidLabelValue accept exactly the upstream formats and count bytes', () => {
  for (const ok of ['a', 'A', '1', 'a-b_c.d', 'example.com/My_Name', `${'a'.repeat(63)}`, `${'a.'.repeat(126)}a/${'b'.repeat(63)}`]) {
    assert.deepEqual(isQualifiedName(ok), [], ok);
  }
  for (const bad of ['', '_a', 'a_', 'a b', 'EXAMPLE.com/a', 'a..b/c', 'a-.b/c', '-a.b/c', `${'a'.repeat(64)}`, 'a/b/c', 'é']) {
    assert.notDeepEqual(isQualifiedName(bad), [], bad);
  }
  assert.deepEqual(isQualifiedName(''), ['name part must be non-empty', `name part ${KEY_NAME_RULE}`]);
  for (const ok of ['', 'a', 'a-b_c.D', `${'v'.repeat(63)}`]) assert.deepEqual(isValidLabelValue(ok), [], ok);
  for (const bad of ['-', 'a-', 'a b', 'a/b', `${'v'.repeat(64)}`]) assert.notDeepEqual(isValidLabelValue(bad), [], bad);
  // 32 two-byte characters are 64 bytes: too long as well as malformed, as upstream counts.
  assert.deepEqual(isValidLabelValue('é'.repeat(32)), ['must be no more than 63 bytes', VALUE_RULE]);
  assert.deepEqual(isValidLabelValue('é'.repeat(31)), [VALUE_RULE]);
});

test('a null or absent metav1.LabelSelector selects nothing', () => {
  for (const input of [null, undefined]) {
    const selector = selectorFromLabelSelector(input);
    assert.equal(selector, nothingLabelSelector);
    assert.equal(selector.matches({}), false);
    assert.equal(selector.matches(undefined), false);
    assert.equal(selector.matches({ a: 'b' }), false);
    assert.equal(selector.selectable, false);
    assert.equal(selector.empty, false);
    assert.equal(labelSelectorString(selector), '');
  }
});

test('an empty metav1.LabelSelector selects everything', () => {
  for (const input of [{}, { matchLabels: {}, matchExpressions: [] }, { matchLabels: null, matchExpressions: null }]) {
    const selector = selectorFromLabelSelector(input);
    assert.equal(selector, everythingLabelSelector);
    assert.equal(selector.matches(undefined), true);
    assert.equal(selector.empty, true);
  }
});

test('matchLabels and matchExpressions combine into one sorted selector', () => {
  const selector = selectorFromLabelSelector({
    matchLabels: { tier: 'web', app: 'shop' },
    matchExpressions: [
      { key: 'env', operator: 'In', values: ['prod', 'canary', 'prod'] },
      { key: 'track', operator: 'NotIn', values: ['beta'] },
      { key: 'owner', operator: 'Exists' },
      { key: 'legacy', operator: 'DoesNotExist', values: [] },
    ],
  });
  assert.equal(labelSelectorString(selector), 'app=shop,env in (canary,prod,prod),!legacy,owner,tier=web,track notin (beta)');
  // Values are kept as given; only the string form sorts them.
  assert.deepEqual(selector.requirements.find((r) => r.key === 'env')?.values, ['prod', 'canary', 'prod']);
  const labels = { app: 'shop', tier: 'web', env: 'canary', owner: 'me' };
  assert.equal(selector.matches(labels), true);
  assert.equal(selector.matches({ ...labels, legacy: 'x' }), false);
  assert.equal(selector.matches({ ...labels, track: 'beta' }), false);
  assert.equal(selector.matches({ ...labels, env: 'dev' }), false);
  assert.equal(selector.matches({ app: 'shop', tier: 'web', env: 'prod' }), false, 'owner must exist');
});

test('metav1.LabelSelector operators are validated as labels.NewRequirement does', () => {
  const one = (operator: string, values?: string[]) =>
    selectorFromLabelSelector({ matchExpressions: [{ key: 'k', operator, ...(values === undefined ? {} : { values }) }] });
  throwsSelectorError(() => one('In'), "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty");
  throwsSelectorError(() => one('NotIn', []), "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty");
  throwsSelectorError(() => one('Exists', ['a']), 'values: Invalid value: ["a"]: values set must be empty for exists and does not exist');
  throwsSelectorError(() => one('DoesNotExist', ['a', 'b']), 'values: Invalid value: ["a","b"]: values set must be empty for exists and does not exist');
  throwsSelectorError(() => one('Gt', ['1']), '"Gt" is not a valid label selector operator');
  throwsSelectorError(() => one('in', ['a']), '"in" is not a valid label selector operator');
  throwsSelectorError(() => one(''), '"" is not a valid label selector operator');
  assert.equal(labelSelectorString(one('In', [''])), 'k in ()');
});

test('invalid keys and values in a metav1.LabelSelector are reported together', () => {
  throwsSelectorError(
    () => selectorFromLabelSelector({ matchLabels: { 'a b': 'c d' } }),
    `[key: Invalid value: "a b": name part ${KEY_NAME_RULE}, values[0][a b]: Invalid value: "c d": ${VALUE_RULE}]`,
  );
  throwsSelectorError(() => selectorFromLabelSelector({ matchLabels: { ok: '-' } }), `values[0][ok]: Invalid value: "-": ${VALUE_RULE}`);
  throwsSelectorError(
    () => selectorFromLabelSelector({ matchExpressions: [{ key: 'k', operator: 'In', values: ['ok', '-'] }] }),
    `values[1][k]: Invalid value: "-": ${VALUE_RULE}`,
  );
  throwsSelectorError(
    () => selectorFromLabelSelector({ matchExpressions: [{ key: '', operator: 'Exists' }] }),
    `key: Invalid value: "": name part must be non-empty; name part ${KEY_NAME_RULE}`,
  );
});

test('the canonical string parses back to an equivalent selector', () => {
  for (const text of ['x in (b,a),!y,z notin (,c),w>3,v<0,u!=,t==s,r', 'example.com/a=b, a=b']) {
    const once = labelSelectorString(parseLabelSelector(text));
    assert.equal(labelSelectorString(parseLabelSelector(once)), once, text);
  }
  const fromObject = selectorFromLabelSelector({ matchLabels: { b: '1' }, matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['y', 'x'] }] });
  assert.equal(labelSelectorString(parseLabelSelector(labelSelectorString(fromObject))), 'a notin (x,y),b=1');
});

test('selectorFromSet matches exactly the given labels and an empty set matches everything', () => {
  const selector = selectorFromSet({ b: '2', a: '1' });
  assert.equal(labelSelectorString(selector), 'a=1,b=2');
  assert.equal(selector.matches({ a: '1', b: '2', c: '3' }), true);
  assert.equal(selector.matches({ a: '1' }), false);
  assert.equal(selectorFromSet({}), everythingLabelSelector);
  assert.equal(selectorFromSet(undefined), everythingLabelSelector);
});

test('a selector of 10,000 requirements parses, prints and matches', () => {
  const text = Array.from({ length: 10_000 }, (_, i) => (i % 2 === 0 ? `k${i} in (a, b${i})` : `!k${i}`)).join(' , ');
  const selector = parseLabelSelector(text);
  assert.equal(selector.requirements.length, 10_000);
  const labels = Object.fromEntries(Array.from({ length: 5_000 }, (_, j) => [`k${2 * j}`, 'a']));
  assert.equal(selector.matches(labels), true);
  assert.equal(selector.matches({ ...labels, k1: 'x' }), false);
  assert.equal(parseLabelSelector(labelSelectorString(selector)).requirements.length, 10_000);
});

test('selectors of 1 MiB are parsed or rejected without blowing up', () => {
  const mib = 1 << 20;
  // Many small requirements: parsed.
  const requirement = 'key=value,';
  const many = requirement.repeat(Math.floor(mib / requirement.length)) + 'last';
  assert.equal(parseLabelSelector(many).requirements.length, Math.floor(mib / requirement.length) + 1);
  // One huge key, one huge value list, one huge value, and a run of symbols: rejected.
  assert.throws(() => parseLabelSelector('k'.repeat(mib)), (e) => e instanceof LabelSelectorError && e.message.endsWith('name part must be no more than 63 bytes'));
  const values = parseLabelSelector(`x in (${'a,'.repeat(mib / 2)}b)`);
  assert.deepEqual(values.requirements[0]?.values, ['a', 'b']);
  assert.throws(() => parseLabelSelector(`x=${'a-'.repeat(mib / 2)}`), (e) => e instanceof LabelSelectorError && e.message.includes('must be no more than 63 bytes'));
  throwsSelectorError(() => parseLabelSelector('('.repeat(mib)), "found '(', expected: !, identifier, or 'end of string'");
  throwsSelectorError(() => parseLabelSelector(`x in (${','.repeat(mib)}`), "unable to parse requirement: found '', expected: ',', or identifier");
  throwsSelectorError(() => parseLabelSelector(`${'a,'.repeat(mib / 2)},`), "found ',', expected: identifier after ','");
});

test('labelsEqual compares label sets pair by pair, in whatever order, a missing set being empty', () => {
  assert.equal(labelsEqual({ a: '1', b: '2' }, { b: '2', a: '1' }), true);
  assert.equal(labelsEqual(undefined, {}), true);
  assert.equal(labelsEqual({}, undefined), true);
  assert.equal(labelsEqual({ a: '1' }, { a: '2' }), false);
  assert.equal(labelsEqual({ a: '1' }, { a: '1', b: '2' }), false);
  assert.equal(labelsEqual({ a: '1', b: '2' }, { a: '1' }), false);
  assert.equal(labelsEqual({ a: '' }, {}), false);
  assert.equal(labelsEqual(undefined, { a: '1' }), false);
});
