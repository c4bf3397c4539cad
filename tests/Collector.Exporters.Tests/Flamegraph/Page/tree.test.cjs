// Node's test runner on the flame graph page's data model (exporters/Flamegraph/Page/tree.js); run by
// PageTreeTests.cs. The reference every tree is held to is the plainest one: the total weight of each path of names.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { Names, buildTree, selfOf, finish } = require(path.join(__dirname, '..', '..', '..', '..', 'exporters', 'Flamegraph', 'Page', 'tree.js'));

const ALL = { process: '', container: '', thread: '' };

// /api/stacks's shape: stacks are [process, thread, weight, frame…] with frames root first.
function answer(stacks, frames, processes = [{ pid: 1, name: 'app', container: '' }], threads = ['main']) {
  return { from: 0, to: 60000, processes, threads, frames: frames.map(([n, t]) => ({ n, t })), stacks };
}

// Every drawn node as "name/name/…" → { value, type, delta }.
function flatten(node, prefix = '', out = new Map()) {
  const key = prefix ? `${prefix}/${node.name}` : node.name;
  out.set(key, { value: node.value, type: node.type, delta: node.delta });
  for (const child of node.children) flatten(child, key, out);
  return out;
}

// The reference: each path's weight (and the type of the first frame seen there), summed stack by stack.
function reference(data, keep = () => true) {
  const paths = new Map();
  const add = (key, weight, type) => {
    const entry = paths.get(key) ?? { value: 0, type };
    entry.value += weight;
    paths.set(key, entry);
  };
  for (const stack of data.stacks) {
    if (!keep(stack)) continue;
    const process = data.processes[stack[0]];
    let key = 'all';
    add(key, stack[2], 'process');
    key += `/${process.name || 'pid'} (${process.pid})`;
    add(key, stack[2], 'process');
    for (const frame of stack.slice(3)) {
      key += `/${data.frames[frame].n}`;
      add(key, stack[2], data.frames[frame].t);
    }
  }
  return paths;
}

function draw(data, choice = ALL, minimum = 0) {
  return finish(buildTree(data, new Names(), choice), data, null, 0, minimum);
}

function randomAnswer(seed, stacks, functions, processes = 3, threads = 2) {
  let state = seed;
  const next = (n) => { state = (Math.imul(state, 1103515245) + 12345) >>> 0; return state % n; };
  const frames = Array.from({ length: functions }, (_, i) => [`f${i % Math.ceil(functions * 0.8)}`, i % 3 ? 'native' : 'kernel']);
  const list = Array.from({ length: stacks }, () => {
    const depth = next(12);
    return [next(processes), next(threads), 1 + next(20), ...Array.from({ length: depth }, () => next(functions))];
  });
  return answer(list, frames,
    Array.from({ length: processes }, (_, i) => ({ pid: 100 + i, name: i === 2 ? '' : `p${i % 2}`, container: i ? 'c1' : '' })),
    Array.from({ length: threads }, (_, i) => `t${i}`));
}

test('each path of names weighs what its stacks weigh, merged across threads and frame types', () => {
  const data = answer(
    [[0, 0, 5, 0, 1, 2], [0, 1, 3, 0, 1, 3], [0, 0, 2, 0, 4], [0, 0, 1]],
    [['main', 'native'], ['run', 'native'], ['leaf', 'native'], ['other', 'kernel'], ['run', 'dotnet']],
    undefined, ['main', 'worker']);
  const drawn = flatten(draw(data));
  assert.deepEqual(drawn, new Map([
    ['all', { value: 11, type: 'process', delta: undefined }],
    ['all/app (1)', { value: 11, type: 'process', delta: undefined }],
    ['all/app (1)/main', { value: 10, type: 'native', delta: undefined }],
    ['all/app (1)/main/run', { value: 10, type: 'native', delta: undefined }],
    ['all/app (1)/main/run/leaf', { value: 5, type: 'native', delta: undefined }],
    ['all/app (1)/main/run/other', { value: 3, type: 'kernel', delta: undefined }],
  ]));
});

