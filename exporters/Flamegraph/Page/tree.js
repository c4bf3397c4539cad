// The flame graph's data model, apart from the page so that node can test it (tests/Collector.Exporters.Tests/
// Flamegraph/Page): /api/stacks's answer (see StacksJson.cs) merged into a tree, filtered, compared with the window
// before, and cut to what can be drawn. A classic script: its declarations are the page's globals, used by app.js.
'use strict';

// Which stacks the filters keep (choice: {process: pid, container, thread}, each '' for all), decided once per
// process and thread: deciding it for each of 10,000 stacks took a third of the first drawing.
function stackFilter(data, choice) {
  const processes = data.processes.map((p) => (!choice.process || String(p.pid) === choice.process) && (!choice.container || p.container === choice.container));
  const threads = data.threads.map((t) => !choice.thread || t === choice.thread);
  return (stack) => processes[stack[0]] && threads[stack[1]];
}

// Frame and process names as small integers, shared by the current window and the one before so that a node of one
// tree finds its counterpart in the other.
class Names {
  constructor() { this.ids = new Map(); this.list = []; }
  id(name) {
    let id = this.ids.get(name);
    if (id === undefined) { id = this.list.length; this.ids.set(name, id); this.list.push(name); }
    return id;
  }
}

// The merged tree of a window, as in folded output: the process is the first frame under the root, and frames merge
// by name. Nodes live in typed arrays, and an open-addressing table of node numbers, hashed on (parent, name), finds
// a node's child, so building it from 10,000 distinct stacks allocates next to nothing: the tree of objects with a
// Map per node it replaced spent most of the first drawing in the garbage collector and in code not yet optimized.
function buildTree(data, names, choice) {
  const keep = stackFilter(data, choice);
  const frameName = Int32Array.from(data.frames, (frame) => names.id(frame.n));
  const processName = data.processes.map((p) => names.id(`${p.name || 'pid'} (${p.pid})`));
  const noFrames = names.id('[no frames]');
  const stride = names.list.length;
  let capacity = 1;
  for (const stack of data.stacks) capacity += stack.length - 2;
  let slots = 1024;
  while (slots < 2 * capacity) slots *= 2;
  const tree = {
    names, stride, count: 1, slots: new Int32Array(slots), // node numbers; 0 (the root, never a child) is empty
    parent: new Int32Array(capacity), name: new Int32Array(capacity), value: new Float64Array(capacity),
    frame: new Int32Array(capacity).fill(-1), // the first frame merged into the node, for its type; -1: root or process
    selfValue: new Float64Array(stride), selfFrame: new Int32Array(stride).fill(-1),
  };
  for (const stack of data.stacks) {
    if (!keep(stack)) continue;
    const weight = stack[2];
    tree.value[0] += weight;
    let node = childOf(tree, 0, processName[stack[0]], -1);
    tree.value[node] += weight;
    let leaf = -1;
    for (let i = 3; i < stack.length; i++) {
      leaf = stack[i];
      node = childOf(tree, node, frameName[leaf], leaf);
      tree.value[node] += weight;
    }
    const self = leaf < 0 ? noFrames : frameName[leaf];
    tree.selfValue[self] += weight;
    if (tree.selfFrame[self] < 0) tree.selfFrame[self] = leaf;
  }
  return tree;
}

function childOf(tree, parent, name, frame) {
  const mask = tree.slots.length - 1;
  for (let slot = hashOf(parent, name) & mask; ; slot = (slot + 1) & mask) {
    const node = tree.slots[slot];
    if (node === 0) {
      const created = tree.count++;
      tree.parent[created] = parent;
      tree.name[created] = name;
      tree.frame[created] = frame;
      tree.slots[slot] = created;
      return created;
    }
    if (tree.parent[node] === parent && tree.name[node] === name) return node;
  }
}

// The child of a node named name, or -1.
function findChild(tree, parent, name) {
  const mask = tree.slots.length - 1;
  for (let slot = hashOf(parent, name) & mask; ; slot = (slot + 1) & mask) {
    const node = tree.slots[slot];
    if (node === 0) return -1;
    if (tree.parent[node] === parent && tree.name[node] === name) return node;
  }
}

function hashOf(parent, name) {
  const h = Math.imul(parent, 0x9e3779b1) ^ Math.imul(name, 0x85ebca6b);
  return (h ^ (h >>> 15)) >>> 0;
}

// Self samples by leaf function name, for the top table.
function selfOf(tree, data) {
  const self = new Map();
  for (let id = 0; id < tree.stride; id++) {
    if (tree.selfValue[id] === 0) continue;
    const frame = tree.selfFrame[id];
    self.set(tree.names.list[id], { name: tree.names.list[id], type: frame < 0 ? '' : data.frames[frame].t, value: tree.selfValue[id] });
  }
  return self;
}

// d3-flame-graph wants objects with children arrays; with a comparison, each node gets its delta against the same path
// before. Frames narrower than half a pixel at full width are left out: nobody can see or click them, and with 10,000
// distinct stacks they are most of the nodes, which the library would lay out on every redraw. The top table still
// counts them. Nodes come parent first, so one pass in creation order builds the result.
// base is the tree of the window before (null: no comparison), its values multiplied by scale.
function finish(tree, data, base, scale, minimum) {
  const out = new Array(tree.count);
  const counterpart = base ? new Int32Array(tree.count).fill(-1) : null;
  for (let node = 0; node < tree.count; node++) {
    const parent = node === 0 ? null : out[tree.parent[node]];
    if (node !== 0 && (parent === undefined || tree.value[node] < minimum)) continue;
    const frame = tree.frame[node];
    const result = {
      name: node === 0 ? 'all' : tree.names.list[tree.name[node]],
      type: frame < 0 ? 'process' : data.frames[frame].t,
      value: tree.value[node],
      children: [],
    };
    if (base) {
      const parentBefore = node === 0 ? -1 : counterpart[tree.parent[node]];
      const before = node === 0 ? 0 : parentBefore < 0 ? -1 : findChild(base, parentBefore, tree.name[node]);
      counterpart[node] = before;
      result.delta = result.value - (before < 0 ? 0 : base.value[before] * scale);
    }
    out[node] = result;
    if (parent) parent.children.push(result);
  }
  return out[0];
}

if (typeof module === 'object') module.exports = { Names, stackFilter, buildTree, findChild, selfOf, finish };
