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

function openPage(unit, { api, wx }) {
  let definition = null;
  global.Page = (registered) => {
    definition = registered;
  };
  global.getApp = () => ({ api, tellFlushed: () => {} });
  global.wx = wx;
  const file = require.resolve(path.join(ROOT, unit));
  delete require.cache[file];
  require(file);
  const page = { data: structuredClone(definition.data) };
  Object.entries(definition).forEach(([name, value]) => {
    if (typeof value === 'function') page[name] = value.bind(page);
  });
  page.setData = (patch) => Object.entries(patch).forEach(([key, value]) => setPath(page.data, key, value));
  return page;
}

// The event object WeChat hands a handler: `detail` and the element's data-* set.
function event(detail = {}, dataset = {}) {
  return { detail, currentTarget: { dataset } };
}

module.exports = { event, openPage };