test('many random stacks give the reference tree', () => {
  for (const seed of [1, 2, 3]) {
    const data = randomAnswer(seed, 5000, 60);
    const drawn = flatten(draw(data));
    const expected = new Map([...reference(data)].map(([key, entry]) => [key, { ...entry, delta: undefined }]));
    assert.deepEqual(drawn, expected);
  }
});

test('the filters keep the stacks of the chosen process, container and thread', () => {
  const data = randomAnswer(7, 2000, 30);
  const cases = [
    [{ ...ALL, process: '101' }, (s) => s[0] === 1],
    [{ ...ALL, container: 'c1' }, (s) => s[0] !== 0],
    [{ ...ALL, thread: 't1' }, (s) => s[1] === 1],
    [{ process: '102', container: 'c1', thread: 't0' }, (s) => s[0] === 2 && s[1] === 0],
    [{ ...ALL, process: '999' }, () => false],
  ];
  for (const [choice, keep] of cases) {
    const expected = new Map([...reference(data, keep)].map(([key, entry]) => [key, { ...entry, delta: undefined }]));
    if (expected.size === 0) expected.set('all', { value: 0, type: 'process', delta: undefined });
    assert.deepEqual(flatten(draw(data, choice)), expected, JSON.stringify(choice));
  }
});

test('frames below the minimum are left out, with everything under them, and the root always stays', () => {
  const data = randomAnswer(11, 3000, 40);
  const minimum = 200;
  const drawn = flatten(draw(data, ALL, minimum));
  const paths = reference(data);
  const expected = new Map([...paths].filter(([key]) => {
    const parts = key.split('/');
    return parts.every((_, i) => i === 0 || paths.get(parts.slice(0, i + 1).join('/')).value >= minimum);
  }).map(([key, entry]) => [key, { ...entry, delta: undefined }]));
  assert.deepEqual(drawn, expected);
  assert.ok(drawn.size < paths.size, 'the minimum cut nothing: the test data is too small to show it');
});

test('compared with the window before, each node carries its weight minus the scaled weight of the same path before', () => {
  for (const seed of [5, 6]) {
    const current = randomAnswer(seed, 3000, 50);
    const before = randomAnswer(seed + 100, 1500, 70); // names the current window does not have, too
    const names = new Names();
    const tree = buildTree(current, names, ALL);
    const base = buildTree(before, names, ALL);
    const scale = tree.value[0] / base.value[0];
    const drawn = flatten(finish(tree, current, base, scale, 0));
    const was = reference(before);
    const expected = new Map([...reference(current)].map(([key, entry]) => [key, { ...entry, delta: entry.value - (was.get(key)?.value ?? 0) * scale }]));
    assert.equal(drawn.size, expected.size);
    for (const [key, entry] of expected) {
      const got = drawn.get(key);
      assert.equal(got.value, entry.value, key);
      assert.ok(Math.abs(got.delta - entry.delta) < 1e-9, `${key}: delta ${got.delta}, expected ${entry.delta}`);
    }
    assert.ok([...expected].some(([key]) => was.has(key) && key.split('/').length > 3), 'no deep path is shared: the comparison went untested');
  }
});

test('self weight goes to the leaf function (typed as where it was first seen), or to [no frames] for an empty stack', () => {
  const data = answer([[0, 0, 5, 0, 1], [0, 0, 2, 2, 1], [0, 0, 4, 1], [0, 0, 3], [0, 0, 1, 3]],
    [['main', 'native'], ['leaf', 'kernel'], ['other', 'native'], ['leaf', 'native']]);
  const self = selfOf(buildTree(data, new Names(), ALL), data);
  assert.deepEqual(self, new Map([
    ['leaf', { name: 'leaf', type: 'kernel', value: 12 }],
    ['[no frames]', { name: '[no frames]', type: '', value: 3 }],
  ]));
});
