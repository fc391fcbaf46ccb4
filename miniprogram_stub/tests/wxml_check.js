// A checker for WXML, strict where WeChat's compiler is: every tag closed and properly
// nested, only built-in or declared components, `{{ }}` balanced, no function calls in
// bindings, wx:elif/wx:else right after a wx:if. Beyond the compiler: every name a
// binding reads is data the page (or component) declares, or a wx:for item/index in
// scope, and every event handler names a method that exists.

const BUILT_IN = new Set(
  (
    'view scroll-view swiper swiper-item movable-area movable-view cover-view cover-image ' +
    'icon text rich-text progress button checkbox checkbox-group editor form input label ' +
    'picker picker-view picker-view-column radio radio-group slider switch textarea ' +
    'navigator image video camera map canvas web-view block slot template import include ' +
    'page-container root-portal'
  ).split(' '),
);
const LITERALS = new Set(['true', 'false', 'null', 'undefined']);
const EVENT = /^(?:capture-)?(?:bind|catch|mut-bind):?[a-z]+$/;
const TAG = /<(\/?)([A-Za-z][\w-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*)\s*(\/?)>/y;
const ATTRIBUTE = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'))?/g;

function lineOf(source, index) {
  return source.slice(0, index).split('\n').length;
}

// The names a `{{ }}` expression reads at its top level (not `a.b`'s `b`), or an error.
function readNames(expression) {
  const bare = expression.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, '""');
  if (/[\w$)\]]\s*\(/.test(bare)) return { error: `WXML cannot call functions: {{${expression}}}` };
  const names = [];
  const identifier = /(\.\s*)?([A-Za-z_$][\w$]*)(\s*:)?/g;
  for (let match = identifier.exec(bare); match; match = identifier.exec(bare)) {
    const [, dot, name, colon] = match;
    const isKey = colon && !/\?[^:]*$/.test(bare.slice(0, match.index)); // `{a: b}` not `x ? a : b`
    if (!dot && !isKey && !LITERALS.has(name) && !/^\d/.test(name)) names.push(name);
  }
  return { names };
}

// Each `{{ }}` in a text or attribute value: its names, or errors.
function mustaches(value) {
  const out = { names: [], errors: [] };
  const opened = (value.match(/\{\{/g) || []).length;
  const closed = (value.match(/\}\}/g) || []).length;
  if (opened !== closed) out.errors.push(`unbalanced {{ }} in "${value.trim()}"`);
  for (const [, expression] of value.matchAll(/\{\{([\s\S]*?)\}\}/g)) {
    const read = readNames(expression);
    if (read.error) out.errors.push(read.error);
    else out.names.push(...read.names);
  }
  return out;
}

function parseAttributes(text) {
  const attributes = new Map();
  const duplicates = [];
  for (const [, name, double, single] of text.matchAll(ATTRIBUTE)) {
    if (attributes.has(name)) duplicates.push(name);
    attributes.set(name, double !== undefined ? double : single !== undefined ? single : true);
  }
  return { attributes, duplicates };
}

/**
 * Check one WXML source.
 * @param {string} source
 * @param {{data: string[], methods: string[], components: string[]}} owner
 *   what the page or component declares: data keys, method names, custom tag names
 * @returns {string[]} errors, each with its line
 */
function checkWxml(source, { data, methods, components }) {
  const errors = [];
  const known = new Set([...BUILT_IN, ...components]);
  const text = source.replace(/<!--[\s\S]*?-->/g, (comment) => comment.replace(/[^\n]/g, ' '));
  const stack = [{ tag: '#root', scope: new Set(data), lastIf: false }];

  function use(value, scope, at) {
    const found = mustaches(value);
    found.errors.forEach((message) => errors.push(`line ${at}: ${message}`));
    found.names
      .filter((name) => !scope.has(name))
      .forEach((name) => errors.push(`line ${at}: "${name}" is not data of this page`));
  }

  let index = 0;
  while (index < text.length) {
    const next = text.indexOf('<', index);
    const parent = stack[stack.length - 1];
    const chunk = text.slice(index, next === -1 ? text.length : next);
    if (chunk.trim()) {
      use(chunk, parent.scope, lineOf(text, index));
      parent.lastIf = false;
    }
    if (next === -1) break;
    TAG.lastIndex = next;
    const match = TAG.exec(text);
    const at = lineOf(text, next);
    if (!match) {
      errors.push(`line ${at}: cannot parse the tag here`);
      break;
    }
    index = TAG.lastIndex;
    const [, closing, tag, attributeText, selfClosing] = match;
    if (closing) {
      if (parent.tag !== tag) errors.push(`line ${at}: </${tag}> closes <${parent.tag}>`);
      else stack.pop();
      continue;
    }
    if (!known.has(tag)) errors.push(`line ${at}: <${tag}> is neither built in nor declared in usingComponents`);
    const { attributes, duplicates } = parseAttributes(attributeText);
    duplicates.forEach((name) => errors.push(`line ${at}: attribute ${name} given twice`));

    const isElse = attributes.has('wx:elif') || attributes.has('wx:else');
    if (isElse && !parent.lastIf) errors.push(`line ${at}: wx:elif/wx:else without a wx:if just before`);
    parent.lastIf = attributes.has('wx:if') || attributes.has('wx:elif');

    const scope = new Set(parent.scope);
    if (attributes.has('wx:for')) {
      use(String(attributes.get('wx:for')), parent.scope, at);
      scope.add(attributes.get('wx:for-item') || 'item');
      scope.add(attributes.get('wx:for-index') || 'index');
    }
    for (const [name, value] of attributes) {
      if (['wx:for', 'wx:for-item', 'wx:for-index', 'wx:key', 'wx:else'].includes(name)) continue;
      if (EVENT.test(name)) {
        if (!/\{\{/.test(value) && !methods.includes(value)) {
          errors.push(`line ${at}: ${name}="${value}" names no method of this page`);
        }
        continue;
      }
      if (typeof value === 'string') use(value, scope, at);
    }
    if (!selfClosing) stack.push({ tag, scope, lastIf: false });
  }
  stack.slice(1).forEach((open) => errors.push(`<${open.tag}> is never closed`));
  return errors;
}

module.exports = { checkWxml, readNames };
