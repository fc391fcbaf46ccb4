// The mini program's API client against the real server (API_BASE, started by pytest).
const assert = require('node:assert/strict');
const { test } = require('node:test');

const { ApiError, createApi } = require('../utils/api');
const { createWx } = require('./wx_shim');

const API_BASE = process.env.API_BASE;
assert.ok(API_BASE, 'API_BASE must point at a running server (tests/miniprogram runs this)');

function client(wx) {
  return createApi({
    baseUrl: API_BASE,
    request: wx.request,
    storage: wx.storage,
    retryDelaysMs: [10, 10, 10],
  });
}

test('health answers ok through wx.request', async () => {
  const body = await client(createWx()).get('/health');
  assert.deepEqual(body, { status: 'ok', database: 'ok', redis: 'ok' });
});

test('a validation error becomes an ApiError with the Chinese message and the field', async () => {
  await assert.rejects(client(createWx()).get('/regions?limit=0'), (error) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 422);
    assert.equal(error.code, 'validation_error');
    assert.deepEqual(error.details, { limit: ['应在 1 到 100 之间'] });
    return true;
  });
});

test('the region tree reads one level at a time', async () => {
  const body = await client(createWx()).get('/regions?parent_code=990100000000');
  assert.deepEqual(
    body.items.map((region) => region.name),
    ['城关镇', '河口乡', '山前乡'],
  );
});

test('a dropped request is retried and the retry reuses the idempotency key', async () => {
  const wx = createWx();
  wx.dropNext(2);
  await assert.rejects(client(wx).create('/applications', { type: 'dibao' }), (error) => {
    assert.equal(error.status, 401); // reached the server on the third attempt
    return true;
  });
  const keys = wx.sent.map((request) => request.header['Idempotency-Key']);
  assert.equal(keys.length, 3);
  assert.ok(keys[0]);
  assert.ok(keys.every((key) => key === keys[0]));
});

test('a network that never answers gives a Chinese network error', async () => {
  const wx = createWx();
  wx.dropNext(10);
  await assert.rejects(client(wx).get('/health'), (error) => {
    assert.equal(error.code, 'network_error');
    assert.equal(error.message, '网络不稳定,请稍后重试');
    return true;
  });
});
