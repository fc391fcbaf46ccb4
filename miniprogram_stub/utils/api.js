// The one door to /api/v1. Weak rural networks drop requests: a creating POST carries an
// Idempotency-Key, and a retry after a network failure reuses it, so the server sees one
// application however many times the phone had to resend it.

const RETRY_DELAYS_MS = [500, 1500, 4000];
const NETWORK_ERROR_MESSAGE = '网络不稳定,请稍后重试';

class ApiError extends Error {
  constructor({ status, code, message, details }) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details || {};
  }
}

function newIdempotencyKey() {
  const random = Math.random().toString(36).slice(2, 12);
  return `mp-${Date.now().toString(36)}-${random}`;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// wx.request's callbacks as a promise; a network failure resolves to null.
function send(request, options) {
  return new Promise((resolve) => {
    request({
      ...options,
      success: (response) => resolve(response),
      fail: () => resolve(null),
    });
  });
}

function toError(response) {
  const envelope = response.data && response.data.error;
  if (envelope) {
    return new ApiError({ status: response.statusCode, ...envelope });
  }
  return new ApiError({
    status: response.statusCode,
    code: 'unexpected_response',
    message: '服务暂不可用,请稍后再试',
  });
}

function createApi({ baseUrl, request, storage, retryDelaysMs = RETRY_DELAYS_MS }) {
  async function call(method, path, { data, idempotencyKey } = {}) {
    const token = storage.get('access_token');
    const header = { 'Content-Type': 'application/json' };
    if (token) header.Authorization = `Bearer ${token}`;
    if (idempotencyKey) header['Idempotency-Key'] = idempotencyKey;
    const options = { url: baseUrl + path, method, data, header };
    for (let attempt = 0; ; attempt += 1) {
      const response = await send(request, options);
      if (response) {
        if (response.statusCode >= 200 && response.statusCode < 300) return response.data;
        throw toError(response);
      }
      if (attempt >= retryDelaysMs.length) {
        throw new ApiError({ status: 0, code: 'network_error', message: NETWORK_ERROR_MESSAGE });
      }
      await sleep(retryDelaysMs[attempt]);
    }
  }

  return {
    get: (path) => call('GET', path),
    // Creating POSTs: one key per user intent, reused by every retry of it.
    create: (path, data, idempotencyKey = newIdempotencyKey()) =>
      call('POST', path, { data, idempotencyKey }),
    act: (path, data) => call('POST', path, { data }),
    async login(username, password) {
      const tokens = await call('POST', '/auth/login', { data: { username, password } });
      storage.set('access_token', tokens.access_token);
      storage.set('refresh_token', tokens.refresh_token);
      return tokens.user;
    },
  };
}

module.exports = { ApiError, createApi, newIdempotencyKey };
