// 高龄津贴 from the mini program: a village agent applies for an old resident (代办) and
// uploads the identity card; a resident over ninety may apply for themself.
const assert = require('node:assert/strict');
const { test } = require('node:test');

const applications = require('../logic/applications');
const materials = require('../logic/materials');
const { idNumber, resident, staff } = require('./helpers');

const PHOTO = process.env.PHOTO;
const VILLAGE = '990101001000';

test('an agent applies for a 96-year-old on behalf and uploads the identity card', async () => {
  const { api, wx } = await staff('agent0101');
  const form = { name: '赵桂兰', id_number: idNumber('1930-02-14', 112), phone: '', region_code: VILLAGE, on_behalf: true };
  const opened = await applications.open(api, applications.elderlyBody(form));
  assert.deepEqual(opened.errors, {});
  assert.equal(opened.application.type, 'elderly_allowance');
  assert.equal(opened.application.status, 'draft');
  assert.equal(opened.application.on_behalf, true);
  assert.equal(opened.application.household, null);
  assert.deepEqual(wx.calls.requestSubscribeMessage, [['tmpl-case']]);

  const uploaded = await materials.upload(api, opened.application.id, 'id_card', PHOTO);
  assert.equal(uploaded.file.kind, '身份证');
  const checked = await materials.settle(api, uploaded.file.id, { intervalMs: 200, tries: 300 });
  assert.equal(checked.status, 'ready', checked.reason);

  const view = await applications.progress(api, opened.application.id);
  assert.equal(view.program, '高龄津贴申请');
  assert.deepEqual(view.files.map((file) => file.kind), ['身份证']);
  assert.match(view.missing, /委托书/); // 代办 needs the resident's mandate as well
});

test('a resident of 92 applies for themself', async () => {
  const person = await resident({ serial: 114, birth: '1934-06-01', name: '钱淑珍' });
  const form = { name: person.name, id_number: person.idNumber, phone: '13900002222', region_code: VILLAGE };
  const opened = await applications.open(person.api, applications.elderlyBody(form));
  assert.deepEqual(opened.errors, {});
  assert.equal(opened.application.on_behalf, false);
  const mine = await applications.mine(person.api);
  assert.deepEqual(mine.map((item) => item.statusLabel), ['草稿(未提交)']);
});

test('a village outside the agent\'s reach is named on region_code, in Chinese', async () => {
  const { api } = await staff('agent0101');
  const form = { name: '孙大爷', id_number: idNumber('1931-01-01', 116), region_code: '990102001000', on_behalf: true };
  const outcome = await applications.open(api, applications.elderlyBody(form));
  assert.equal(outcome.errors.region_code, '只能为本辖区的居民申请');
});
