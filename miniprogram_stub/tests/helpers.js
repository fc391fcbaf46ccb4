// Shared by the Node tests: the live server's address (API_BASE, set by pytest), a
// client over the wx stand-in, signing in as a fresh resident or a demo account, and
// valid identity numbers.
const assert = require('node:assert/strict');

const { verifyRealName } = require('../logic/session');
const { createApi } = require('../utils/api');
const { createWx } = require('./wx_shim');

const API_BASE = process.env.API_BASE;
assert.ok(API_BASE, 'API_BASE must point at a running server (tests/miniprogram runs this)');

const TEMPLATES = { case_progress: ['tmpl-case'], appointment: ['tmpl-appointment'], disaster: ['tmpl-disaster'] };

function client(wx = createWx({ apiBase: API_BASE })) {
  const api = createApi({ baseUrl: API_BASE, wx, templates: TEMPLATES, retryDelaysMs: [10, 10, 10] });
  return { api, wx };
}

// 居民身份证号 with its check digit (GB 11643): region, birth date, serial.
function idNumber(birth, serial, region = '110105') {
  const body = `${region}${birth.replace(/-/g, '')}${String(serial).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((total, digit, i) => total + Number(digit) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

// A resident new to the service: WeChat login, then 实名认证 with face verification.
// Each test names its own `serial` (1–998), so no two residents of one run share an
// identity number.
async function resident({ serial, birth = '1960-05-01', name = '王秀英' }) {
  const { api, wx } = client();
  wx.nextLoginCode = `code-resident-${serial}`;
  await api.loginWithWeChat();
  const id = idNumber(birth, serial);
  const verified = await verifyRealName(api, wx, { name, id_number: id });
  assert.ok(verified.user, `实名认证 failed: ${verified.message}`);
  return { api, wx, idNumber: id, name };
}

async function staff(username) {
  const { api, wx } = client();
  await api.loginWithPassword(username, 'Demo@2026');
  return { api, wx };
}

module.exports = { API_BASE, client, idNumber, resident, staff };
