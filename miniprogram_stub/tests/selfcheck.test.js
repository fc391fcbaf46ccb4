// 低保自测 against the demo standards (rural 4310.00 a year, i.e. 359.17 a month).
const assert = require('node:assert/strict');
const { test } = require('node:test');

const selfcheck = require('../logic/selfcheck');
const { client } = require('./helpers');

test('a rural household below the standard is told it may qualify, and by how much', async () => {
  const { api } = client();
  const outcome = await selfcheck.check(api, { area_type: 'rural', incomes: ['100', ' 50 '] });
  assert.deepEqual(outcome.errors, {});
  assert.equal(outcome.result.eligible, true);
  assert.equal(outcome.result.member_count, 2);
  assert.equal(outcome.result.per_capita_income, '75.00');
  assert.match(outcome.result.verdict, /可能符合条件/);
  assert.match(outcome.result.note, /仅供参考/);
});

test('a household above the standard is told it does not qualify by income', async () => {
  const outcome = await selfcheck.check(client().api, { area_type: 'urban', incomes: ['3000'] });
  assert.equal(outcome.result.eligible, false);
  assert.match(outcome.result.verdict, /暂不符合/);
});

test('a bad income is shown beside that member, in Chinese', async () => {
  const outcome = await selfcheck.check(client().api, { area_type: 'rural', incomes: ['100', '-5'] });
  assert.equal(outcome.result, null);
  assert.match(outcome.errors['members.1.monthly_income'], /[\u4e00-\u9fff]/);
});
