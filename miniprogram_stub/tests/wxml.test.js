// The mini program as WeChat DevTools would open it: app.json names pages that exist with
// their four files, each .wxml parses and binds only data its page declares and only
// handlers it has; the checker itself is shown to catch each kind of mistake.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { test } = require('node:test');

const { checkWxml, readNames } = require('./wxml_check');

const ROOT = path.join(__dirname, '..');
const appJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8'));

function readJson(file) {
  return JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
}

// Load a page or component module as WeChat would, capturing what it registers.
function definitionOf(modulePath) {
  let captured = null;
  global.Page = (definition) => {
    captured = { kind: 'page', definition };
  };
  global.Component = (definition) => {
    captured = { kind: 'component', definition };
  };
  global.getApp = () => ({ api: {} });
  global.wx = {};
  require(path.join(ROOT, modulePath));
  assert.ok(captured, `${modulePath} registers no Page or Component`);
  return captured;
}

function ownerOf({ kind, definition }, components) {
  if (kind === 'page') {
    return {
      data: Object.keys(definition.data || {}),
      methods: Object.keys(definition).filter((key) => typeof definition[key] === 'function'),
      components,
    };
  }
  return {
    data: [...Object.keys(definition.data || {}), ...Object.keys(definition.properties || {})],
    methods: Object.keys(definition.methods || {}),
    components,
  };
}

function componentsOf(jsonFile) {
  return Object.keys({ ...appJson.usingComponents, ...(readJson(jsonFile).usingComponents || {}) });
}

const localComponents = new Set();
for (const page of appJson.pages.filter((name) => fs.existsSync(path.join(ROOT, `${name}.json`)))) {
  Object.values(readJson(`${page}.json`).usingComponents || {})
    .filter((target) => target.startsWith('/'))
    .forEach((target) => localComponents.add(target.slice(1)));
}

const UNITS = [...appJson.pages, ...localComponents];

test('every page and component has its .js, .json, .wxml and .wxss', () => {
  for (const unit of UNITS) {
    for (const extension of ['js', 'json', 'wxml', 'wxss']) {
      assert.ok(fs.existsSync(path.join(ROOT, `${unit}.${extension}`)), `${unit}.${extension} is missing`);
    }
  }
});

for (const unit of UNITS) {
  test(`${unit}.wxml parses and binds only what its ${unit.startsWith('pages/') ? 'page' : 'component'} declares`, () => {
    const registered = definitionOf(unit);
    assert.equal(registered.kind, unit.startsWith('pages/') ? 'page' : 'component');
    const source = fs.readFileSync(path.join(ROOT, `${unit}.wxml`), 'utf8');
    assert.deepEqual(checkWxml(source, ownerOf(registered, componentsOf(`${unit}.json`))), []);
  });
}

test('app.json: tab bar pages are pages, location is declared with its reason, WeUI one way only', () => {
  const pages = new Set(appJson.pages);
  appJson.tabBar.list.forEach((tab) => assert.ok(pages.has(tab.pagePath), tab.pagePath));
  assert.ok(appJson.tabBar.list.length >= 2 && appJson.tabBar.list.length <= 5);
  assert.deepEqual(appJson.requiredPrivateInfos, ['getLocation']);
  assert.match(appJson.permission['scope.userLocation'].desc, /[\u4e00-\u9fff]/);
  assert.equal(appJson.useExtendedLib.weui, true);
  Object.values(appJson.usingComponents).forEach((target) => assert.match(target, /^weui-miniprogram\//));
  assert.equal(fs.existsSync(path.join(ROOT, 'miniprogram_npm')), false); // not npm as well
  assert.equal(readJson('project.config.json').miniprogramRoot, './');
  assert.ok(readJson(appJson.sitemapLocation).rules.length > 0);
});

test('every .wxss has balanced braces and comments, and no em, rem, vw or vh sizes', () => {
  for (const file of ['app', ...UNITS].map((unit) => `${unit}.wxss`)) {
    const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
    const bare = source.replace(/\/\*[\s\S]*?\*\//g, '');
    assert.ok(!bare.includes('/*') && !bare.includes('*/'), `${file}: unclosed comment`);
    let depth = 0;
    for (const character of bare) {
      depth += character === '{' ? 1 : character === '}' ? -1 : 0;
      assert.ok(depth >= 0 && depth <= 1, `${file}: braces out of order`);
    }
    assert.equal(depth, 0, `${file}: a rule is never closed`);
    assert.doesNotMatch(bare, /\d(em|rem|vw|vh)\b/, `${file}: use rpx so phones of every width agree`);
  }
});

test('every page title is Chinese', () => {
  for (const page of appJson.pages) {
    assert.match(readJson(`${page}.json`).navigationBarTitleText, /[\u4e00-\u9fff]/, page);
  }
});

test('the checker catches a name the page does not declare', () => {
  const errors = checkWxml('<view>{{user.name}} {{missing}}</view>', { data: ['user'], methods: [], components: [] });
  assert.deepEqual(errors, ['line 1: "missing" is not data of this page']);
});

test('the checker knows wx:for item and index only inside the loop', () => {
  const owner = { data: ['rows'], methods: [], components: [] };
  assert.deepEqual(checkWxml('<view wx:for="{{rows}}" wx:for-item="row">{{row.a}}{{index}}</view>', owner), []);
  assert.deepEqual(checkWxml('<view wx:for="{{rows}}"></view><text>{{item}}</text>', owner), [
    'line 1: "item" is not data of this page',
  ]);
});

test('the checker catches unclosed, misnested and unknown tags', () => {
  const owner = { data: [], methods: [], components: ['mp-cell'] };
  assert.deepEqual(checkWxml('<view><text>a</view>', owner), [
    'line 1: </view> closes <text>',
    '<view> is never closed',
    '<text> is never closed',
  ]);
  assert.deepEqual(checkWxml('<mp-cell /><mp-cels />', owner), [
    'line 1: <mp-cels> is neither built in nor declared in usingComponents',
  ]);
  assert.deepEqual(checkWxml('<input>', owner), ['<input> is never closed']);
});

test('the checker catches a missing handler, a function call, a stray wx:else and bad braces', () => {
  const owner = { data: ['a'], methods: ['save'], components: [] };
  assert.deepEqual(checkWxml('<button bindtap="save" catch:longpress="drop" />', owner), [
    'line 1: catch:longpress="drop" names no method of this page',
  ]);
  assert.deepEqual(readNames('a.toFixed(2)'), { error: 'WXML cannot call functions: {{a.toFixed(2)}}' });
  assert.deepEqual(checkWxml('<view wx:if="{{a}}" /><text />\n<view wx:else />', owner), [
    'line 2: wx:elif/wx:else without a wx:if just before',
  ]);
  assert.deepEqual(checkWxml('<view class="{{a}" />', owner), ['line 1: unbalanced {{ }} in "{{a}"']);
});

test('names inside strings, after a dot or as a ternary branch are read correctly', () => {
  assert.deepEqual(readNames("elder ? 'elder big' : ''"), { names: ['elder'] });
  assert.deepEqual(readNames("errors['members.' + index + '.name']"), { names: ['errors', 'index'] });
  assert.deepEqual(readNames('ok ? yes : no'), { names: ['ok', 'yes', 'no'] });
  assert.deepEqual(readNames('list.length > 0 && !busy'), { names: ['list', 'busy'] });
});
