// The one door to /api/v1. Every call goes through `call` (or `upload`/`download` for
// files): base URL, Bearer token, JSON, the HTTP status checked (WeChat calls `success`
// for a 4xx or 5xx too), the error envelope turned into a Chinese message.
//
// Weak rural networks drop requests: a creating POST carries an Idempotency-Key and a
// retry reuses it, so the server keeps one case however often the phone resent it. What
// cannot be sent at all waits in storage (the outbox) and goes out when WeChat reports
// the network back.

const { promisify } = require('./wx_promise');

const RETRY_DELAYS_MS = [500, 1500, 4000];
const OUTBOX_KEY = 'outbox';
const REFUSED_KEY = 'outbox_refused';
const JSON_HEADER = { 'Content-Type': 'application/json' };

// Said to the user when the server gave no Chinese message of its own.
const CODE_MESSAGES = {
  network_error: '网络不稳定,请稍后重试',
  bad_request: '提交的内容无法识别,请检查后重试',
  unauthorized: '登录已过期,请重新登录',
  forbidden: '您没有办理此事项的权限',
  not_found: '没有找到该事项,可能已被删除',
  conflict: '该事项已有变化,请刷新后重试',
  stale_version: '该事项已被他人更新,请刷新后重试',
  action_not_allowed: '当前状态下不能进行此操作',
  slot_full: '该时段已约满,请选择其他时段',
  duplicate_booking: '您已有同类预约,请勿重复预约',
  payload_too_large: '文件太大,请压缩后再上传',
  unsupported_media_type: '文件格式不支持,请上传照片或PDF',
  validation_error: '填写的内容有误,请检查',
  rate_limited: '操作太频繁,请稍后再试',
  service_unavailable: '服务暂不可用,请稍后再试',
};
const FALLBACK_MESSAGE = '服务暂不可用,请稍后再试';
const CHINESE = /[\u4e00-\u9fff]/;

class ApiError extends Error {
  constructor({ status, code, message, details }) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details || {};
  }

  get offline() {
    return this.status === 0;
  }
}

// What the user reads: the server's own Chinese message, else one for its code.
function userMessage(status, envelope) {
  const { code, message } = envelope || {};
  if (typeof message === 'string' && CHINESE.test(message)) return message;
  if (CODE_MESSAGES[code]) return CODE_MESSAGES[code];
  return status >= 500 ? FALLBACK_MESSAGE : CODE_MESSAGES.bad_request;
}

function errorFrom(status, body) {
  const envelope = body && typeof body === 'object' ? body.error : null;
  const code = (envelope && envelope.code) || (status >= 500 ? 'service_unavailable' : 'bad_request');
  return new ApiError({
    status,
    code,
    message: userMessage(status, envelope),
    details: envelope && envelope.details,
  });
}

const networkError = () =>
  new ApiError({ status: 0, code: 'network_error', message: CODE_MESSAGES.network_error });

// Field errors keyed by the form's field names: {"applicant.id_number": "…"}.
function fieldErrors(error) {
  const out = {};
  Object.entries((error && error.details) || {}).forEach(([field, messages]) => {
    out[field] = Array.isArray(messages) ? messages.join(';') : String(messages);
  });
  return out;
}

