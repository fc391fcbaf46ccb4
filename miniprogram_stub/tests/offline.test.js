// Nothing is lost offline: a submission made without network waits in storage and is
// sent once when WeChat reports the network back; a lost answer is resent with the same
// Idempotency-Key and the server keeps one case.
const assert = require('node:assert/strict');
const { test } = require('node:test');

const applications = require('../logic/applications');
const home = require('../logic/home');
const { client, idNumber, staff } = require('./helpers');

const VILLAGE = '990101001000'; // agent0101's village

function elder(serial, regionCode = VILLAGE) {
  return applications.elderlyBody({
    name: '郑大娘',
    id_number: idNumber('1931-07-07', serial),
    region_code: regionCode,
    on_behalf: true,
  });
}

function reconnected(api) {
  return new Promise((resolve) => api.watchNetwork(resolve));
}

async function caseIds(api) {
  return (await api.get('/applications?limit=100')).items.map((item) => item.id);
}

test('an application saved offline is sent once when the network returns', async () => {
  const { api, wx } = await staff('agent0101');
  const before = await caseIds(api);
  const flushed = reconnected(api);
  wx.setOnline(false);

  const outcome = await applications.open(api, elder(402));
  assert.equal(outcome.queued, true);
  assert.equal(outcome.message, '网络不通,已保存在手机上,联网后自动提交');
  assert.equal(api.outbox().length, 1);
  assert.equal(home.view(api).waiting, 1);
  const key = api.outbox()[0].idempotencyKey;

  wx.setOnline(true);
  wx.setOnline(true); // WeChat may report the same reconnect twice
  const result = await flushed;
  assert.equal(result.sent.length, 1);
  assert.equal(result.sent[0].body.status, 'draft');
  assert.deepEqual(api.outbox(), []);
  assert.equal(home.view(api).waiting, 0);

  const posts = wx.sent.filter((request) => request.method === 'POST' && request.url.endsWith('/applications'));
  assert.ok(posts.every((request) => request.header['Idempotency-Key'] === key));
  assert.equal(posts.filter((request) => request.reached).length, 1);
  const after = await caseIds(api);
  assert.deepEqual(after.filter((id) => !before.includes(id)), [result.sent[0].body.id]);
  assert.equal((await api.flushOutbox()).sent.length, 0);
});

test('an answer lost on the way back is resent with the same key and the server keeps one case', async () => {
  const { api, wx } = await staff('agent0101');
  const before = await caseIds(api);
  wx.loseAnswersNext(1);
  const outcome = await applications.open(api, elder(404));
  assert.equal(outcome.application.status, 'draft');
  const posts = wx.sent.filter((request) => request.method === 'POST' && request.url.endsWith('/applications'));
  assert.equal(posts.length, 2);
  assert.equal(posts[0].header['Idempotency-Key'], posts[1].header['Idempotency-Key']);
  const after = await caseIds(api);
  assert.deepEqual(after.filter((id) => !before.includes(id)), [outcome.application.id]);
});

test('a queued submission the server refuses is kept aside with its Chinese reason', async () => {
  const { api, wx } = await staff('agent0101');
  const flushed = reconnected(api);
  wx.setOnline(false);
  await applications.open(api, elder(406, '990102001000')); // another agent's village
  wx.setOnline(true);
  const result = await flushed;
  assert.equal(result.sent.length, 0);
  assert.equal(result.refused.length, 1);
  assert.deepEqual(api.outbox(), []);
  const [refused] = api.refused();
  assert.equal(refused.label, '高龄津贴申请');
  assert.match(refused.message, /[\u4e00-\u9fff]/);
  assert.deepEqual(
    home.view(api).refused.map((item) => item.text),
    [`高龄津贴申请:${refused.message}`],
  );
});

test('offline, a plain read fails at once with the Chinese network message', async () => {
  const { api, wx } = client();
  wx.setOnline(false);
  await assert.rejects(api.get('/health'), (error) => error.message === '网络不稳定,请稍后重试');
});
