// WeChat's callback APIs (`success`/`fail`) as promises.
function promisify(wx, name) {
  return (options = {}) =>
    new Promise((resolve, reject) => {
      wx[name]({ ...options, success: resolve, fail: reject });
    });
}

module.exports = { promisify };
