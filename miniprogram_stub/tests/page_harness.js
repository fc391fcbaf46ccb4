// Runs a real page module under Node: its Page() definition becomes an instance whose
// setData writes into `data` as WeChat does (paths like `form.name`, `members[0].relation`),
// with getApp() giving the test's api and the global `wx` the test's stand-in.
const path = require('node:path');

const ROOT = path.join(__dirname, '..');

function setPath(target, key, value) {
  const steps = key.match(/[^.[\]]+/g);
  let node = target;
  steps.slice(0, -1).forEach((step, i) => {
    if (node[step] === undefined || node[step] === null) node[step] = /^\d+$/.test(steps[i + 1]) ? [] : {};
    node = node[step];
  });
  node[steps[steps.length - 1]] = value;
}

function register(unit, { api, wx }) {
  let definition = null;
  global.Page = (registered) => {
    definition = registered;
  };
  global.Component = global.Page;
  global.getApp = () => ({ api, tellFlushed: () => {} });
  global.wx = wx;
  const file = require.resolve(path.join(ROOT, unit));
  delete require.cache[file];
  require(file);
  return definition;
}

function instance(data, methods) {
  const self = { data: structuredClone(data) };
  Object.entries(methods).forEach(([name, value]) => {
    if (typeof value === 'function') self[name] = value.bind(self);
  });
  self.setData = (patch) => Object.entries(patch).forEach(([key, value]) => setPath(self.data, key, value));
  return self;
}

function openPage(unit, context) {
  const definition = register(unit, context);
  return instance(definition.data, definition);
}

// A component: its properties' defaults join its data; triggerEvent is recorded in
// `events`; `attached` is its lifetimes.attached.
function openComponent(unit, context) {
  const definition = register(unit, context);
  const defaults = Object.fromEntries(Object.entries(definition.properties || {}).map(([name, spec]) => [name, spec.value]));
  const component = instance({ ...defaults, ...definition.data }, definition.methods);
  component.events = [];
  component.triggerEvent = (name, detail) => component.events.push([name, detail]);
  component.attached = definition.lifetimes.attached.bind(component);
  return component;
}

// The event object WeChat hands a handler: `detail` and the element's data-* set.
function event(detail = {}, dataset = {}) {
  return { detail, currentTarget: { dataset } };
}

module.exports = { event, openComponent, openPage };
