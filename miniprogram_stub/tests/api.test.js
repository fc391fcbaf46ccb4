// utils/api.js against the live server: status checks, the error envelope in Chinese,
// idempotency keys reused on retry, the token refreshed once on a 401.
const assert = require('node:assert/strict');
const { test } = require('node:test');

const { ApiError, userMessage } = require('../utils/api');
const { client, staff } = require('./helpers');

test('health answers ok through wx.request', async () => {
  assert.deepEqual(await client().api.get('/health'), { status: 'ok', database: 'ok', redis: 'ok' });
});

test('an error status is an ApiError with the Chinese message and the field, though WeChat called success', async () => {
  await assert.rejects(client().api.get('/regions?limit=0'), (error) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 422);
    assert.equal(error.code, 'validation_error');
    assert.deepEqual(error.details, { limit: ['应在 1 到 100 之间'] });
    assert.match(error.message, /[\u4e00-\u9fff]/);
    return true;
  });
});

test('a 404 reads as the server\'s Chinese message', async () => {
  const { api } = await staff('agent0101');
  await assert.rejects(api.get('/applications/999999999'), (error) => {
    assert.equal(error.status, 404);
    assert.equal(error.code, 'not_found');
    assert.match(error.message, /[\u4e00-\u9fff]/);
    return true;
  });
});

test('an envelope without a Chinese message gets one for its code', () => {
  assert.equal(userMessage(409, { code: 'slot_full', message: 'slot full' }), '该时段已约满,请选择其他时段');
  assert.equal(userMessage(502, null), '服务暂不可用,请稍后再试');
});

test('the region tree reads one level at a time', async () => {
  const body = await client().api.get('/regions?parent_code=990100000000');
  assert.deepEqual(
    body.items.map((region) => region.name),
    ['城关镇', '河口乡', '山前乡'],
  );
});

test('a dropped creating request is retried and every retry reuses the idempotency key', async () => {
  const { api, wx } = client();
  wx.dropNext(2);
  await assert.rejects(api.create('/applications', { type: 'dibao' }), (error) => {
    assert.equal(error.status, 401); // reached the server on the third attempt
    assert.match(error.message, /[\u4e00-\u9fff]/);
    return true;
  });
  const keys = wx.sent.map((request) => request.header['Idempotency-Key']);
  assert.equal(keys.length, 3);
  assert.match(keys[0], /^mp-/);
  assert.ok(keys.every((key) => key === keys[0]));
});

test('an action whose request is dropped is not resent: it could act twice', async () => {
  const { api, wx } = await staff('agent0101');
  wx.dropNext(1);
  await assert.rejects(api.act('/me/inbox/read-all'), (error) => error.code === 'network_error');
  assert.equal(wx.sent.filter((request) => request.url.endsWith('/read-all')).length, 1);
});

test('a network that never answers gives a Chinese network error', async () => {
  const { api, wx } = client();
  wx.dropNext(10);
  await assert.rejects(api.get('/health'), (error) => {
    assert.equal(error.code, 'network_error');
    assert.equal(error.message, '网络不稳定,请稍后重试');
    assert.ok(error.offline);
    return true;
  });
});

test('an expired access token is refreshed once and the call goes through', async () => {
  const { api, wx } = await staff('agent0101');
  wx.setStorageSync('access_token', 'expired.or.revoked');
  const me = await api.get('/me');
  assert.equal(me.role, 'agent');
  const refreshes = wx.sent.filter((request) => request.url.endsWith('/auth/refresh'));
  assert.equal(refreshes.length, 1);
  assert.notEqual(wx.getStorageSync('access_token'), 'expired.or.revoked');
});

test('when the refresh token is refused too, the user is signed out with a Chinese message', async () => {
  const { api, wx } = await staff('agent0101');
  wx.setStorageSync('access_token', 'bad');
  wx.setStorageSync('refresh_token', 'also-bad');
  await assert.rejects(api.get('/me'), (error) => {
    assert.equal(error.status, 401);
    assert.match(error.message, /登录/);
    return true;
  });
  assert.equal(wx.sent.filter((request) => request.url.endsWith('/auth/refresh')).length, 1);
  assert.equal(api.signedIn(), false);
});
