// What WeChat's runtime gives a mini program, over Node's own HTTP client: wx.request and
// storage. `dropNext(n)` makes the next n requests fail as a weak network would.

function createWx() {
  const store = new Map();
  const sent = [];
  let drops = 0;

  async function request({ url, method = 'GET', data, header = {}, success, fail }) {
    sent.push({ url, method, header: { ...header } });
    if (drops > 0) {
      drops -= 1;
      fail({ errMsg: 'request:fail timeout' });
      return;
    }
    try {
      const response = await fetch(url, {
        method,
        headers: header,
        body: data === undefined ? undefined : JSON.stringify(data),
      });
      const text = await response.text();
      success({ statusCode: response.status, data: text ? JSON.parse(text) : null });
    } catch (error) {
      fail({ errMsg: `request:fail ${error.message}` });
    }
  }

  return {
    request,
    storage: { get: (key) => store.get(key), set: (key, value) => store.set(key, value) },
    sent,
    dropNext(count) {
      drops = count;
    },
  };
}

module.exports = { createWx };
