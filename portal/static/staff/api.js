// The workbench's one door to /api/v1. Signed in by httpOnly cookies; every write echoes
// the readable CSRF cookie in X-CSRF-TOKEN. A 401 is met once by refreshing the access
// token; a decision that wants the password typed again opens the re-authentication
// dialog and is then sent again; anything else sends the user to the sign-in page.
(function () {
  const UNAVAILABLE = { code: 'unexpected', message: '服务暂不可用,请稍后再试', details: {} };

  function cookie(name) {
    const match = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]+)'));
    return match ? decodeURIComponent(match[1]) : null;
  }

  function newKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  async function send(method, path, body, extraHeaders) {
    const headers = Object.assign({ Accept: 'application/json' }, extraHeaders);
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET') {
      const csrf = cookie(path === '/auth/refresh' ? 'csrf_refresh_token' : 'csrf_access_token');
      if (csrf) headers['X-CSRF-TOKEN'] = csrf;
    }
    let response;
    try {
      response = await fetch('/api/v1' + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
      });
    } catch (networkError) {
      throw { code: 'network_error', message: '网络不稳定,请稍后重试', details: {}, status: 0 };
    }
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    return { status: response.status, data };
  }

  async function refresh() {
    const answer = await send('POST', '/auth/refresh');
    return answer.status === 200;
  }

  function toSignIn() {
    const next = location.pathname + location.search;
    location.assign('/staff/login?next=' + encodeURIComponent(next));
  }

  async function call(method, path, body) {
    const headers = method === 'POST' ? { 'Idempotency-Key': newKey() } : {};
    let refreshed = false;
    for (;;) {
      const answer = await send(method, path, body, headers);
      if (answer.status >= 200 && answer.status < 300) return answer.data;
      const error = (answer.data && answer.data.error) || Object.assign({}, UNAVAILABLE);
      error.status = answer.status;
      if (answer.status !== 401 || path.startsWith('/auth/login')) throw error;
      if (error.details && error.details.reason === 'fresh_token_required') {
        await window.staffApi.reauthenticate(); // rejects when the user cancels
        continue;
      }
      if (!refreshed && (await refresh())) {
        refreshed = true;
        continue;
      }
      toSignIn();
      throw error;
    }
  }

  window.staffApi = {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body === undefined ? {} : body),
    put: (path, body) => call('PUT', path, body),
    patch: (path, body) => call('PATCH', path, body),
    del: (path) => call('DELETE', path),
    login: (username, password) =>
      call('POST', '/auth/login', { username, password, session: 'cookie' }),
    // Replaced by ui.js with the dialog; without a page around it there is no one to ask.
    reauthenticate: () => Promise.reject({ code: 'unauthorized', message: FRESH_NEEDED }),
    toSignIn,
  };
})();