function newIdempotencyKey() {
  const random = Math.random().toString(36).slice(2, 12);
  return `mp-${Date.now().toString(36)}-${random}`;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isImage(path) {
  return /\.(jpe?g|png)$/i.test(path);
}

// wx.uploadFile hands the body back as a string.
function parseBody(data) {
  if (typeof data !== 'string') return data;
  if (!data) return null;
  try {
    return JSON.parse(data);
  } catch (error) {
    return null;
  }
}

function createApi({ baseUrl, wx, templates = {}, retryDelaysMs = RETRY_DELAYS_MS }) {
  const request = promisify(wx, 'request');
  const uploadFile = promisify(wx, 'uploadFile');
  const downloadFile = promisify(wx, 'downloadFile');
  let refreshing = null;
  let flushing = null;

  function authHeader(extra) {
    const token = wx.getStorageSync('access_token');
    return token ? { ...extra, Authorization: `Bearer ${token}` } : { ...extra };
  }

  // One attempt after another while the network fails; null when every one failed. Only
  // reads and keyed creations are repeated: an action resent after a lost answer could
  // act twice, so it fails at once and the user decides.
  async function withRetries(attempt, repeatable) {
    const rounds = repeatable ? retryDelaysMs.length : 0;
    for (let round = 0; ; round += 1) {
      try {
        return await attempt();
      } catch (networkFailure) {
        if (round >= rounds) return null;
        await sleep(retryDelaysMs[round]);
      }
    }
  }

  // A new access token from the refresh token, shared by every call that met a 401.
  function refresh() {
    const refreshToken = wx.getStorageSync('refresh_token');
    if (!refreshToken) return Promise.resolve(false);
    if (!refreshing) {
      refreshing = request({
        url: `${baseUrl}/auth/refresh`,
        method: 'POST',
        header: { ...JSON_HEADER, Authorization: `Bearer ${refreshToken}` },
      })
        .then((response) => {
          if (response.statusCode !== 200) return false;
          wx.setStorageSync('access_token', response.data.access_token);
          return true;
        })
        .catch(() => false)
        .finally(() => {
          refreshing = null;
        });
    }
    return refreshing;
  }

  // Send, and on a 401 refresh the token once and send again; then check the status.
  async function authorized(send, { path, repeatable = true, parse = (data) => data }) {
    let response = await withRetries(send, repeatable);
    const mayRefresh = !path.startsWith('/auth/');
    if (response && response.statusCode === 401 && mayRefresh && (await refresh())) {
      response = await withRetries(send, repeatable);
    }
    if (!response) throw networkError();
    const body = parse(response.data);
    if (response.statusCode >= 200 && response.statusCode < 300) return { response, body };
    if (response.statusCode === 401 && mayRefresh) clearTokens();
    throw errorFrom(response.statusCode, body);
  }

  async function call(method, path, { data, idempotencyKey } = {}) {
    const send = () => {
      const header = authHeader(JSON_HEADER);
      if (idempotencyKey) header['Idempotency-Key'] = idempotencyKey;
      return request({ url: baseUrl + path, method, data, header });
    };
    const repeatable = method === 'GET' || Boolean(idempotencyKey);
    return (await authorized(send, { path, repeatable })).body;
  }

  // One file per call, under the field name `file`; photos are compressed first.
  async function upload(path, filePath, formData = {}, idempotencyKey = newIdempotencyKey()) {
    const source = isImage(filePath) ? await compress(filePath) : filePath;
    const send = () =>
      uploadFile({
        url: baseUrl + path,
        filePath: source,
        name: 'file',
        formData,
        header: authHeader({ 'Idempotency-Key': idempotencyKey }),
      });
    return (await authorized(send, { path, parse: parseBody })).body;
  }

  async function compress(filePath) {
    try {
      const result = await promisify(wx, 'compressImage')({ src: filePath, quality: 80 });
      return result.tempFilePath;
    } catch (error) {
      return filePath; // an image WeChat cannot compress is still worth sending
    }
  }

  // A protected file (the check-in QR) to a local temporary path an <image> can show.
  async function download(path) {
    const send = () => downloadFile({ url: baseUrl + path, header: authHeader() });
    return (await authorized(send, { path, parse: () => null })).response.tempFilePath;
  }

  function storeTokens(tokens) {
    wx.setStorageSync('access_token', tokens.access_token);
    wx.setStorageSync('refresh_token', tokens.refresh_token);
    wx.setStorageSync('user', tokens.user);
    return tokens.user;
  }

  function clearTokens() {
    ['access_token', 'refresh_token', 'user'].forEach((key) => wx.removeStorageSync(key));
  }

  // ---- the outbox: creating calls that could not be sent --------------------------------

  function readList(key) {
    return wx.getStorageSync(key) || [];
  }

  function writeList(key, items) {
    return promisify(wx, 'setStorage')({ key, data: items });
  }

  // One piece of work: its files first, then the creating POST naming them in
  // `filesField`. Each file's id is kept in the item as soon as it is known, so a resend
  // uploads only what never arrived and the POST (same key) carries the same ids. A file
  // whose answer was lost goes up again under a new key (its copy has a new name): the
  // server keeps an unused photo, never a second report.
  async function sendItem(item) {
    if (!item.files.length) return call('POST', item.path, { data: item.data, idempotencyKey: item.idempotencyKey });
    const ids = item.fileIds;
    for (let i = ids.length; i < item.files.length; i += 1) {
      ids.push((await upload(item.filesPath, item.files[i])).id);
    }
    const data = { ...item.data, [item.filesField]: ids };
    return call('POST', item.path, { data, idempotencyKey: item.idempotencyKey });
  }

  // Kept across restarts: WeChat's temporary files may go when the mini program closes.
  function persist(filePath) {
    return promisify(wx.getFileSystemManager(), 'saveFile')({ tempFilePath: filePath })
      .then((saved) => saved.savedFilePath)
      .catch(() => filePath);
  }

  // Saved files share a 10 MB quota: freed once their work is done.
  function forget(item) {
    const files = wx.getFileSystemManager();
    item.files.forEach((filePath) => files.removeSavedFile({ filePath, fail: () => {} }));
  }

  // Create now if the network allows, else keep it (with its key) for the reconnect.
  // `files` (local paths) are uploaded one per request to `filesPath` first.
  async function submit(path, data, { label, files = [], filesPath, filesField = 'photo_ids' } = {}) {
    const item = { path, data, label, idempotencyKey: newIdempotencyKey(), files, fileIds: [], filesPath, filesField };
    try {
      return { sent: true, body: await sendItem(item) };
    } catch (error) {
      if (!error.offline) throw error;
      const queued = { ...item, files: await Promise.all(files.map(persist)), queuedAt: new Date().toISOString() };
      await writeList(OUTBOX_KEY, [...readList(OUTBOX_KEY), queued]);
      return { sent: false, queued };
    }
  }

  // Send what waits, oldest first. A refusal (4xx) will not change by resending: it is
  // moved aside with its message for the user to see, never silently dropped.
  function flushOutbox() {
    if (!flushing) {
      flushing = sendWaiting().finally(() => {
        flushing = null;
      });
    }
    return flushing;
  }

  // The outbox with `item` replaced by its new state, or left out when `done`.
  function rewrite(item, done) {
    const others = readList(OUTBOX_KEY).map((entry) => (entry.idempotencyKey === item.idempotencyKey ? item : entry));
    return writeList(OUTBOX_KEY, done ? others.filter((entry) => entry !== item) : others);
  }

  async function sendWaiting() {
    const result = { sent: [], refused: [] };
    for (const item of readList(OUTBOX_KEY)) {
      try {
        result.sent.push({ ...item, body: await sendItem(item) });
      } catch (error) {
        if (error.offline) {
          await rewrite(item, false); // keep the ids of the files that did arrive
          break;
        }
        result.refused.push({ ...item, message: error.message });
      }
      forget(item);
      await rewrite(item, true);
    }
    if (result.refused.length) await writeList(REFUSED_KEY, [...readList(REFUSED_KEY), ...result.refused]);
    return result;
  }

  function watchNetwork(onFlushed = () => {}) {
    wx.onNetworkStatusChange(({ isConnected }) => {
      if (isConnected && readList(OUTBOX_KEY).length) flushOutbox().then(onFlushed);
    });
  }

  // Subscribe-message consent, asked from a tap before submitting. Refusing or an old
  // WeChat never blocks the submission: the in-app inbox gets every message anyway.
  async function askConsent(topic) {
    const tmplIds = (templates[topic] || []).filter(Boolean);
    if (!tmplIds.length) return {};
    try {
      return await promisify(wx, 'requestSubscribeMessage')({ tmplIds });
    } catch (error) {
      return {};
    }
  }

  return {
    get: (path) => call('GET', path),
    // Creating POSTs: one key per user intent, reused by every retry of it.
    create: (path, data, idempotencyKey = newIdempotencyKey()) =>
      call('POST', path, { data, idempotencyKey }),
    act: (path, data) => call('POST', path, { data }),
    patch: (path, data) => call('PATCH', path, { data }),
    upload,
    download,
    submit,
    flushOutbox,
    watchNetwork,
    outbox: () => readList(OUTBOX_KEY),
    refused: () => readList(REFUSED_KEY),
    askConsent,
    signedIn: () => Boolean(wx.getStorageSync('access_token')),
    currentUser: () => wx.getStorageSync('user') || null,
    async loginWithWeChat() {
      const { code } = await promisify(wx, 'login')({ timeout: 10000 });
      return storeTokens(await call('POST', '/auth/wechat', { data: { code } }));
    },
    async loginWithPassword(username, password) {
      return storeTokens(await call('POST', '/auth/login', { data: { username, password } }));
    },
    async logout() {
      try {
        await call('POST', '/auth/logout');
      } finally {
        clearTokens();
      }
    },
  };
}

module.exports = { ApiError, createApi, fieldErrors, newIdempotencyKey, userMessage };
