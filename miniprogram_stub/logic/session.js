// Signing in: residents with one tap through WeChat, village agents and disaster
// officers with the username and password the bureau gave them.

const { fieldErrors } = require('../utils/api');

// The page a user lands on after signing in.
function landingPage(user) {
  if (user.role === 'disaster_officer') return '/pages/disaster-report/disaster-report';
  return '/pages/home/home';
}

async function signInWithWeChat(api) {
  const user = await api.loginWithWeChat();
  return { user, next: landingPage(user), needsRealName: user.role === 'citizen' && !user.real_name_verified };
}

async function signInWithPassword(api, { username, password }) {
  const missing = {};
  if (!username) missing.username = '请输入用户名';
  if (!password) missing.password = '请输入密码';
  if (Object.keys(missing).length) return { errors: missing };
  try {
    const user = await api.loginWithPassword(username.trim(), password);
    return { user, next: landingPage(user), errors: {} };
  } catch (error) {
    return { errors: fieldErrors(error), message: error.message };
  }
}

const FACE_NOT_DONE = '人脸核验未完成,请本人重新进行人脸核验';

// 人脸核验: WeChat checks that the person holding the phone is the one named and
// hands back a `verifyResult`, the proof the server redeems.
function faceVerify(wx, name, idCardNumber) {
  return new Promise((resolve, reject) => {
    wx.startFacialRecognitionVerify({
      name,
      idCardNumber,
      checkAliveType: 2, // 先读数字再摇头眨眼: WeChat's strongest liveness check
      success: (result) => resolve(result.verifyResult),
      fail: reject,
    });
  });
}

// 实名认证: a resident binds their name and identity number once, before applying,
// after passing WeChat's face verification for them.
async function verifyRealName(api, wx, { name, id_number: idNumber }) {
  const claim = { name: (name || '').trim(), id_number: (idNumber || '').trim() };
  let proof;
  try {
    proof = await faceVerify(wx, claim.name, claim.id_number);
  } catch (failure) {
    return { errors: {}, message: FACE_NOT_DONE };
  }
  try {
    const user = await api.act('/me/real-name', { ...claim, verify_result: proof });
    wx.setStorageSync('user', user);
    return { user, errors: {} };
  } catch (error) {
    return { errors: fieldErrors(error), message: error.message };
  }
}

module.exports = { landingPage, signInWithPassword, signInWithWeChat, verifyRealName };
