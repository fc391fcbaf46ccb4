// The portal's one door to /api/v1: JSON in and out, errors as {code, message, details}.
// Signed-in pages use httpOnly cookies; the CSRF token is echoed from its readable cookie.
(function () {
  function csrfToken() {
    const match = document.cookie.match(/(?:^|; )csrf_access_token=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : null;
  }

  async function call(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const csrf = csrfToken();
    if (csrf && method !== 'GET') headers['X-CSRF-TOKEN'] = csrf;
    let response;
    try {
      response = await fetch('/api/v1' + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
      });
    } catch (networkError) {
      throw { code: 'network_error', message: '网络不稳定,请稍后重试', details: {} };
    }
    const data = await response.json().catch(() => null);
    if (response.ok) return data;
    throw (data && data.error) || { code: 'unexpected', message: '服务暂不可用,请稍后再试', details: {} };
  }

  window.portalApi = {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
  };
})();
