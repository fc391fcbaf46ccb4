// The portal's one door to /api/v1: JSON in and out, errors as {code, message, details}.
// Signed-in pages use httpOnly cookies; the CSRF token is echoed from its readable cookie.
// An expired access token is renewed once with the refresh cookie, then the call repeats.
(function () {
  const NETWORK_ERROR = { code: 'network_error', message: '网络不稳定,请稍后重试', details: {} };
  const UNEXPECTED = { code: 'unexpected', message: '服务暂不可用,请稍后再试', details: {} };

  function cookie(name) {
    const match = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]+)'));
    return match ? decodeURIComponent(match[1]) : null;
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function headersFor(method, options) {
    const headers = { Accept: 'application/json' };
    if (options.json) headers['Content-Type'] = 'application/json';
    const csrf = cookie('csrf_access_token');
    if (csrf && method !== 'GET') headers['X-CSRF-TOKEN'] = csrf;
    if (options.key) headers['Idempotency-Key'] = options.key;
    return headers;
  }

  async function refresh() {
    const csrf = cookie('csrf_refresh_token');
    if (!csrf) return false;
    const response = await fetch('/api/v1/auth/refresh', {
      method: 'POST',
      headers: { 'X-CSRF-TOKEN': csrf, Accept: 'application/json' },
      credentials: 'same-origin',
    }).catch(() => null);
    return Boolean(response && response.ok);
  }

  async function send(method, path, body, options) {
    const json = body !== undefined && !(body instanceof FormData);
    const init = {
      method,
      headers: headersFor(method, { json, key: options.key }),
      body: json ? JSON.stringify(body) : body,
      credentials: 'same-origin',
    };
    try {
      return await fetch('/api/v1' + path, init);
    } catch (networkError) {
      throw NETWORK_ERROR;
    }
  }

  async function call(method, path, body, options = {}) {
    let response = await send(method, path, body, options);
    if (response.status === 401 && !path.startsWith('/auth/') && (await refresh())) {
      response = await send(method, path, body, options);
    }
    if (response.status === 204) return null;
    const data = await response.json().catch(() => null);
    if (response.ok) return data;
    const error = (data && data.error) || UNEXPECTED;
    error.status = response.status;
    throw error;
  }

  // A multipart upload with progress (fetch has none): XMLHttpRequest, same headers.
  function uploadOnce(path, form, key, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/api/v1' + path);
      const headers = headersFor('POST', { key });
      Object.keys(headers).forEach((name) => xhr.setRequestHeader(name, headers[name]));
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable && onProgress) onProgress(event.loaded / event.total);
      };
      xhr.onload = () => {
        let data = null;
        try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
        if (xhr.status >= 200 && xhr.status < 300) return resolve(data);
        const error = (data && data.error) || Object.assign({}, UNEXPECTED);
        error.status = xhr.status;
        reject(error);
      };
      xhr.onerror = () => reject(Object.assign({}, NETWORK_ERROR));
      xhr.send(form);
    });
  }

  async function upload(path, form, key, onProgress) {
    try {
      return await uploadOnce(path, form, key, onProgress);
    } catch (error) {
      if (error.status === 401 && (await refresh())) return uploadOnce(path, form, key, onProgress);
      throw error;
    }
  }

  let mePromise = null;
  const ME_KEY = 'minzheng.me';

  // Offline (an agent in a village without signal) the last known account stands in.
  function remembered() {
    try { return JSON.parse(localStorage.getItem(ME_KEY)); } catch (e) { return null; }
  }

  function remember(user) {
    try {
      if (user) localStorage.setItem(ME_KEY, JSON.stringify(user));
      else localStorage.removeItem(ME_KEY);
    } catch (e) { /* storage refused: nothing to keep */ }
    return user;
  }

  // The signed-in account, or null; asks the server only when a session cookie is there.
  function me() {
    if (!mePromise) {
      mePromise = cookie('csrf_access_token') || cookie('csrf_refresh_token')
        ? call('GET', '/me').then(remember, (error) =>
          error.code === 'network_error' ? remembered() : remember(null))
        : Promise.resolve(remember(null));
    }
    return mePromise;
  }

  function loginUrl() {
    return '/login?next=' + encodeURIComponent(location.pathname + location.search);
  }

  // Signed-in pages: the account, or off to the login page.
  async function requireMe() {
    const user = await me();
    if (!user) location.assign(loginUrl());
    return user;
  }

  // {"a.b": ["…", "…"]} → {"a.b": "…;…"}: the API's field errors, one line per field.
  function fieldErrors(error) {
    const errors = {};
    Object.entries(error.details || {}).forEach(([field, messages]) => {
      errors[field] = [].concat(messages).join(';');
    });
    return errors;
  }

  function param(name) {
    return new URLSearchParams(location.search).get(name);
  }

  window.portalApi = {
    get: (path) => call('GET', path),
    post: (path, body, options) => call('POST', path, body, options),
    patch: (path, body) => call('PATCH', path, body),
    upload,
    newKey,
    me,
    requireMe,
    param,
    loginUrl,
    fieldErrors,
  };

  // Pages stay usable without signal once seen (see /sw.js).
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch(() => null);
  }

  // The unread badge in the header, on every page of a signed-in account.
  document.addEventListener('DOMContentLoaded', async () => {
    const badge = document.querySelector('[data-unread]');
    const user = await me();
    document.body.classList.toggle('signed-in', Boolean(user));
    if (!user || !badge) return;
    const count = await call('GET', '/me/inbox/unread-count').catch(() => null);
    if (count && count.unread > 0) {
      badge.textContent = count.unread > 99 ? '99+' : String(count.unread);
      badge.hidden = false;
      badge.setAttribute('aria-label', count.unread + '条未读');
    }
  });
})();
