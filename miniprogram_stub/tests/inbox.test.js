// 消息: what the bureau told the resident, read in the mini program.
const assert = require('node:assert/strict');
const { test } = require('node:test');

const applications = require('../logic/applications');
const inbox = require('../logic/inbox');
const { client, resident } = require('./helpers');

test('submitting a case puts a message in the inbox; opening it marks it read', async () => {
  const person = await resident({ serial: 301, birth: '1933-03-03', name: '周老汉' });
  const { api } = person;
  const form = { name: person.name, id_number: person.idNumber, region_code: '990101002000' };
  const { application } = await applications.open(api, applications.elderlyBody(form));
  await applications.act(api, application, 'submit');

  const loaded = await inbox.load(api);
  assert.equal(loaded.unread, 1);
  const [message] = loaded.items;
  assert.equal(message.title, '申请已提交');
  assert.match(message.body, new RegExp(application.number));
  assert.equal(message.caseId, application.id);
  assert.equal(message.read, false);

  const read = await inbox.markRead(api, message.id);
  assert.equal(read.read, true);
  assert.equal((await inbox.load(api)).unread, 0);
});

test('marking all read empties the unread count', async () => {
  const person = await resident({ serial: 303, birth: '1932-02-02', name: '吴奶奶' });
  const form = { name: person.name, id_number: person.idNumber, region_code: '990101002000' };
  const { application } = await applications.open(person.api, applications.elderlyBody(form));
  const submitted = await applications.act(person.api, application, 'submit');
  await applications.act(person.api, submitted.application, 'withdraw');
  assert.equal((await inbox.load(person.api, { unreadOnly: true })).items.length, 2);
  assert.equal(await inbox.markAllRead(person.api), 2);
  const after = await inbox.load(person.api);
  assert.equal(after.unread, 0);
  assert.deepEqual(after.items.map((item) => item.title), ['申请已撤回', '申请已提交']);
});

test('the inbox needs a signed-in user: a Chinese message otherwise', async () => {
  await assert.rejects(inbox.load(client().api), (error) => {
    assert.equal(error.status, 401);
    assert.match(error.message, /[\u4e00-\u9fff]/);
    return true;
  });
});
