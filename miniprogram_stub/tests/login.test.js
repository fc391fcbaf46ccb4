// Signing in: WeChat login through the backend's real WeChat client (pointed at the
// local jscode2session stand-in), 实名认证, and the staff password login.
const assert = require('node:assert/strict');
const { test } = require('node:test');

const session = require('../logic/session');
const { client, idNumber } = require('./helpers');

test('a first WeChat login creates a resident who must complete 实名认证 before applying', async () => {
  const { api, wx } = client();
  wx.nextLoginCode = 'code-login-1';
  const outcome = await session.signInWithWeChat(api);
  assert.equal(wx.calls.login, 1);
  assert.equal(outcome.user.role, 'citizen');
  assert.equal(outcome.needsRealName, true);
  assert.equal(outcome.next, '/pages/home/home');
  const login = wx.sent.find((request) => request.url.endsWith('/auth/wechat'));
  assert.deepEqual(login.data, { code: 'code-login-1' });
  assert.ok(api.signedIn());
  assert.equal((await api.get('/me')).role, 'citizen');
});

test('the same WeChat user signing in again is the same account, verified once', async () => {
  const first = client();
  first.wx.nextLoginCode = 'code-login-2';
  const { user } = await session.signInWithWeChat(first.api);
  const number = idNumber('1970-01-01', 2);
  const verified = await session.verifyRealName(first.api, first.wx, { name: ' 李明 ', id_number: number });
  assert.deepEqual(verified.errors, {});
  assert.deepEqual(first.wx.calls.startFacialRecognitionVerify, [{ name: '李明', idCardNumber: number }]);
  const claim = first.wx.sent.find((request) => request.url.endsWith('/me/real-name'));
  assert.match(claim.data.verify_result, /^[0-9a-f]{16}$/); // the face check's verifyResult
  assert.equal(verified.user.real_name_verified, true);
  assert.equal(first.wx.getStorageSync('user').real_name_verified, true);

  const again = client();
  again.wx.nextLoginCode = 'code-login-2';
  const outcome = await session.signInWithWeChat(again.api);
  assert.equal(outcome.user.id, user.id);
  assert.equal(outcome.needsRealName, false);
});

test('a wrong identity number in 实名认证 comes back on its field, in Chinese', async () => {
  const { api, wx } = client();
  wx.nextLoginCode = 'code-login-3';
  await session.signInWithWeChat(api);
  const outcome = await session.verifyRealName(api, wx, { name: '李明', id_number: '110105197001010010' });
  assert.equal(outcome.user, undefined);
  assert.match(outcome.errors.id_number, /[\u4e00-\u9fff]/);
});

test('a resident who leaves the face check is told so, and nothing is sent', async () => {
  const { api, wx } = client();
  wx.nextLoginCode = 'code-login-4';
  await session.signInWithWeChat(api);
  wx.faceAnswer = 'cancel';
  const sentBefore = wx.sent.length;
  const outcome = await session.verifyRealName(api, wx, { name: '李明', id_number: idNumber('1970-01-01', 4) });
  assert.equal(outcome.user, undefined);
  assert.match(outcome.message, /人脸核验/);
  assert.equal(wx.sent.length, sentBefore);
  assert.equal((await api.get('/me')).real_name_verified, false);
});

test('a verifyResult the server does not confirm is refused on its field', async () => {
  const { api, wx } = client();
  wx.nextLoginCode = 'code-login-5';
  await session.signInWithWeChat(api);
  wx.startFacialRecognitionVerify = ({ success }) => success({ errCode: 0, verifyResult: 'forged-result' });
  const outcome = await session.verifyRealName(api, wx, { name: '李明', id_number: idNumber('1970-01-01', 5) });
  assert.equal(outcome.user, undefined);
  assert.match(outcome.errors.verify_result, /核验未通过/);
});

test('a code WeChat refuses is a Chinese message and no tokens', async () => {
  const { api, wx } = client();
  wx.nextLoginCode = 'code-refused';
  await assert.rejects(session.signInWithWeChat(api), (error) => {
    assert.equal(error.status, 401);
    assert.equal(error.message, '微信登录凭证无效,请重新打开小程序后再试');
    return true;
  });
  assert.equal(api.signedIn(), false);
});

test('a disaster officer signs in by password and lands on the report page', async () => {
  const { api } = client();
  const outcome = await session.signInWithPassword(api, { username: 'officer0101', password: 'Demo@2026' });
  assert.equal(outcome.user.role, 'disaster_officer');
  assert.equal(outcome.next, '/pages/disaster-report/disaster-report');
});

test('a wrong password is a Chinese message; empty fields are named before sending', async () => {
  const { api, wx } = client();
  const wrong = await session.signInWithPassword(api, { username: 'agent0101', password: 'nope' });
  assert.equal(wrong.user, undefined);
  assert.match(wrong.message, /[\u4e00-\u9fff]/);
  const sentBefore = wx.sent.length;
  const empty = await session.signInWithPassword(api, { username: '', password: '' });
  assert.deepEqual(empty.errors, { username: '请输入用户名', password: '请输入密码' });
  assert.equal(wx.sent.length, sentBefore);
});
