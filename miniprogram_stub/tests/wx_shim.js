// What WeChat's runtime gives a mini program, over Node's own HTTP client, so the real
// `utils/api.js` and page logic talk to the real server started by the test run.
//
// Each request is logged in `sent` (`reached`: it got to the server).
// Knobs a test turns: `setOnline(false/true)` (true fires onNetworkStatusChange, as
// WeChat does on reconnect), `dropNext(n)` (the next n requests fail before reaching the
// server), `loseAnswersNext(n)` (the next n reach the server but their answer is lost),
// `offlineAfter(n)` (the network drops once n more requests have reached the server),
// `nextLoginCode` (what wx.login hands out), `subscribeAnswer` (the user's consent),
// `faceAnswer` ('pass', or 'cancel': the user leaves the face check).

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

let fileSerial = 0;

function tempPath(suffix) {
  fileSerial += 1;
  return path.join(os.tmpdir(), `wx-shim-${process.pid}-${fileSerial}${suffix}`);
}

function createWx({ apiBase } = {}) {
  const store = new Map();
  const listeners = [];
  const sent = [];
  const calls = {
    compressImage: [],
    requestSubscribeMessage: [],
    startFacialRecognitionVerify: [],
    login: 0,
    getLocation: 0,
  };
  let online = true;
  let drops = 0;
  let lostAnswers = 0;
  let reachesLeft = Infinity;

  // Each request either fails as WeChat's `fail` would, or reaches the server.
  async function exchange(record, send, success, fail) {
    sent.push(record);
    if (!online || drops > 0) {
      if (online) drops -= 1;
      fail({ errMsg: `${record.api}:fail timeout` });
      return;
    }
    try {
      record.reached = true;
      reachesLeft -= 1;
      if (reachesLeft <= 0) online = false; // the line drops quietly: no event until it is back
      const answer = await send();
      if (lostAnswers > 0) {
        lostAnswers -= 1;
        fail({ errMsg: `${record.api}:fail timeout` });
        return;
      }
      success(answer);
    } catch (error) {
      fail({ errMsg: `${record.api}:fail ${error.message}` });
    }
  }

  const wx = {
    sent,
    calls,
    nextLoginCode: 'code-unset',
    subscribeAnswer: 'accept',
    faceAnswer: 'pass',
    location: { latitude: 30.2741, longitude: 120.1551 },

    request({ url, method = 'GET', data, header = {}, success, fail }) {
      const record = { api: 'request', url, method, header: { ...header }, data };
      exchange(
        record,
        async () => {
          const response = await fetch(url, {
            method,
            headers: header,
            body: data === undefined ? undefined : JSON.stringify(data),
          });
          const text = await response.text();
          // WeChat parses JSON bodies for dataType "json" (the default).
          let body = text;
          try {
            body = text ? JSON.parse(text) : '';
          } catch (error) {
            body = text;
          }
          return { statusCode: response.status, data: body, header: {} };
        },
        success,
        fail,
      );
    },

    uploadFile({ url, filePath, name, formData = {}, header = {}, success, fail }) {
      const record = { api: 'uploadFile', url, method: 'POST', header: { ...header }, filePath, name };
      exchange(
        record,
        async () => {
          const form = new FormData();
          Object.entries(formData).forEach(([key, value]) => form.append(key, String(value)));
          form.append(name, new Blob([fs.readFileSync(filePath)]), path.basename(filePath));
          const response = await fetch(url, { method: 'POST', headers: header, body: form });
          // WeChat hands the body back as a string, never parsed.
          return { statusCode: response.status, data: await response.text() };
        },
        success,
        fail,
      );
    },

    downloadFile({ url, header = {}, success, fail }) {
      const record = { api: 'downloadFile', url, method: 'GET', header: { ...header } };
      exchange(
        record,
        async () => {
          const response = await fetch(url, { headers: header });
          const tempFilePath = tempPath('.download');
          fs.writeFileSync(tempFilePath, Buffer.from(await response.arrayBuffer()));
          return { statusCode: response.status, tempFilePath };
        },
        success,
        fail,
      );
    },

    // A new file as WeChat's would be; the stand-in keeps the bytes (no re-encoding).
    compressImage({ src, quality, success, fail }) {
      calls.compressImage.push({ src, quality });
      try {
        const tempFilePath = tempPath(path.extname(src));
        fs.copyFileSync(src, tempFilePath);
        success({ tempFilePath });
      } catch (error) {
        fail({ errMsg: `compressImage:fail ${error.message}` });
      }
    },

    getFileSystemManager() {
      return {
        saveFile({ tempFilePath, success }) {
          const savedFilePath = tempPath(`.saved${path.extname(tempFilePath)}`);
          fs.copyFileSync(tempFilePath, savedFilePath);
          success({ savedFilePath });
        },
        removeSavedFile({ filePath, success = () => {}, fail = () => {} }) {
          try {
            fs.unlinkSync(filePath);
            success({});
          } catch (error) {
            fail({ errMsg: `removeSavedFile:fail ${error.message}` });
          }
        },
      };
    },

    login({ success }) {
      calls.login += 1;
      success({ code: wx.nextLoginCode, errMsg: 'login:ok' });
    },

    // 人脸核验 as the live server's demo allows: a claim sent there without a proof is
    // refused with the proof its console verifier expects (`debug_verify_result`), and
    // that is the verifyResult. A claim the server refuses for its own reasons (a bad
    // number) gets no proof: the answer is then a result it will not confirm, so the
    // client meets that refusal when it sends the claim. Not logged in `sent`: WeChat's
    // own traffic, not the mini program's.
    startFacialRecognitionVerify({ name, idCardNumber, success, fail }) {
      calls.startFacialRecognitionVerify.push({ name, idCardNumber });
      if (wx.faceAnswer === 'cancel') {
        fail({ errCode: 90100, errMsg: 'startFacialRecognitionVerify:fail cancel' });
        return;
      }
      fetch(`${apiBase}/me/real-name`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${store.get('access_token')}` },
        body: JSON.stringify({ name, id_number: idCardNumber }),
      })
        .then((response) => response.json())
        .then((body) => {
          const details = (body.error && body.error.details) || {};
          const verifyResult = details.debug_verify_result || 'not-confirmed';
          success({ errCode: 0, errMsg: 'startFacialRecognitionVerify:ok', verifyResult });
        })
        .catch((error) => fail({ errCode: 90199, errMsg: `startFacialRecognitionVerify:fail ${error.message}` }));
    },

    requestSubscribeMessage({ tmplIds, success }) {
      calls.requestSubscribeMessage.push(tmplIds);
      const answer = { errMsg: 'requestSubscribeMessage:ok' };
      tmplIds.forEach((id) => {
        answer[id] = wx.subscribeAnswer;
      });
      success(answer);
    },

    // What pages ask of WeChat's UI, recorded for page tests: navigation, toasts, modals
    // (confirmed at once), and media picking (answers `pickedFiles`).
    navigations: [],
    toasts: [],
    modals: [],
    pickedFiles: [],
    navigateTo: ({ url }) => wx.navigations.push(['navigateTo', url]),
    redirectTo: ({ url }) => wx.navigations.push(['redirectTo', url]),
    switchTab: ({ url }) => wx.navigations.push(['switchTab', url]),
    navigateBack: () => wx.navigations.push(['navigateBack']),
    showToast: ({ title }) => wx.toasts.push(title),
    showModal({ title, content, success }) {
      wx.modals.push({ title, content });
      if (success) success({ confirm: true, cancel: false });
    },
    chooseMedia({ success }) {
      success({ tempFiles: wx.pickedFiles.map((tempFilePath) => ({ tempFilePath, fileType: 'image' })) });
    },
    setTabBarBadge: () => {},
    removeTabBarBadge: () => {},

    getLocation({ success }) {
      calls.getLocation += 1;
      success({ ...wx.location, accuracy: 30 });
    },

    getStorageSync: (key) => (store.has(key) ? structuredClone(store.get(key)) : ''),
    setStorageSync: (key, value) => store.set(key, structuredClone(value)),
    removeStorageSync: (key) => store.delete(key),
    setStorage({ key, data, success }) {
      store.set(key, structuredClone(data));
      setImmediate(() => success({ errMsg: 'setStorage:ok' }));
    },

    onNetworkStatusChange(listener) {
      listeners.push(listener);
    },
    getNetworkType({ success }) {
      success({ networkType: online ? 'wifi' : 'none' });
    },

    setOnline(value) {
      online = value;
      reachesLeft = Infinity;
      listeners.forEach((listener) =>
        listener({ isConnected: value, networkType: value ? 'wifi' : 'none' }),
      );
    },
    dropNext(count) {
      drops = count;
    },
    loseAnswersNext(count) {
      lostAnswers = count;
    },
    offlineAfter(count) {
      reachesLeft = count;
    },
  };
  return wx;
}

module.exports = { createWx };
